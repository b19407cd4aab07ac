import {
  type RoutingControlState,
  controlPanelName,
  routingControlName,
  safetyRuleName,
} from '@arc-failover/shared';
import { ClusterState, type StateChange } from '../../src/emulator/cluster';
import { ArcError } from '../../src/emulator/errors';
import { buildClusterModel, type RuleConfig } from '../../src/emulator/model';
import { ruleHolds } from '../../src/emulator/rules';
import { testTopology } from './topology';

const topology = testTopology();
const WAIT = 5000;

function cluster() {
  let now = 1_000_000;
  const state = new ClusterState(buildClusterModel(topology, '111122223333', WAIT), () => now);
  const arn = (service: string, region: string) =>
    state.model.routingControls.find((c) => c.service === service && c.region === region)!.arn;
  const ruleArn = (service: string) =>
    state.model.safetyRules.find((r) => r.controlPanel.service === service)!.arn;
  const set = (service: string, region: string, to: RoutingControlState): StateChange => ({
    routingControlArn: arn(service, region),
    state: to,
  });
  const states = () => state.model.routingControls.map((c) => `${c.name}=${state.stateOf(c.arn)}`);
  return { state, arn, ruleArn, set, states, tick: (ms: number) => (now += ms) };
}

/** The ArcError a call throws, so its type and fields can be asserted. */
function arcErrorOf(call: () => unknown): ArcError {
  try {
    call();
  } catch (error) {
    if (error instanceof ArcError) return error;
    throw error;
  }
  throw new Error('expected an ArcError, but the call succeeded');
}

describe('the cluster model built from the topology', () => {
  const model = buildClusterModel(topology, '111122223333', WAIT);

  it('has one control panel per entry API and service, named as the ARC stack names them', () => {
    expect(model.controlPanels.map((p) => p.name)).toEqual(
      topology.all.map((service) => controlPanelName(topology, service)),
    );
    expect(model.controlPanels.map((p) => p.name)).toEqual([
      'shop-test-edge',
      'shop-test-orders',
      'shop-test-payments',
    ]);
  });

  it('has one routing control per service and Region, primary first, and one ATLEAST-1 rule per service', () => {
    expect(model.routingControls.map((c) => c.name)).toEqual(
      topology.all.flatMap((service) => service.regions.map((region) => routingControlName(service, region))),
    );
    expect(
      model.safetyRules.map((r) => [r.name, r.kind, r.config, r.guarded.length, r.waitPeriodMs]),
    ).toEqual(
      topology.all.map((service) => [
        safetyRuleName(service),
        'assertion',
        { Type: 'ATLEAST', Threshold: 1, Inverted: false },
        2,
        WAIT,
      ]),
    );
  });

  it('uses the real ARN shapes', () => {
    expect(model.clusterArn).toMatch(
      /^arn:aws:route53-recovery-control::111122223333:cluster\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    for (const panel of model.controlPanels) {
      expect(panel.arn).toMatch(
        /^arn:aws:route53-recovery-control::111122223333:controlpanel\/[0-9a-f]{32}$/,
      );
    }
    for (const control of model.routingControls) {
      expect(control.arn).toMatch(new RegExp(`^${control.controlPanel.arn}/routingcontrol/[0-9a-f]{16}$`));
    }
    for (const rule of model.safetyRules) {
      expect(rule.arn).toMatch(new RegExp(`^${rule.controlPanel.arn}/safetyrule/[0-9a-f]{16}$`));
    }
    const all = [
      model.clusterArn,
      ...model.routingControls.map((c) => c.arn),
      ...model.safetyRules.map((r) => r.arn),
    ];
    expect(new Set(all).size).toBe(all.length);
  });

  it('gives the same ARNs on every start for the same topology and account, and others for another account', () => {
    const again = buildClusterModel(testTopology(), '111122223333', WAIT);
    expect(again.routingControls.map((c) => c.arn)).toEqual(model.routingControls.map((c) => c.arn));
    expect(again.safetyRules.map((r) => r.arn)).toEqual(model.safetyRules.map((r) => r.arn));
    const other = buildClusterModel(topology, '444455556666', WAIT);
    expect(other.clusterArn).not.toBe(model.clusterArn);
    expect(other.routingControls[0]!.arn).toMatch(/::444455556666:controlpanel\//);
    expect(buildClusterModel(testTopology('prod'), '111122223333', WAIT).clusterArn).not.toBe(
      model.clusterArn,
    );
  });
});

describe('rule criteria', () => {
  const config = (Type: RuleConfig['Type'], Threshold = 0, Inverted = false): RuleConfig => ({
    Type,
    Threshold,
    Inverted,
  });
  it.each([
    [config('ATLEAST', 1), ['Off', 'Off'], false],
    [config('ATLEAST', 1), ['On', 'Off'], true],
    [config('ATLEAST', 2), ['On', 'Off', 'On'], true],
    [config('ATLEAST', 2), ['On', 'Off', 'Off'], false],
    [config('AND'), ['On', 'On'], true],
    [config('AND'), ['On', 'Off'], false],
    [config('OR'), ['Off', 'On'], true],
    [config('OR'), ['Off', 'Off'], false],
    [config('OR', 0, true), ['Off', 'Off'], true],
    [config('AND', 0, true), ['On', 'On'], false],
    [config('ATLEAST', 1, true), ['On', 'Off'], false],
  ] as const)('%j over %j holds: %s', (rule, states, holds) => {
    expect(ruleHolds(rule, states)).toBe(holds);
  });
});

describe('updating routing controls', () => {
  it('starts every routing control Off, as after a first deploy', () => {
    const { states } = cluster();
    expect(states().every((s) => s.endsWith('=Off'))).toBe(true);
  });

  it('evaluates a batch on the state after the whole batch: a failover in one batch passes', () => {
    const { state, set, states, tick } = cluster();
    state.update([set('orders', 'us-east-1', 'On'), set('orders', 'us-west-2', 'Off')]);
    tick(WAIT);
    state.update([set('orders', 'us-east-1', 'Off'), set('orders', 'us-west-2', 'On')], []);
    expect(states()).toContain('orders-us-east-1=Off');
    expect(states()).toContain('orders-us-west-2=On');
  });

  it('rejects a violating batch whole, naming the rule, its ARN and why, and changes nothing', () => {
    const { state, set, states, ruleArn } = cluster();
    const before = states();
    const error = arcErrorOf(() =>
      state.update([set('payments', 'eu-west-1', 'On'), set('orders', 'us-west-2', 'Off')]),
    );
    expect(error.type).toBe('ConflictException');
    expect(error.status).toBe(409);
    expect(error.members).toEqual({ resourceId: ruleArn('orders'), resourceType: 'SafetyRule' });
    expect(error.message).toContain(`"orders-at-least-one-on" (${ruleArn('orders')})`);
    expect(error.message).toContain('at least 1 of orders-us-east-1, orders-us-west-2 On');
    expect(error.message).toContain('0 of 2 would be On');
    expect(states()).toEqual(before);
  });

  it('does not let a rule of one service block a change to another', () => {
    const { state, set, states } = cluster();
    state.update([set('payments', 'eu-west-1', 'On')]);
    expect(states()).toContain('payments-eu-west-1=On');
    expect(states()).toContain('orders-us-east-1=Off');
  });

  it('skips overridden rules, and an override reveals the next rule that blocks', () => {
    const { state, set, states, ruleArn, arn } = cluster();
    const both = state.addSafetyRule(
      {
        Name: 'orders-never-both-off',
        AssertedControls: [arn('orders', 'us-east-1'), arn('orders', 'us-west-2')],
        RuleConfig: { Type: 'OR', Threshold: 0, Inverted: false },
      },
      0,
    ).arn;
    const first = arcErrorOf(() => state.update([set('orders', 'us-west-2', 'Off')]));
    expect(first.members.resourceId).toBe(ruleArn('orders'));
    const second = arcErrorOf(() => state.update([set('orders', 'us-west-2', 'Off')], [ruleArn('orders')]));
    expect(second.members.resourceId).toBe(both);
    expect(second.message).toContain('at least one of orders-us-east-1, orders-us-west-2 On');
    state.update([set('orders', 'us-west-2', 'Off')], [ruleArn('orders'), both]);
    expect(states()).toContain('orders-us-west-2=Off');
  });

  it('answers an override naming no rule of the cluster with ResourceNotFoundException, changing nothing', () => {
    const { state, set, states, ruleArn } = cluster();
    const missing = `${ruleArn('orders').slice(0, -16)}0000000000000000`;
    const error = arcErrorOf(() => state.update([set('orders', 'us-east-1', 'On')], [missing]));
    expect([error.type, error.status, error.members]).toEqual([
      'ResourceNotFoundException',
      404,
      { resourceId: missing, resourceType: 'SafetyRule' },
    ]);
    expect(states().every((s) => s.endsWith('=Off'))).toBe(true);
  });

  it('answers an unknown routing control with ResourceNotFoundException, even next to valid entries', () => {
    const { state, set, arn } = cluster();
    const missing = `${arn('orders', 'us-east-1').slice(0, -1)}x`;
    const error = arcErrorOf(() =>
      state.update([set('orders', 'us-east-1', 'On'), { routingControlArn: missing, state: 'On' }]),
    );
    expect([error.type, error.status, error.members]).toEqual([
      'ResourceNotFoundException',
      404,
      { resourceId: missing, resourceType: 'RoutingControl' },
    ]);
    expect(state.stateOf(arn('orders', 'us-east-1'))).toBe('Off');
  });

  it('lets gated controls change only while the gating rule holds on the state after the batch', () => {
    const { state, set, states, arn, tick } = cluster();
    const gate = state.addSafetyRule(
      {
        Name: 'edge-gates-orders',
        GatingControls: [arn('edge', 'us-east-1')],
        TargetControls: [arn('orders', 'us-east-1'), arn('orders', 'us-west-2')],
        RuleConfig: { Type: 'OR', Threshold: 0, Inverted: false },
      },
      0,
    ).arn;
    const blocked = arcErrorOf(() => state.update([set('orders', 'us-east-1', 'On')]));
    expect(blocked.members.resourceId).toBe(gate);
    expect(blocked.message).toContain('gating rule "edge-gates-orders"');
    expect(blocked.message).toContain(
      'lets orders-us-east-1, orders-us-west-2 change only with at least one of edge-us-east-1 On',
    );
    expect(states()).toContain('orders-us-east-1=Off');

    state.update([set('edge', 'us-east-1', 'On'), set('orders', 'us-east-1', 'On')]);
    expect(states()).toEqual(expect.arrayContaining(['edge-us-east-1=On', 'orders-us-east-1=On']));
    tick(WAIT);
    expect(() => state.update([set('orders', 'us-west-2', 'On')])).not.toThrow();
  });

  it('honours Inverted on a gating rule: a "freeze" control that must be Off', () => {
    const { state, set, arn, tick } = cluster();
    const freeze = state.addSafetyRule(
      {
        Name: 'freeze-payments',
        GatingControls: [arn('edge', 'us-west-2')],
        TargetControls: [arn('payments', 'eu-west-1')],
        RuleConfig: { Type: 'AND', Threshold: 0, Inverted: true },
      },
      0,
    ).arn;
    state.update([set('payments', 'eu-west-1', 'On')]);
    state.update([set('edge', 'us-west-2', 'On')]);
    tick(WAIT);
    const error = arcErrorOf(() =>
      state.update([set('payments', 'eu-central-1', 'On'), set('payments', 'eu-west-1', 'Off')]),
    );
    expect(error.members.resourceId).toBe(freeze);
    expect(error.message).toContain('NOT (all of edge-us-west-2 On)');
  });
});

describe('the wait period after a change', () => {
  it('rejects further changes to the rule’s controls until WaitPeriodMs has passed, then allows them', () => {
    const { state, set, states, ruleArn, tick } = cluster();
    state.update([set('orders', 'us-east-1', 'On')]);
    tick(WAIT - 1);
    const error = arcErrorOf(() => state.update([set('orders', 'us-west-2', 'On')]));
    expect([error.type, error.status, error.members.resourceId]).toEqual([
      'ConflictException',
      409,
      ruleArn('orders'),
    ]);
    expect(error.message).toContain(`wait period of ${WAIT} ms`);
    expect(error.message).toContain('try again in 1 ms');
    expect(states()).toContain('orders-us-west-2=Off');
    tick(1);
    state.update([set('orders', 'us-west-2', 'On')]);
    expect(states()).toContain('orders-us-west-2=On');
  });

  it('does not hold back reads or other services; an override skips it; a no-op batch does not restart it', () => {
    const { state, set, arn, ruleArn, states, tick } = cluster();
    state.update([set('orders', 'us-east-1', 'On')]);
    tick(10);
    expect(state.stateOf(arn('orders', 'us-east-1'))).toBe('On');
    state.update([set('payments', 'eu-west-1', 'On')]);
    state.update([set('orders', 'us-west-2', 'On')], [ruleArn('orders')]);
    tick(WAIT);
    state.update([set('orders', 'us-west-2', 'On')]);
    state.update([set('orders', 'us-east-1', 'Off')]);
    expect(states()).toEqual(
      expect.arrayContaining(['orders-us-east-1=Off', 'orders-us-west-2=On', 'payments-eu-west-1=On']),
    );
  });
});

describe('change listeners', () => {
  it('hear once per applied batch with the controls that changed, never for a rejected or no-op batch', () => {
    const { state, set, arn } = cluster();
    const heard: StateChange[][] = [];
    const stop = state.onChange((changes) => heard.push(changes));
    state.update([set('orders', 'us-east-1', 'On'), set('orders', 'us-west-2', 'Off')]);
    expect(() => state.update([set('payments', 'eu-west-1', 'Off')])).toThrow(ArcError);
    state.update([set('payments', 'eu-west-1', 'On'), set('payments', 'eu-central-1', 'Off')]);
    stop();
    state.update([set('edge', 'us-east-1', 'On')]);
    expect(heard).toEqual([
      [{ routingControlArn: arn('orders', 'us-east-1'), state: 'On' }],
      [{ routingControlArn: arn('payments', 'eu-west-1'), state: 'On' }],
    ]);
  });
});

describe('adding safety rules', () => {
  it('refuses a rule that names a control outside the cluster, reuses a name, or has no valid threshold', () => {
    const { state, arn } = cluster();
    const base = { Name: 'extra', RuleConfig: { Type: 'ATLEAST', Threshold: 1, Inverted: false } } as const;
    expect(() => state.addSafetyRule({ ...base, AssertedControls: ['arn:aws:nope'] }, 0)).toThrow(
      'safety rule "extra": arn:aws:nope is not a routing control of this cluster',
    );
    expect(() =>
      state.addSafetyRule(
        { ...base, Name: 'orders-at-least-one-on', AssertedControls: [arn('orders', 'us-east-1')] },
        0,
      ),
    ).toThrow('the control panel shop-test-orders already has a rule of that name');
    expect(() =>
      state.addSafetyRule(
        {
          ...base,
          RuleConfig: { Type: 'ATLEAST', Threshold: 0, Inverted: false },
          AssertedControls: [arn('orders', 'us-east-1')],
        },
        0,
      ),
    ).toThrow('Threshold of an ATLEAST rule must be a whole number of at least 1');
  });
});
