import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ARC_CLUSTER_ENDPOINT_REGIONS, loadTopology } from '@arc-failover/shared';
import { CliHarness } from '@arc-failover/testing';

/** Every call goes to this endpoint: the bookmark lists no other. */
const ONLY = ARC_CLUSTER_ENDPOINT_REGIONS[0];
let cli: CliHarness;

// CLI processes, some killed, some waiting out an update that never gets its answer.
jest.setTimeout(30_000);

beforeAll(async () => {
  cli = await CliHarness.start(loadTopology('local'));
  expect((await cli.run(['--all', '--to', 'primary', '--yes'])).exitCode).toBe(0);
});
afterAll(() => cli.close());

/** Resolves once the cluster applies a change. */
function nextChange(): Promise<void> {
  return new Promise((resolve) => {
    const stop = cli.emulator.onChange(() => {
      stop();
      resolve();
    });
  });
}

describe('the audit log of a switch killed after its update', () => {
  it('holds the intent line, written before the first update: who, the plan and the batches', async () => {
    const oneEndpoint = cli.writeVariant('one-endpoint.json', {
      ...cli.bookmark,
      endpoints: cli.bookmark.endpoints.filter((e) => e.region === ONLY),
    });
    // the update is applied, and its answer never comes
    await cli.emulator.setFault(ONLY, 'hang-after-update');
    const landed = nextChange();
    const { child, ended } = cli.spawn([
      'service1',
      '--to',
      'secondary',
      '--yes',
      '--bookmark',
      oneEndpoint,
      '--write-timeout-ms',
      '60000',
    ]);
    await landed;
    child.kill('SIGKILL');
    const run = await ended;
    await cli.emulator.setFault(ONLY, 'none');

    expect(run.exitCode).toBeNull();
    expect(cli.states('service1')).toEqual(['Off', 'On']);
    const lines = cli.auditLines();
    expect(lines.at(-1)).toMatchObject({
      action: 'switch',
      phase: 'intent',
      id: expect.any(String),
      stage: 'local',
      to: 'secondary',
      who: { accessKeyId: cli.bookmark.sandbox!.credentials.accessKeyId, user: expect.any(String) },
      plan: [{ api: 'service1', targetRegion: 'us-west-2', servingBefore: 'us-east-1', changes: true }],
      batches: [
        {
          apis: ['service1'],
          applied: false,
          entries: [
            {
              RoutingControlArn: cli.emulator.routingControlArn('service1', 'us-west-2'),
              RoutingControlState: 'On',
            },
            {
              RoutingControlArn: cli.emulator.routingControlArn('service1', 'us-east-1'),
              RoutingControlState: 'Off',
            },
          ],
        },
      ],
    });
    // nothing about its outcome: the log shows a change that may have happened, and no more
    expect(lines.filter((line) => line.id === lines.at(-1)!.id)).toHaveLength(1);
    expect(lines.at(-1)).not.toHaveProperty('outcome');

    expect((await cli.run(['service1', '--to', 'primary', '--yes'])).exitCode).toBe(0);
  });

  it('and a switch that ends writes its intent, then its outcome, under one id', async () => {
    const before = cli.auditLines().length;
    expect((await cli.run(['service2', '--to', 'secondary', '--yes'])).exitCode).toBe(0);
    const [intent, outcome, ...more] = cli.auditLines().slice(before);
    expect(more).toEqual([]);
    expect(intent).toMatchObject({ phase: 'intent', to: 'secondary', batches: [{ applied: false }] });
    expect(outcome).toMatchObject({ phase: 'outcome', outcome: 'switched', id: intent!.id });
    expect((await cli.run(['service2', '--to', 'primary', '--yes'])).exitCode).toBe(0);
  });
});

describe('an audit log that cannot be written', () => {
  // each would block or spin an unbounded write; a run that does not end by itself is killed
  const ends = async (auditLog: string) => {
    const { child, ended } = cli.spawn([
      'service1',
      '--to',
      'secondary',
      '--dry-run',
      '--audit-log',
      auditLog,
    ]);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const run = await ended;
    clearTimeout(timer);
    return run;
  };

  it.each([
    ['a FIFO nobody reads', () => path.join(cli.dir, 'audit.fifo'), 'not a regular file'],
    ['a /proc file', () => '/proc/self/status', 'under /proc, not a file on disk'],
    // writable: the CLI's own name in the kernel, which an audit line must not become
    ['a writable /proc file', () => '/proc/self/comm', 'under /proc, not a file on disk'],
  ])('%s: the CLI exits with its normal status and one warning', async (_what, file, reason) => {
    const auditLog = file();
    if (auditLog.endsWith('.fifo')) execFileSync('mkfifo', [auditLog]);
    const run = await ends(auditLog);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Dry run: nothing changed.');
    expect(run.stderr).toBe(`warning: could not append to the audit log ${auditLog}: ${reason}\n`);
  });
});
