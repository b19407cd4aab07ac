import type { CommandDeclaration, CommandSpec, FlagDeclaration, Subcommand } from './declaration';

const WIDTH = 110;

/** The --help text of a command (or of one of its subcommands), generated from its declaration. */
export function formatHelp(declaration: CommandDeclaration, subcommand?: Subcommand): string {
  const spec: CommandSpec = subcommand?.spec ?? declaration;
  const invocation = subcommand ? `${declaration.invocation} ${subcommand.name}` : declaration.invocation;
  const usage = spec.usage ?? [generatedUsage(invocation, spec, !subcommand && !!declaration.subcommands)];
  const sections = [
    usage.map((line, i) => `${i === 0 ? 'Usage: ' : '       '}${line}`).join('\n'),
    spec.summary,
  ];
  if (!subcommand && declaration.subcommands?.length) {
    sections.push(
      `Commands:\n${table(declaration.subcommands.map((s) => [s.name, firstParagraph(s.spec.summary)]))}`,
    );
  }
  const flags = Object.entries(spec.flags).map(([name, flag]) => [label(name, flag), describe(flag)]);
  sections.push(`Flags:\n${table([...flags, ['--help', 'this text']])}`);
  if (spec.notes) sections.push(spec.notes);
  return sections.join('\n\n');
}

function generatedUsage(invocation: string, spec: CommandSpec, hasSubcommands: boolean): string {
  const positionals = (spec.positionals ?? []).map((p) => {
    const name = p.variadic ? `${p.name}...` : p.name;
    return p.optional ? `[${name}]` : `<${name}>`;
  });
  return [invocation, ...(hasSubcommands ? ['<command>'] : []), ...positionals, '[flags]'].join(' ');
}

function label(name: string, flag: FlagDeclaration): string {
  const long = flag.type === 'string' ? `--${name} ${flag.value}` : `--${name}`;
  return flag.short ? `-${flag.short}, ${long}` : long;
}

function describe(flag: FlagDeclaration): string {
  if (flag.type === 'boolean') return flag.description;
  const shown = flag.shownDefault ?? (flag.default === undefined ? undefined : String(flag.default));
  return shown === undefined ? flag.description : `${flag.description} (default ${shown})`;
}

function firstParagraph(text: string): string {
  return text.split('\n\n')[0]!.replace(/\s*\n\s*/g, ' ');
}

/** Two columns, the second wrapped to the help's width and indented under itself. */
function table(rows: string[][]): string {
  const column = Math.max(...rows.map(([left]) => left!.length)) + 4;
  return rows
    .map(([left, right]) => {
      const lines = wrap(right!, WIDTH - column);
      return [
        `  ${left!.padEnd(column - 2)}${lines[0] ?? ''}`,
        ...lines.slice(1).map((l) => ' '.repeat(column) + l),
      ]
        .join('\n')
        .trimEnd();
    })
    .join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
