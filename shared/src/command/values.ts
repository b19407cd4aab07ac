import { UsageError } from './errors';

/** Turns a flag's text into its value, or throws a UsageError naming the flag and what it accepts. */
export type ValueParser<T> = (text: string, flag: string) => T;

export function wholeNumber(min: number, max: number): ValueParser<number> {
  return (text, flag) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) {
      throw new UsageError(`${flag} ${text}: expected a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

/** A TCP/UDP port; 0 means any free port. */
export const port: ValueParser<number> = wholeNumber(0, 65535);

/** Comma-separated ports, e.g. `8091,8092`, each checked as {@link port}. */
export const portList: ValueParser<number[]> = (text, flag) =>
  text.split(',').map((item) => port(item.trim(), flag));

/** A number of seconds from 0 to `max`; `atLeast` refuses values that are in range but too small to use. */
export function seconds(max: number, { atLeast }: { atLeast?: number } = {}): ValueParser<number> {
  return (text, flag) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > max) {
      throw new UsageError(`${flag} ${text}: expected a number of seconds from 0 to ${max}`);
    }
    if (atLeast !== undefined && n < atLeast) {
      throw new UsageError(`${flag} ${text}: at least ${atLeast} seconds`);
    }
    return n;
  };
}
