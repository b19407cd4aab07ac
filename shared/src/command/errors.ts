import { constants } from 'node:os';

/**
 * A failure the user sees as its one line, `error: <message>`: what is wrong and what to do. `exitCode`
 * is 1 (failed) unless a subclass says otherwise. Any other error is an unexpected failure.
 */
export class CommandError extends Error {
  override name = 'CommandError';
  readonly exitCode: number = 1;
  /** Further problems found at the same time, each printed on its own line as `also: <problem>`. */
  readonly also: readonly string[] = [];
}

/** A mistake on the command line: nothing was read or changed. Exit status 2. */
export class UsageError extends CommandError {
  override name = 'UsageError';
  override readonly exitCode: number = 2;
}

export type InterruptSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** Stopped by a signal: exit status as a shell reports it, 130 for Ctrl-C, 143 for SIGTERM. */
export class InterruptedError extends CommandError {
  override name = 'InterruptedError';
  override readonly exitCode: number;
  constructor(
    readonly signal: InterruptSignal,
    message = `interrupted by ${signal}`,
  ) {
    super(message);
    this.exitCode = 128 + constants.signals[signal];
  }
}
