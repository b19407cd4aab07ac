import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake on the command line: exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs, with its complaints turned into one-line UsageErrors that point at --help. A
 * negative number after a flag that takes a value is that flag's value, so the flag's own check can say
 * what it accepts (parseArgs alone calls `--interval -1` ambiguous).
 */
export function parseFlags<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (see --help)`);
  }
}

const NEGATIVE_NUMBER = /^-\.?\d/;

/** `--flag -1` and `-f -1` as `--flag=-1`, for the flags that take a value; nothing after `--`. */
function joinNegativeValues(argv: string[], options: Options): string[] {
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

export function wholeNumber(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`${flag} ${value}: expected a whole number from ${min} to ${max}`);
  }
  return n;
}

/** A TCP/UDP port; 0 means any free port. */
export function port(value: string, flag: string): number {
  return wholeNumber(value, flag, 0, 65535);
}

export function seconds(value: string, flag: string, max = 86_400): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > max) {
    throw new UsageError(`${flag} ${value}: expected a number of seconds from 0 to ${max}`);
  }
  return n;
}
