import type { Topology } from '@arc-failover/shared';
import {
  gatedApis,
  GateHalted,
  GateTimeout,
  NoApprovalGate,
  readGates,
  setGates,
  waitForGates,
} from '../../src/approval';
import { DataPlane } from '../../src/dataplane/client';
import { ClusterEmulator, SANDBOX_APPROVER_CREDENTIALS, SANDBOX_CREDENTIALS } from '../../src/emulator';
import { ClusterState } from '../../src/emulator/cluster';
import { ArcError } from '../../src/emulator/errors';
import { buildClusterModel } from '../../src/emulator/model';
import { testTopology } from './topology';

const gatedTopology = (): Topology => {
  const t = testTopology();
  return { ...t, arc: { ...t.arc, approvalGate: true } };
};

describe('the emulated cluster with the approval gate', () => {
  let now = 0;
  const state = new ClusterState(buildClusterModel(gatedTopology(), '111122223333', 5000), () => now);
  const control = (service: string, region: string) =>
    state.model.routingControls.find((c) => c.service === service && c.region === region && !c.approval)!.arn;
  const approval = state.model.routingControls.find((c) => c.service === 'orders' && c.approval)!;
  const gate = state.model.safetyRules.find(
    (r) => r.kind === 'gating' && r.controlPanel.service === 'orders',
  )!;

  it('builds per panel an approval control and a gating rule on the two routing controls, as the stack does', () => {
    expect(approval.name).toBe('orders-approval');
    expect(approval.arn.startsWith(`${approval.controlPanel.arn}/routingcontrol/`)).toBe(true);
    expect(gate).toMatchObject({
      name: 'orders-approval-gate',
      guarded: [control('orders', 'us-east-1'), control('orders', 'us-west-2')],
      evaluated: [approval.arn],
      config: { Type: 'ATLEAST', Threshold: 1, Inverted: false },
      waitPeriodMs: 5000,
    });
    expect(state.model.routingControls).toHaveLength(9);
    expect(buildClusterModel(testTopology(), '111122223333', 5000).routingControls).toHaveLength(6);
  });

  it('refuses a change of the targets while the approval control is Off: ConflictException with the rule’s ARN', () => {
    let refused: unknown;
    try {
      state.update([{ routingControlArn: control('orders', 'us-east-1'), state: 'On' }]);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ArcError);
    expect(refused).toMatchObject({ type: 'ConflictException', status: 409 });
    expect((refused as ArcError).message).toMatch(
      /gating rule "orders-approval-gate" \(arn:.*\/safetyrule\/[0-9a-f]{16}\) lets orders-us-east-1, orders-us-west-2 change only with at least 1 of orders-approval On/,
    );
    expect(state.stateOf(control('orders', 'us-east-1'))).toBe('Off');
  });

  it('allows the change once the approval control is On, and not after it is Off again', () => {
    state.update([{ routingControlArn: approval.arn, state: 'On' }]);
    state.update([{ routingControlArn: control('orders', 'us-east-1'), state: 'On' }]);
    expect(state.stateOf(control('orders', 'us-east-1'))).toBe('On');
    now += 10_000;
    state.update([{ routingControlArn: approval.arn, state: 'Off' }]);
    expect(() => state.update([{ routingControlArn: control('orders', 'us-west-2'), state: 'On' }])).toThrow(
      /gating rule "orders-approval-gate"/,
    );
  });

  it('lets the break-glass override bypass the gating rule', () => {
    now += 10_000;
    state.update([{ routingControlArn: control('orders', 'us-west-2'), state: 'On' }], [gate.arn]);
    expect(state.stateOf(control('orders', 'us-west-2'))).toBe('On');
  });
});

describe('the gates library against the emulated cluster', () => {
  let emulator: ClusterEmulator;
  let approver: DataPlane;
  let operator: DataPlane;
  beforeAll(async () => {
    emulator = await ClusterEmulator.start({ topology: gatedTopology(), waitPeriodMs: 0 });
    approver = new DataPlane({ endpoints: emulator.endpoints, credentials: SANDBOX_APPROVER_CREDENTIALS });
    operator = new DataPlane({ endpoints: emulator.endpoints, credentials: SANDBOX_CREDENTIALS });
  });
  afterAll(async () => {
    approver.close();
    operator.close();
    await emulator.close();
  });

  it('reads and sets the gates; the operator may read them but not set them', async () => {
    const bookmark = emulator.bookmark();
    expect(await readGates(operator, bookmark, 'all')).toEqual(
      new Map([
        ['edge', 'Off'],
        ['orders', 'Off'],
        ['payments', 'Off'],
      ]),
    );
    expect(await setGates(approver, bookmark, ['orders'], 'On')).toEqual(new Map([['orders', 'On']]));
    await expect(setGates(operator, bookmark, ['orders'], 'Off')).rejects.toMatchObject({
      error: { name: 'AccessDeniedException' },
    });
    expect(await setGates(approver, bookmark, ['orders'], 'Off')).toEqual(new Map([['orders', 'Off']]));
  });

  it('waits until every gate is On, bounded, and stops on halt', async () => {
    const bookmark = emulator.bookmark();
    const waiting = waitForGates(operator, bookmark, ['orders', 'payments'], { timeoutMs: 5000, pollMs: 20 });
    await setGates(approver, bookmark, ['orders'], 'On');
    await new Promise((resolve) => setTimeout(resolve, 60));
    await setGates(approver, bookmark, ['payments'], 'On');
    await expect(waiting).resolves.toEqual(
      new Map([
        ['orders', 'On'],
        ['payments', 'On'],
      ]),
    );

    await setGates(approver, bookmark, ['payments'], 'Off');
    const started = performance.now();
    await expect(
      waitForGates(operator, bookmark, ['orders', 'payments'], { timeoutMs: 150, pollMs: 20 }),
    ).rejects.toThrow(GateTimeout);
    expect(performance.now() - started).toBeLessThan(1000);

    const halt = new AbortController();
    const halted = waitForGates(operator, bookmark, ['payments'], {
      timeoutMs: 60_000,
      pollMs: 10_000,
      halt: halt.signal,
    });
    setTimeout(() => halt.abort(), 50);
    await expect(halted).rejects.toThrow(GateHalted);
  });

  it('says so when an API has no gate', async () => {
    const plain = await ClusterEmulator.start({ topology: testTopology(), waitPeriodMs: 0 });
    try {
      expect(() => gatedApis(plain.bookmark(), ['orders'])).toThrow(NoApprovalGate);
      expect(plain.bookmark().sandbox!.approverCredentials).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});
