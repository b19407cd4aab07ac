import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake on the command line: exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its complaints turned into one-line UsageErrors that point at --help. */
export function parseFlags<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (see --help)`);
  }
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
