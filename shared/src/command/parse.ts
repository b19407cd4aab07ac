import { parseArgs, type ParseArgsConfig } from 'node:util';
import type {
  CommandDeclaration,
  CommandSpec,
  FlagDeclarations,
  FlagValues,
  ParsedCommand,
  Subcommand,
} from './declaration';
import { UsageError } from './errors';
import { formatHelp } from './help';

type Options = NonNullable<ParseArgsConfig['options']>;
type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];
type OptionToken = Extract<Token, { kind: 'option' }>;

export type CommandLine<F extends FlagDeclarations> =
  /** --help (or -h) anywhere before `--`: the help of the command named. */
  | { kind: 'help'; text: string }
  | { kind: 'run'; subcommand?: undefined; command: ParsedCommand<F> }
  | { kind: 'run'; subcommand: Subcommand; command: ParsedCommand<FlagDeclarations> };

/**
 * Parses a command line against its declaration with node:util parseArgs. Every mistake is a UsageError
 * in one shape, `<what is wrong> (see <invocation> --help)`; a flag's value is checked by its own parser.
 * `subcommandRequired`: the declaration itself does nothing without a subcommand.
 */
export function parseCommandLine<F extends FlagDeclarations>(
  declaration: CommandDeclaration<F>,
  argv: readonly string[],
  { subcommandRequired = false }: { subcommandRequired?: boolean } = {},
): CommandLine<F> {
  const subcommands = declaration.subcommands ?? [];
  const options = parseArgsOptions([declaration, ...subcommands.map((s) => s.spec)]);
  const { tokens } = parseArgs({
    args: joinNegativeValues(argv, options),
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionals = tokens.filter((t) => t.kind === 'positional');
  const selected = subcommands.find((s) => s.name === positionals[0]?.value);
  const spec: CommandSpec = selected?.spec ?? declaration;
  const invocation = selected ? `${declaration.invocation} ${selected.name}` : declaration.invocation;
  const mistake = (what: string) => new UsageError(`${what} (see ${invocation} --help)`);

  if (asksForHelp(argv)) return { kind: 'help', text: formatHelp(declaration, selected) };
  const args = positionals.slice(selected ? 1 : 0).map((t) => t.value);
  if (!selected && subcommandRequired) {
    const names = subcommands.map((s) => s.name).join(', ');
    throw mistake(
      args[0] === undefined ? `name a command: ${names}` : `unknown command "${args[0]}" (known: ${names})`,
    );
  }
  const misplaced = (flag: string, name: string) =>
    selected
      ? `${flag} does not apply to ${selected.name}`
      : `${flag} applies only to ${subcommands
          .filter((s) => s.spec.flags[name])
          .map((s) => s.name)
          .join(', ')}`;
  const values = collectFlags(tokens, spec, options, mistake, misplaced);
  checkPositionals(args, spec, mistake);
  const command = {
    flags: flagValues(spec.flags, values),
    positionals: args,
    given: new Set(values.keys()),
    invocation,
  };
  return selected
    ? { kind: 'run', subcommand: selected, command }
    : { kind: 'run', command: command as ParsedCommand<F> };
}

/** Every flag any of the specs declares, and --help; one flag name means one flag everywhere. */
function parseArgsOptions(specs: CommandSpec[]): Options {
  const options: Options = { help: { type: 'boolean', short: 'h' } };
  for (const spec of specs) {
    for (const [name, flag] of Object.entries(spec.flags)) {
      const known = options[name];
      if (known && known.type !== flag.type) throw new Error(`flag --${name} is declared with two types`);
      options[name] = { type: flag.type, multiple: true, ...(flag.short ? { short: flag.short } : {}) };
    }
  }
  return options;
}

function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** The texts given for each flag, refusing unknown, misplaced or valueless flags. */
function collectFlags(
  tokens: Token[],
  spec: CommandSpec,
  options: Options,
  mistake: (what: string) => UsageError,
  misplaced: (flag: string, name: string) => string,
): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const token of tokens.filter((t): t is OptionToken => t.kind === 'option')) {
    const flag = spec.flags[token.name];
    if (!flag) {
      if (options[token.name] === undefined) throw mistake(`unknown flag ${token.rawName}`);
      throw mistake(misplaced(token.rawName, token.name));
    }
    const texts = values.get(token.name) ?? [];
    if (flag.type === 'boolean') {
      if (token.inlineValue)
        throw mistake(`${token.rawName} takes no value (got "${token.rawName}=${token.value}")`);
      values.set(token.name, [...texts, '']);
      continue;
    }
    const value = token.value;
    // parseArgs takes the next argument even when it is another flag: `--port --quiet`.
    if (value === undefined || value === '' || (!token.inlineValue && value.startsWith('-'))) {
      throw mistake(`${token.rawName} needs a value`);
    }
    if (flag.once && texts.length > 0) throw mistake(`${token.rawName} given twice`);
    values.set(token.name, [...texts, value]);
  }
  return values;
}

function checkPositionals(args: string[], spec: CommandSpec, mistake: (what: string) => UsageError) {
  const declared = spec.positionals ?? [];
  const variadic = declared.at(-1)?.variadic ?? false;
  if (!variadic && args.length > declared.length) {
    throw mistake(`unexpected argument "${args[declared.length]}"`);
  }
  const missing = declared.slice(args.length).filter((p) => !p.optional);
  if (missing.length > 0) throw mistake(`missing ${missing.map((p) => `<${p.name}>`).join(' ')}`);
}

function flagValues<F extends FlagDeclarations>(flags: F, given: Map<string, string[]>): FlagValues<F> {
  const values: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(flags)) {
    const texts = given.get(name);
    if (flag.type === 'boolean') {
      values[name] = texts !== undefined;
      continue;
    }
    const parse = (text: string) => (flag.parse ? flag.parse(text, `--${name}`) : text);
    if (flag.multiple) values[name] = texts?.map(parse) ?? flag.default ?? [];
    // Given twice, the last one wins, as with parseArgs: a wrapper's defaults can be overridden after them.
    else values[name] = texts ? parse(texts.at(-1)!) : flag.default;
  }
  return values as FlagValues<F>;
}

const NEGATIVE_NUMBER = /^-\.?\d/;

/**
 * `--flag -1` and `-f -1` as `--flag=-1` for the flags that take a value, so the flag's own parser can say
 * what it accepts (parseArgs alone would take `-1` for a flag); nothing after `--`.
 */
function joinNegativeValues(argv: readonly string[], options: Options): string[] {
  const valueFlag = (arg: string) => {
    const name = arg.startsWith('--')
      ? arg.slice(2)
      : Object.keys(options).find((key) => arg === `-${options[key]!.short}`);
    return name !== undefined && options[name]?.type === 'string' ? name : undefined;
  };
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return [...args, ...argv.slice(i)];
    const name = valueFlag(arg);
    const next = argv[i + 1];
    if (name !== undefined && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      args.push(`--${name}=${next}`);
      i++;
    } else {
      args.push(arg);
    }
  }
  return args;
}
