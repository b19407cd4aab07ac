/** A stack command that cannot go on: one `error:` line, exit status 1. */
export class StackCommandError extends Error {
  override name = 'StackCommandError';
}
