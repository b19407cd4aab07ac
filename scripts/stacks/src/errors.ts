import { CommandError } from '@arc-failover/shared/command';

/** A stack command that cannot go on: one `error:` line, exit status 1. */
export class StackCommandError extends CommandError {
  override name = 'StackCommandError';
}
