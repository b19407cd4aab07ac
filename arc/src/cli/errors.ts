/** Exit status of a switch that failed once routing may have changed, or did partly: run status. */
export const ROUTING_MAY_HAVE_CHANGED = 3;

/**
 * A failure the user sees as one line on stderr. `exitCode` 1: failed, routing state unchanged; 2: the command
 * line itself was wrong; ROUTING_MAY_HAVE_CHANGED; 128 + signal: interrupted.
 */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Bad flags, commands or values: nothing was read or changed. */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, 2);
  }
}
