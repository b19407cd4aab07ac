import type { ValueParser } from './values';

interface FlagBase {
  /** What the flag does, for --help; wrapped to the help's width. */
  description: string;
  /** One letter: `-s` for `--stage`. */
  short?: string;
}

export interface BooleanFlag extends FlagBase {
  type: 'boolean';
}

export interface StringFlag<T = unknown> extends FlagBase {
  type: 'string';
  /** The value's placeholder in --help, e.g. `<n>` or `<file>`. */
  value: string;
  /** May be given more than once: the values are a list, in order. */
  multiple?: boolean;
  /** Given twice is a mistake, not "the last one wins": for a value nobody should replace unseen (a target). */
  once?: boolean;
  /** Checks the text and turns it into the value (default: the text itself). */
  parse?: ValueParser<T>;
  /** The value when the flag is not given (already parsed). */
  default?: T;
  /** How --help shows the default, when not `String(default)`, e.g. `8080; 0 = any free port`. */
  shownDefault?: string;
}

export type FlagDeclaration = BooleanFlag | StringFlag;
export type FlagDeclarations = Record<string, FlagDeclaration>;

type Parsed<F> = F extends { parse: ValueParser<infer T> } ? T : string;

/** What a declared flag gives the handler: a boolean, a list for `multiple`, else the value or undefined. */
export type FlagValue<F> = F extends { type: 'boolean' }
  ? boolean
  : F extends { multiple: true }
    ? Parsed<F>[]
    : F extends { default: unknown }
      ? Parsed<F>
      : Parsed<F> | undefined;

export type FlagValues<F extends FlagDeclarations> = { -readonly [K in keyof F]: FlagValue<F[K]> };

export interface PositionalDeclaration {
  /** Shown as `<name>` in the usage line. */
  name: string;
  optional?: boolean;
  /** Takes every remaining argument; only the last positional. */
  variadic?: boolean;
}

/** Everything a command is, declared once: its parsing and its --help come from this. */
export interface CommandSpec<F extends FlagDeclarations = FlagDeclarations> {
  /** The paragraphs after the usage line, as written (pre-wrapped). */
  summary: string;
  flags: F;
  positionals?: readonly PositionalDeclaration[];
  /** The usage lines, when the generated one (`<invocation> <positionals> [flags]`) says too little. */
  usage?: readonly string[];
  /** Text after the flags, e.g. exit statuses. */
  notes?: string;
}

export interface ParsedCommand<F extends FlagDeclarations> {
  flags: FlagValues<F>;
  positionals: string[];
  /** The flags the command line named (a flag's value may be its default otherwise). */
  given: ReadonlySet<string>;
  /** How the user runs this command, e.g. `arc-failover-stack deploy`: for messages that point at it. */
  invocation: string;
}

/** The command's work: its result is the exit status (0 when none); a failure is thrown. */
export type Handler<F extends FlagDeclarations> = (
  command: ParsedCommand<F>,
) => Promise<number | void> | number | void;

export interface Subcommand {
  name: string;
  spec: CommandSpec;
  /** Absent when the command's own top level runs what parseCommandLine parsed. */
  handler?: Handler<FlagDeclarations>;
}

export interface CommandDeclaration<F extends FlagDeclarations = FlagDeclarations> extends CommandSpec<F> {
  /** How a user runs it, up to its arguments: `npm run probe --`, `arc-failover-stack`. */
  invocation: string;
  /** Named by the first positional; a declaration with subcommands and no handler needs one. */
  subcommands?: readonly Subcommand[];
}

/** Declares a command, keeping its flags' types for the handler. */
export function defineCommand<const F extends FlagDeclarations>(
  declaration: CommandDeclaration<F>,
): CommandDeclaration<F> {
  return declaration;
}

/** A subcommand, `<invocation> <name> ...`, with its own flags, positionals and handler. */
export function subcommand<const F extends FlagDeclarations>(
  name: string,
  spec: CommandSpec<F>,
  handler?: Handler<F>,
): Subcommand {
  return { name, spec, ...(handler && { handler: handler as unknown as Handler<FlagDeclarations> }) };
}
