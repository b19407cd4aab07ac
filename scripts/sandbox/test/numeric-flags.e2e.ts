import { runCommand } from '@arc-failover/testing';

// Each case is the real command as its own process; it stops at the flag, before reading any sandbox.
jest.setTimeout(30_000);

const PROBE = 'probe';
const START = 'start';
const DEMO = 'demo';

/** Every numeric flag of the scripts' commands, given a negative number as a user might. */
const CASES = [
  [PROBE, 'probe', '--interval', '-1', 'expected a number of seconds from 0 to 3600'],
  [PROBE, 'probe', '--timeout', '-5', 'expected a number of seconds from 0 to 86400'],
  [PROBE, 'probe', '--count', '-3', 'expected a whole number from 1 to 1000000'],
  [START, 'sandbox', '--port', '-1', 'expected a whole number from 0 to 65535'],
  [START, 'sandbox', '--api-port', '-8081', 'expected a whole number from 0 to 65535'],
  [START, 'sandbox', '--dns-port', '-53', 'expected a whole number from 0 to 65535'],
  [START, 'sandbox', '--arc-ports', '-1', 'expected a whole number from 0 to 65535'],
  [START, 'sandbox', '--admin-port', '-1', 'expected a whole number from 0 to 65535'],
  [START, 'sandbox', '--ttl', '-1', 'expected a whole number from 0 to 86400'],
  [START, 'sandbox', '--wait-period-ms', '-5000', 'expected a whole number from 0 to 3600000'],
  [START, 'sandbox', '--interval', '-0.5', 'expected a number of seconds from 0 to 3600'],
  [DEMO, 'demo', '--ttl', '-1', 'expected a whole number from 0 to 60'],
  [DEMO, 'demo', '--wait-period-ms', '-1', 'expected a whole number from 0 to 60000'],
] as const;

describe('a negative number for a numeric flag', () => {
  it('gets the flag’s own one-line message and exit 2, from every command', async () => {
    const runs = await Promise.all(
      CASES.map(async ([entry, program, flag, value]) => {
        const { exitCode, stdout, stderr } = await runCommand(entry, [flag, value]);
        return [program, flag, exitCode, stdout, stderr];
      }),
    );
    expect(runs).toEqual(
      CASES.map(([, program, flag, value, accepted]) => [
        program,
        flag,
        2,
        '',
        `error: ${flag} ${value}: ${accepted}\n`,
      ]),
    );
  });
});
