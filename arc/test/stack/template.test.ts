import { readFileSync } from 'node:fs';
import { DEFAULT_TOPOLOGY_FILE, loadTopology, parseTopology } from '@arc-failover/shared';
import { arcStack, healthCheckLogicalId } from '../../src/stack/template';

const EXISTING_CLUSTER =
  'arn:aws:route53-recovery-control::111122223333:cluster/4b5e7c9d-1a2b-4c3d-8e9f-0a1b2c3d4e5f';

function topology({
  clusterArn,
  service3 = false,
  approvalGate = false,
}: { clusterArn?: string; service3?: boolean; approvalGate?: boolean } = {}) {
  const doc = JSON.parse(readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8'));
  if (clusterArn) doc.stages.prod.arc.clusterArn = clusterArn;
  if (approvalGate) doc.stages.prod.arc.approvalGate = true;
  if (service3)
    doc.services.push({ name: 'service3', primaryRegion: 'eu-west-1', secondaryRegion: 'eu-central-1' });
  return parseTopology(doc, 'prod');
}

const ofType = (resources: Record<string, { Type: string }>, type: string) =>
  Object.keys(resources).filter((id) => resources[id]!.Type === type);
const statementsOf = (resources: Record<string, { Properties?: Record<string, unknown> }>, id: string) =>
  (resources[id]!.Properties!.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;

describe('the ARC stack', () => {
  it('uses an existing cluster instead of creating one, and still outputs its ARN', () => {
    const { Resources, Outputs } = arcStack(topology({ clusterArn: EXISTING_CLUSTER }));
    expect(ofType(Resources, 'AWS::Route53RecoveryControl::Cluster')).toEqual([]);
    expect(Outputs!.ClusterArn!.Value).toBe(EXISTING_CLUSTER);
    expect(Resources.ControlPanelService1!.Properties!.ClusterArn).toBe(EXISTING_CLUSTER);
    expect(Resources.ControlPanelExternalApi!.DependsOn).toBeUndefined();
  });

  it('gives every health check a new logical id when its routing control moves to another cluster', () => {
    const own = loadTopology('prod');
    const existing = topology({ clusterArn: EXISTING_CLUSTER });
    const [api] = own.services;
    expect(healthCheckLogicalId(own, api!, 'us-east-1')).toMatch(/^HealthCheckService1UsEast1[0-9a-f]{8}$/);
    expect(healthCheckLogicalId(existing, api!, 'us-east-1')).not.toBe(
      healthCheckLogicalId(own, api!, 'us-east-1'),
    );
    expect(healthCheckLogicalId(own, api!, 'us-east-1')).toBe(
      healthCheckLogicalId(loadTopology('prod'), api!, 'us-east-1'),
    );
  });

  it('grows by one control panel, two routing controls, two health checks and one rule for a service3', () => {
    const before = arcStack(topology()).Resources;
    const after = arcStack(topology({ service3: true })).Resources;
    const count = (resources: typeof before, type: string) => ofType(resources, type).length;
    expect(
      count(after, 'AWS::Route53RecoveryControl::ControlPanel') -
        count(before, 'AWS::Route53RecoveryControl::ControlPanel'),
    ).toBe(1);
    expect(
      count(after, 'AWS::Route53RecoveryControl::RoutingControl') -
        count(before, 'AWS::Route53RecoveryControl::RoutingControl'),
    ).toBe(2);
    expect(count(after, 'AWS::Route53::HealthCheck') - count(before, 'AWS::Route53::HealthCheck')).toBe(2);
    expect(
      count(after, 'AWS::Route53RecoveryControl::SafetyRule') -
        count(before, 'AWS::Route53RecoveryControl::SafetyRule'),
    ).toBe(1);
    expect(after.RoutingControlService3EuCentral1!.Properties!.Name).toBe('service3-eu-central-1');
    for (const policy of ['OperatorPolicy', 'BreakGlassPolicy']) {
      for (const { Resource } of statementsOf(after, policy)) {
        expect(Resource).toContainEqual({
          'Fn::Join': [
            '',
            [{ 'Fn::GetAtt': ['ControlPanelService3', 'ControlPanelArn'] }, '/routingcontrol/*'],
          ],
        });
      }
    }
  });

  it('outputs each API in one compact output: panel, rule, and per Region its control and health check', () => {
    const t = topology();
    const { Outputs } = arcStack(t);
    const own = healthCheckLogicalId(t, t.services[0]!, 'us-east-1');
    const other = healthCheckLogicalId(t, t.services[0]!, 'us-west-2');
    expect(Outputs!.ApiService1!.Value).toEqual({
      'Fn::Join': [
        '|',
        [
          { 'Fn::GetAtt': ['ControlPanelService1', 'ControlPanelArn'] },
          { 'Fn::GetAtt': ['SafetyRuleService1AtLeastOneOn', 'SafetyRuleArn'] },
          'us-east-1',
          { 'Fn::GetAtt': ['RoutingControlService1UsEast1', 'RoutingControlArn'] },
          { Ref: own },
          'us-west-2',
          { 'Fn::GetAtt': ['RoutingControlService1UsWest2', 'RoutingControlArn'] },
          { Ref: other },
        ],
      ],
    });
    expect(Object.keys(Outputs!).sort()).toEqual(
      [
        'ClusterArn',
        'OperatorPolicyArn',
        'BreakGlassPolicyArn',
        'ApiExternalApi',
        'ApiService1',
        'ApiService2',
      ].sort(),
    );
  });

  describe('IAM', () => {
    const { Resources } = arcStack(topology());
    /** The routing controls of each of the stack's control panels, and nothing else. */
    const controls = ofType(Resources, 'AWS::Route53RecoveryControl::ControlPanel').map((id) => ({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'ControlPanelArn'] }, '/routingcontrol/*']],
    }));
    const UPDATES = [
      'route53-recovery-cluster:UpdateRoutingControlState',
      'route53-recovery-cluster:UpdateRoutingControlStates',
    ];

    it('lets operators read and switch every routing control, but refuses a request overriding safety rules', () => {
      expect(statementsOf(Resources, 'OperatorPolicy')).toEqual([
        {
          Sid: 'ReadAndSwitchWithinSafetyRules',
          Effect: 'Allow',
          Action: ['route53-recovery-cluster:GetRoutingControlState', ...UPDATES],
          Resource: controls,
          Condition: { BoolIfExists: { 'route53-recovery-cluster:AllowSafetyRulesOverrides': 'false' } },
        },
      ]);
    });

    it('grants overriding safety rules only through the separate break-glass policy', () => {
      expect(statementsOf(Resources, 'BreakGlassPolicy')).toEqual([
        {
          Sid: 'OverrideSafetyRules',
          Effect: 'Allow',
          Action: UPDATES,
          Resource: controls,
          Condition: { Bool: { 'route53-recovery-cluster:AllowSafetyRulesOverrides': 'true' } },
        },
      ]);
      expect(Resources.BreakGlassPolicy!.Properties!.ManagedPolicyName).toBe(
        'arc-failover-prod-routing-control-break-glass',
      );
      expect(Resources.OperatorPolicy!.Properties!.ManagedPolicyName).toBe(
        'arc-failover-prod-routing-control-operator',
      );
    });

    it("grants no * action and no resource outside the stack's control panels", () => {
      for (const policy of ['OperatorPolicy', 'BreakGlassPolicy']) {
        for (const { Action, Resource } of statementsOf(Resources, policy)) {
          expect((Action as string[]).every((a) => /^route53-recovery-cluster:[A-Za-z]+$/.test(a))).toBe(
            true,
          );
          expect(Resource).toEqual(controls);
        }
      }
    });

    it('outputs the ARN of each policy', () => {
      const { Outputs } = arcStack(topology());
      expect(Outputs!.OperatorPolicyArn!.Value).toEqual({ Ref: 'OperatorPolicy' });
      expect(Outputs!.BreakGlassPolicyArn!.Value).toEqual({ Ref: 'BreakGlassPolicy' });
    });
  });

  describe('with the approval gate', () => {
    const gated = arcStack(topology({ approvalGate: true }));
    const plain = arcStack(topology());
    const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });

    it('adds per panel an approval control and a gating rule on the API’s two routing controls', () => {
      expect(ofType(gated.Resources, 'AWS::Route53RecoveryControl::RoutingControl')).toHaveLength(9);
      expect(gated.Resources.ApprovalControlService1).toEqual({
        Type: 'AWS::Route53RecoveryControl::RoutingControl',
        Properties: {
          Name: 'service1-approval',
          ClusterArn: getAtt('Cluster', 'ClusterArn'),
          ControlPanelArn: getAtt('ControlPanelService1', 'ControlPanelArn'),
        },
        DependsOn: 'SafetyRuleService1AtLeastOneOn',
      });
      expect(gated.Resources.SafetyRuleService1ApprovalGate).toEqual({
        Type: 'AWS::Route53RecoveryControl::SafetyRule',
        Properties: {
          Name: 'service1-approval-gate',
          ControlPanelArn: getAtt('ControlPanelService1', 'ControlPanelArn'),
          RuleConfig: { Type: 'ATLEAST', Threshold: 1, Inverted: false },
          GatingRule: {
            GatingControls: [getAtt('ApprovalControlService1', 'RoutingControlArn')],
            TargetControls: [
              getAtt('RoutingControlService1UsEast1', 'RoutingControlArn'),
              getAtt('RoutingControlService1UsWest2', 'RoutingControlArn'),
            ],
            WaitPeriodMs: 5000,
          },
        },
        DependsOn: 'ApprovalControlService1',
      });
      // the next panel waits for the gate: one control-plane change at a time
      expect(gated.Resources.ControlPanelService2!.DependsOn).toBe('SafetyRuleService1ApprovalGate');
    });

    it('chains every control-plane resource, so ARC sees one change at a time', () => {
      const arc = Object.entries(gated.Resources).filter(([, r]) =>
        r.Type.startsWith('AWS::Route53RecoveryControl::'),
      );
      const dependedOn = arc.map(([, r]) => r.DependsOn).filter(Boolean);
      expect(new Set(dependedOn).size).toBe(arc.length - 1);
      expect(arc.filter(([, r]) => !r.DependsOn).map(([id]) => id)).toEqual(['Cluster']);
    });

    it('adds the approval control and gating rule to the compact output, nothing without the gate', () => {
      const value = gated.Outputs!.ApiService1!.Value as { 'Fn::Join': [string, unknown[]] };
      expect(value['Fn::Join'][1].slice(8)).toEqual([
        getAtt('ApprovalControlService1', 'RoutingControlArn'),
        getAtt('SafetyRuleService1ApprovalGate', 'SafetyRuleArn'),
      ]);
      expect(
        (plain.Outputs!.ApiService1!.Value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1],
      ).toHaveLength(8);
      expect(ofType(plain.Resources, 'AWS::Route53RecoveryControl::SafetyRule')).toHaveLength(3);
    });

    it('lets the operator switch the API controls but never update an approval control', () => {
      expect(statementsOf(gated.Resources, 'OperatorPolicy')).toEqual([
        expect.objectContaining({ Sid: 'ReadAndSwitchWithinSafetyRules', Effect: 'Allow' }),
        {
          Sid: 'NeverTheApprovalControls',
          Effect: 'Deny',
          Action: [
            'route53-recovery-cluster:UpdateRoutingControlState',
            'route53-recovery-cluster:UpdateRoutingControlStates',
          ],
          Resource: ['ExternalApi', 'Service1', 'Service2'].map((api) =>
            getAtt(`ApprovalControl${api}`, 'RoutingControlArn'),
          ),
        },
      ]);
      expect(gated.Outputs!.OperatorPolicyArn!.Value).toEqual({ Ref: 'OperatorPolicy' });
      expect(gated.Resources.OperatorPolicy!.Properties!.ManagedPolicyName).toBe(
        'arc-failover-prod-routing-control-operator',
      );
    });

    it('outputs an approver policy granting Get and Update on the approval controls only', () => {
      expect(statementsOf(gated.Resources, 'ApproverPolicy')).toEqual([
        {
          Sid: 'ApproveAndRevoke',
          Effect: 'Allow',
          Action: [
            'route53-recovery-cluster:GetRoutingControlState',
            'route53-recovery-cluster:UpdateRoutingControlState',
            'route53-recovery-cluster:UpdateRoutingControlStates',
          ],
          Resource: ['ExternalApi', 'Service1', 'Service2'].map((api) =>
            getAtt(`ApprovalControl${api}`, 'RoutingControlArn'),
          ),
          Condition: { BoolIfExists: { 'route53-recovery-cluster:AllowSafetyRulesOverrides': 'false' } },
        },
      ]);
      expect(gated.Outputs!.ApproverPolicyArn!.Value).toEqual({ Ref: 'ApproverPolicy' });
      expect(plain.Outputs!.ApproverPolicyArn).toBeUndefined();
      expect(plain.Resources.ApproverPolicy).toBeUndefined();
    });

    it('keeps the break-glass path: overriding the gating rule stays possible, as before', () => {
      expect(statementsOf(gated.Resources, 'BreakGlassPolicy')).toEqual(
        statementsOf(plain.Resources, 'BreakGlassPolicy'),
      );
    });
  });
});
