import { readFileSync } from 'node:fs';
import { loadTopology, parseTopology, type ProcessRun, type Topology } from '@arc-failover/shared';
import { CliHarness } from '@arc-failover/testing';
import { DataPlane } from '../../src/dataplane/client';
import { SANDBOX_APPROVER_CREDENTIALS, SANDBOX_CREDENTIALS } from '../../src/emulator';

// The approval gate through the real CLI process against an emulated cluster enforcing it.
jest.setTimeout(30_000);

function gated(): Topology {
  const local = loadTopology('local');
  return { ...local, arc: { ...local.arc, approvalGate: true } };
}

function expectFailure(run: ProcessRun, code: number, line: RegExp): void {
  expect({ code: run.exitCode, lines: run.stderr.trimEnd().split('\n').length }).toEqual({ code, lines: 1 });
  expect(run.stderr).toMatch(line);
}

describe('the approval gate, enforced by the cluster', () => {
  let cli: CliHarness;
  const stateOf = (api: string, region: string) =>
    cli.emulator.stateOf(cli.emulator.routingControlArn(api, region));
  const gateOf = (api: string) => cli.emulator.stateOf(cli.emulator.approvalControlArn(api));
  const audit = () =>
    readFileSync(cli.auditFile, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
    cli = await CliHarness.start(gated());
  });
  afterAll(() => cli.close());

  it('writes the approval controls, gating rules and approver keys into the bookmark', () => {
    const { bookmark } = cli;
    expect(bookmark.services.every((s) => s.approvalControlArn)).toBe(true);
    expect(bookmark.safetyRules.filter((r) => r.kind === 'gating').map((r) => r.name)).toEqual([
      'external-api-approval-gate',
      'service1-approval-gate',
      'service2-approval-gate',
    ]);
    expect(bookmark.sandbox!.approverCredentials).toEqual(SANDBOX_APPROVER_CREDENTIALS);
  });

  it('refuses the operator alone: ConflictException from the gating rule, exit 1, no change', async () => {
    const run = await cli.run(['service1', '--to', 'us-west-2', '--yes']);
    expectFailure(
      run,
      1,
      /approval gate "service1-approval-gate" .* The approver must run "npm run switch -- approve service1" first/,
    );
    expect([stateOf('service1', 'us-east-1'), stateOf('service1', 'us-west-2')]).toEqual(['Off', 'Off']);
  });

  it('lets the switch proceed after approve, and closes it again with revoke', async () => {
    const approve = await cli.run(['approve', 'service1']);
    expect({ code: approve.exitCode, stderr: approve.stderr }).toEqual({ code: 0, stderr: '' });
    expect(approve.stdout).toBe('service1: approval gate On (its routing controls may change)\n');
    expect(gateOf('service1')).toBe('On');

    const run = await cli.run(['service1', '--to', 'us-west-2', '--yes']);
    expect(run.exitCode).toBe(0);
    expect([stateOf('service1', 'us-east-1'), stateOf('service1', 'us-west-2')]).toEqual(['Off', 'On']);

    const revoke = await cli.run(['revoke', 'service1', '--json']);
    expect(revoke.exitCode).toBe(0);
    expect(JSON.parse(revoke.stdout)).toEqual({
      stage: 'local',
      action: 'revoke',
      gates: { service1: 'Off' },
    });
    expect(gateOf('service1')).toBe('Off');
    const back = await cli.run(['service1', '--to', 'us-east-1', '--yes']);
    expectFailure(back, 1, /approval gate "service1-approval-gate"/);
    expect(stateOf('service1', 'us-west-2')).toBe('On');

    const lines = audit().filter((l) => l.action === 'approve' || l.action === 'revoke');
    expect(lines.map((l) => [l.action, l.outcome, l.states])).toEqual([
      ['approve', 'approved', { service1: 'On' }],
      ['revoke', 'revoked', { service1: 'Off' }],
    ]);
    for (const line of lines) {
      expect(line.who).toMatchObject({ accessKeyId: SANDBOX_APPROVER_CREDENTIALS.accessKeyId });
      expect((line.who as { user: string }).user).toEqual(expect.any(String));
    }
  });

  it('approves every API with --all', async () => {
    const run = await cli.run(['approve', '--all']);
    expect(run.exitCode).toBe(0);
    expect(['external-api', 'service1', 'service2'].map(gateOf)).toEqual(['On', 'On', 'On']);
    expect((await cli.run(['revoke', '--all'])).exitCode).toBe(0);
    expect(['external-api', 'service1', 'service2'].map(gateOf)).toEqual(['Off', 'Off', 'Off']);
  });

  it('refuses the operator key on an approval control (403), and approve with it, changing nothing', async () => {
    const operatorKeys = {
      ...cli.bookmark,
      sandbox: { ...cli.bookmark.sandbox!, approverCredentials: SANDBOX_CREDENTIALS },
    };
    const run = await cli.run([
      'approve',
      'service2',
      '--bookmark',
      cli.writeVariant('operator.json', operatorKeys),
    ]);
    expectFailure(
      run,
      1,
      /the cluster refused to approve, nothing was changed: AccessDeniedException: .*arc-sandbox-operator.* explicit deny.*needs the approver's credentials/,
    );
    expect(gateOf('service2')).toBe('Off');
    expect(audit().at(-1)).toMatchObject({
      action: 'approve',
      outcome: 'failed',
      who: expect.objectContaining({ accessKeyId: SANDBOX_CREDENTIALS.accessKeyId }),
    });
  });

  it('refuses the approver key on the API routing controls (403)', async () => {
    const approver = new DataPlane({
      endpoints: cli.emulator.endpoints,
      credentials: SANDBOX_APPROVER_CREDENTIALS,
    });
    try {
      const arn = cli.emulator.routingControlArn('service2', 'us-east-1');
      await expect(
        approver.updateRoutingControlStates([{ RoutingControlArn: arn, RoutingControlState: 'On' }]),
      ).rejects.toMatchObject({ error: { name: 'AccessDeniedException' } });
    } finally {
      approver.close();
    }
  });
});

describe('approve without an approval gate', () => {
  let cli: CliHarness;
  beforeAll(async () => {
    cli = await CliHarness.start(loadTopology('local'));
  });
  afterAll(() => cli.close());

  it('says so in one line and exits 1', async () => {
    for (const command of ['approve', 'revoke']) {
      const run = await cli.run([command, 'service1']);
      expectFailure(
        run,
        1,
        /^error: stage local has no approval gate for service1: its bookmark holds no approval control/,
      );
    }
  });

  it('keeps the topology’s own stages ungated', () => {
    expect(
      parseTopology(
        JSON.parse(readFileSync(require.resolve('@arc-failover/shared/topology.json'), 'utf8')),
        'local',
      ).arc.approvalGate,
    ).toBe(false);
  });
});
