import { parseArgs } from '../../src/cli/args';
import { UsageError } from '../../src/cli/errors';

describe('the command line', () => {
  it('reads approve and revoke with API names or --all, and refuses switch flags on them', () => {
    expect(parseArgs(['approve', 'service1', 'service2', '--stage', 'prod'])).toMatchObject({
      kind: 'approve',
      apis: ['service1', 'service2'],
      options: { stage: 'prod', stageGiven: true },
    });
    expect(parseArgs(['revoke', '--all'])).toMatchObject({ kind: 'revoke', apis: 'all' });
    expect(() => parseArgs(['approve'])).toThrow(
      /approve takes API names, --all or --runbook <name>, one of them/,
    );
    expect(() => parseArgs(['approve', 'service1', '--all'])).toThrow(UsageError);
    expect(() => parseArgs(['revoke', 'service1', '--to', 'primary'])).toThrow(
      /--to does not apply to revoke/,
    );
  });

  it('reads a switch with every flag', () => {
    expect(
      parseArgs([
        'service1',
        'service2',
        '--to=secondary',
        '--stage',
        'prod',
        '--yes',
        '--dry-run',
        '--json',
        '--override-safety-rule',
        'a',
        '--override-safety-rule=b',
        '--connect-timeout-ms',
        '200',
        '--timeout-ms',
        '900',
        '--write-timeout-ms=2500',
        '--audit-log',
        '/tmp/x.jsonl',
        '--bookmark',
        '/tmp/b.json',
      ]),
    ).toEqual({
      kind: 'switch',
      apis: ['service1', 'service2'],
      to: 'secondary',
      yes: true,
      dryRun: true,
      overrides: ['a', 'b'],
      skipReadiness: false,
      wait: false,
      waitTimeoutMs: 120_000,
      options: {
        stage: 'prod',
        stageGiven: true,
        json: true,
        connectTimeoutMs: 200,
        timeoutMs: 900,
        writeTimeoutMs: 2500,
        auditLog: '/tmp/x.jsonl',
        bookmark: '/tmp/b.json',
      },
    });
  });

  it('reads --all, status and sync with the default stage', () => {
    expect(parseArgs(['--all', '--to', 'primary'])).toMatchObject({
      kind: 'switch',
      apis: 'all',
      to: 'primary',
    });
    expect(parseArgs(['status'])).toMatchObject({
      kind: 'status',
      options: { stage: 'local', stageGiven: false },
    });
    expect(parseArgs(['sync', '--stage', 'prod'])).toMatchObject({
      kind: 'sync',
      options: { stage: 'prod' },
    });
    expect(parseArgs(['status', '--help'])).toMatchObject({
      kind: 'help',
      text: expect.stringMatching(/^Usage: npm run switch -- status \[flags\]/) as string,
    });
  });

  it('reads the readiness, proof and runbook flags', () => {
    expect(
      parseArgs(['service1', '--to', 'secondary', '--wait', '--wait-timeout', '30', '--skip-readiness']),
    ).toMatchObject({ kind: 'switch', wait: true, waitTimeoutMs: 30_000, skipReadiness: true });
    expect(parseArgs(['status', '--probe'])).toMatchObject({ kind: 'status', probe: true });
    expect(parseArgs(['runbook', 'list', '--stage', 'prod'])).toMatchObject({
      kind: 'runbook-list',
      options: { stage: 'prod' },
    });
    expect(
      parseArgs(['runbook', 'evacuate-us-east-1', '--yes', '--resume', '/tmp/r.json', '--wait-timeout=5']),
    ).toMatchObject({
      kind: 'runbook',
      name: 'evacuate-us-east-1',
      yes: true,
      resume: '/tmp/r.json',
      waitTimeoutMs: 5000,
      skipReadiness: false,
    });
    expect(parseArgs(['approve', '--runbook', 'evacuate-us-east-1'])).toMatchObject({
      kind: 'approve',
      apis: { runbook: 'evacuate-us-east-1' },
    });
  });

  it.each([
    [['--frobnicate'], 'unknown flag --frobnicate (see npm run switch -- --help)'],
    [
      ['frobnicate'],
      'unknown command "frobnicate": give status, sync, runbook, or <api...> --to <region|primary|secondary> (see npm run switch -- --help)',
    ],
    [[], 'no command given (see npm run switch -- --help)'],
    [['service1', '--to'], '--to needs a value (see npm run switch -- --help)'],
    [['service1', '--to', '--yes'], '--to needs a value (see npm run switch -- --help)'],
    [['--all'], 'a switch needs --to <region|primary|secondary> (see npm run switch -- --help)'],
    [['--to', 'primary'], 'name the APIs to switch, or --all (see npm run switch -- --help)'],
    [
      ['service1', '--all', '--to', 'primary'],
      'give API names or --all, not both (got --all and "service1") (see npm run switch -- --help)',
    ],
    [['status', 'service1'], 'unexpected argument "service1" (see npm run switch -- status --help)'],
    [['status', '--yes'], '--yes does not apply to status (see npm run switch -- status --help)'],
    [['sync', '--to', 'primary'], '--to does not apply to sync (see npm run switch -- sync --help)'],
    [
      ['service1', '--to', 'primary', '--wait-timeout', '5'],
      '--wait-timeout applies only with --wait (see npm run switch -- --help)',
    ],
    [
      ['service1', '--to', 'primary', '--wait', '--wait-timeout', '0.5'],
      '--wait-timeout 0.5: at least 1 seconds',
    ],
    [['runbook'], 'missing <name> (see npm run switch -- runbook --help)'],
    [['runbook', 'list', '--yes'], '--yes does not apply to runbook list (see npm run switch -- --help)'],
    [['status', '--wait'], '--wait does not apply to status (see npm run switch -- status --help)'],
    [
      ['approve', 'service1', '--runbook', 'x'],
      'approve takes API names, --all or --runbook <name>, one of them (see npm run switch -- --help)',
    ],
    [['service1', '--to', 'a', '--to', 'b'], '--to given twice (see npm run switch -- --help)'],
    [
      ['--json=yes', 'status'],
      '--json takes no value (got "--json=yes") (see npm run switch -- status --help)',
    ],
    [['status', '--timeout-ms', '0'], '--timeout-ms 0: give a whole number of milliseconds from 1 to 600000'],
    [
      ['service1', '--to', 'primary', '--write-timeout-ms', '3s'],
      '--write-timeout-ms 3s: give a whole number of milliseconds from 1 to 600000',
    ],
    [
      ['status', '--write-timeout-ms', '3000'],
      '--write-timeout-ms does not apply to status (see npm run switch -- status --help)',
    ],
    [
      ['status', '--connect-timeout-ms', '1.5'],
      '--connect-timeout-ms 1.5: give a whole number of milliseconds from 1 to 600000',
    ],
    [
      ['status', '--stage', 'Prod!'],
      '--stage Prod!: not a stage name (lower-case letters, digits and dashes)',
    ],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(new UsageError(message));
  });
});
