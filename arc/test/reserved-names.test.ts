import { CLI_RESERVED_NAMES } from '@arc-failover/shared';
import { formatHelp } from '@arc-failover/shared/command';
import { SWITCH_CLI } from '../src/cli/args';

describe('the names topology validation reserves for the switch CLI', () => {
  it("hold every subcommand of the CLI's usage", () => {
    const commands = formatHelp(SWITCH_CLI)
      .split('\n\n')
      .find((section) => section.startsWith('Commands:'))!
      .split('\n')
      .flatMap((line) => /^ {2}([a-z][a-z-]*)(\s|$)/.exec(line)?.[1] ?? []);
    expect(commands.length).toBeGreaterThanOrEqual(2);
    for (const command of commands) expect(CLI_RESERVED_NAMES).toContain(command);
  });
});
