import { CommandError, UsageError } from '@arc-failover/shared/command';

/** Exit status of a switch that failed once routing may have changed, or did partly: run status. */
export const ROUTING_MAY_HAVE_CHANGED = 3;

/** Exit status of a switch that was applied and read back, but not seen in DNS and HTTP within --wait-timeout. */
export const NOT_PROVEN = 4;

/**
 * A failure the user sees as one line on stderr, in the command layer's hierarchy. `exitCode` 1: failed,
 * routing state unchanged; ROUTING_MAY_HAVE_CHANGED; NOT_PROVEN; 128 + signal: interrupted.
 */
export class CliError extends CommandError {
  override name = 'CliError';
  constructor(
    message: string,
    override readonly exitCode: number = 1,
  ) {
    super(message);
  }
}

/** Bad flags, commands or values: nothing was read or changed. Exit status 2. */
export { UsageError };
