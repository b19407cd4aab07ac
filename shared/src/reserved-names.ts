/**
 * Words the switchover CLI reads as its own subcommands (`npm run switch -- <word>`), now or soon: an API
 * of that name could not be switched by name, so topology validation refuses it. A new subcommand joins
 * this list (arc/test/reserved-names.test.ts checks the CLI's usage against it).
 */
export const CLI_RESERVED_NAMES: readonly string[] = [
  'status',
  'sync',
  'runbook',
  'approve',
  'revoke',
  'stage',
  'help',
];
