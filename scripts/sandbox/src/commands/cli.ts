import { UsageError } from '@arc-failover/shared';

export { parseFlags, port, seconds, UsageError, wholeNumber } from '@arc-failover/shared';

/**
 * Runs a command's main function: its result is the exit status; an error is one line on stderr,
 * `<program>: <what is wrong and what to do>` (the stack only with DEBUG set), exit 2 for a usage
 * error and 1 otherwise.
 */
export function runMain(program: string, main: () => Promise<number | void>): void {
  main().then(
    (status) => {
      process.exitCode = status ?? 0;
    },
    (error: Error) => {
      process.stderr.write(`${program}: ${error.message.split('\n')[0]}\n`);
      if (process.env.DEBUG) process.stderr.write(`${error.stack}\n`);
      process.exitCode = error instanceof UsageError ? 2 : 1;
    },
  );
}
