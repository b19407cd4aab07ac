import { createHash } from 'node:crypto';
import {
  apiOutputValue,
  approvalControlName,
  gatingRuleName,
  CLUSTER_ARN_OUTPUT,
  CLUSTER_LOGICAL_ID,
  clusterName,
  controlPanelName,
  logicalIds,
  outputKeys,
  routingControlName,
  SAFETY_RULE_WAIT_PERIOD_MS,
  safetyRuleName,
  type Service,
  type Topology,
} from '@arc-failover/shared';
import type {
  CloudFormationOutput,
  CloudFormationResource,
  StackResources,
} from '@arc-failover/shared/serverless';
import {
  APPROVER_POLICY_ARN_OUTPUT,
  approverPolicies,
  BREAK_GLASS_POLICY_ARN_OUTPUT,
  gatedOperatorPolicies,
  type PolicyApi,
  type PolicyPart,
  BREAK_GLASS_POLICY_LOGICAL_ID,
  breakGlassPolicy,
  OPERATOR_POLICY_ARN_OUTPUT,
  OPERATOR_POLICY_LOGICAL_ID,
  operatorPolicy,
} from './operator-policy';

const attribute = (logicalId: string, name: string) => ({ 'Fn::GetAtt': [logicalId, name] });

/**
 * The ARC stack (us-west-2): a cluster (or the topology's existing one), and for every API of the
 * topology, the entry API included, a control panel, a routing control and a RECOVERY_CONTROL health check
 * per Region, and an assertion rule keeping at least one of its two controls On; an operator policy and a
 * break-glass policy over those controls' panels. Outputs carry every ARN and health-check id, one
 * compact output per API (arc-outputs.ts); nothing is exported, since the stacks that read them live in
 * other Regions. With the approval gate (arc.approvalGate), each panel also gets an approval routing
 * control and a gating rule on the API's two controls, the operator policy excludes the approval controls
 * and an approver policy grants only them (both in parts, see operator-policy.ts).
 */
export function arcStack(topology: Topology): StackResources {
  const Resources: Record<string, CloudFormationResource> = {};
  const Outputs: Record<string, CloudFormationOutput> = {};
  const output = (key: string, value: unknown, description: string) => {
    Outputs[key] = { Value: value, Description: description };
  };
  /**
   * The ARC control plane rejects concurrent changes in one cluster (ConflictException), and CloudFormation
   * would create these in parallel: each one waits for the one before it.
   */
  const controlPlaneChain: string[] = [];
  const inChain = (logicalId: string, resource: CloudFormationResource) => {
    const previous = controlPlaneChain.at(-1);
    Resources[logicalId] = previous ? { ...resource, DependsOn: previous } : resource;
    controlPlaneChain.push(logicalId);
  };

  const clusterArn = topology.arc.clusterArn ?? attribute(CLUSTER_LOGICAL_ID, 'ClusterArn');
  if (!topology.arc.clusterArn) {
    inChain(CLUSTER_LOGICAL_ID, {
      Type: 'AWS::Route53RecoveryControl::Cluster',
      Properties: { Name: clusterName(topology) },
    });
  }
  output(CLUSTER_ARN_OUTPUT, clusterArn, 'ARC cluster');

  const controlPanelArns: unknown[] = [];
  const policyApis: PolicyApi[] = [];
  const gated = topology.arc.approvalGate;
  for (const api of topology.all) {
    const panel = logicalIds.controlPanel(api);
    inChain(panel, {
      Type: 'AWS::Route53RecoveryControl::ControlPanel',
      Properties: { Name: controlPanelName(topology, api), ClusterArn: clusterArn },
    });
    const panelArn = attribute(panel, 'ControlPanelArn');
    controlPanelArns.push(panelArn);

    const regions: Record<string, { routingControlArn: unknown; healthCheckId: unknown }> = {};
    const controls = api.regions.map((region) => {
      const control = logicalIds.routingControl(api, region);
      inChain(control, {
        Type: 'AWS::Route53RecoveryControl::RoutingControl',
        Properties: {
          Name: routingControlName(api, region),
          ClusterArn: clusterArn,
          ControlPanelArn: panelArn,
        },
      });
      const controlArn = attribute(control, 'RoutingControlArn');

      const healthCheck = healthCheckLogicalId(topology, api, region);
      Resources[healthCheck] = {
        Type: 'AWS::Route53::HealthCheck',
        Properties: {
          HealthCheckConfig: { Type: 'RECOVERY_CONTROL', RoutingControlArn: controlArn },
          HealthCheckTags: [{ Key: 'Name', Value: `${controlPanelName(topology, api)}-${region}` }],
        },
      };
      regions[region] = { routingControlArn: controlArn, healthCheckId: { Ref: healthCheck } };
      return controlArn;
    });

    const rule = logicalIds.safetyRule(api);
    inChain(rule, {
      Type: 'AWS::Route53RecoveryControl::SafetyRule',
      Properties: {
        Name: safetyRuleName(api),
        ControlPanelArn: panelArn,
        RuleConfig: { Type: 'ATLEAST', Threshold: 1, Inverted: false },
        AssertionRule: { AssertedControls: controls, WaitPeriodMs: SAFETY_RULE_WAIT_PERIOD_MS },
      },
    });
    const gate = gated ? approvalGate(api, panelArn, clusterArn, controls, inChain) : undefined;
    policyApis.push({ controlPanelArn: panelArn, approvalControlArn: gate?.approvalControlArn });
    output(
      outputKeys.api(api),
      apiOutputValue(api, {
        controlPanelArn: panelArn,
        safetyRuleArn: attribute(rule, 'SafetyRuleArn'),
        regions,
        gate,
      }),
      `${api.name}: control panel|at-least-one-On rule|per Region (${api.regions.join(', ')}): Region|routing control|health check (healthy while the control is On)${gate ? '|approval control|gating rule' : ''}`,
    );
  }

  if (gated) {
    const parts = (list: PolicyPart[]) => {
      for (const { logicalId, resource } of list) Resources[logicalId] = resource;
      const refs = list.map(({ logicalId }) => ({ Ref: logicalId }));
      return refs.length === 1 ? refs[0] : { 'Fn::Join': [',', refs] };
    };
    output(
      OPERATOR_POLICY_ARN_OUTPUT,
      parts(gatedOperatorPolicies(topology, policyApis)),
      'attach every one (comma-separated) to whoever switches traffic (within the safety rules, never approving)',
    );
    output(
      APPROVER_POLICY_ARN_OUTPUT,
      parts(approverPolicies(topology, policyApis)),
      'attach every one (comma-separated) to whoever approves switches (approval controls only)',
    );
  } else {
    Resources[OPERATOR_POLICY_LOGICAL_ID] = operatorPolicy(topology, controlPanelArns);
    output(
      OPERATOR_POLICY_ARN_OUTPUT,
      { Ref: OPERATOR_POLICY_LOGICAL_ID },
      'attach to whoever switches traffic (within the safety rules)',
    );
  }
  Resources[BREAK_GLASS_POLICY_LOGICAL_ID] = breakGlassPolicy(topology, controlPanelArns);
  output(
    BREAK_GLASS_POLICY_ARN_OUTPUT,
    { Ref: BREAK_GLASS_POLICY_LOGICAL_ID },
    'attach, with the operator policy, to whoever may override safety rules',
  );

  return { Resources, Outputs };
}

/**
 * An API's approval gate, in the control-plane chain after its assertion rule: an approval routing
 * control, and a gating rule letting the API's two routing controls change only while it is On
 * (ATLEAST 1 of the one gating control, not inverted), with the assertion rule's wait period.
 */
function approvalGate(
  api: Service,
  panelArn: unknown,
  clusterArn: unknown,
  targets: unknown[],
  inChain: (logicalId: string, resource: CloudFormationResource) => void,
): { approvalControlArn: unknown; gatingRuleArn: unknown } {
  const control = logicalIds.approvalControl(api);
  inChain(control, {
    Type: 'AWS::Route53RecoveryControl::RoutingControl',
    Properties: { Name: approvalControlName(api), ClusterArn: clusterArn, ControlPanelArn: panelArn },
  });
  const approvalControlArn = attribute(control, 'RoutingControlArn');
  const rule = logicalIds.gatingRule(api);
  inChain(rule, {
    Type: 'AWS::Route53RecoveryControl::SafetyRule',
    Properties: {
      Name: gatingRuleName(api),
      ControlPanelArn: panelArn,
      RuleConfig: { Type: 'ATLEAST', Threshold: 1, Inverted: false },
      GatingRule: {
        GatingControls: [approvalControlArn],
        TargetControls: targets,
        WaitPeriodMs: SAFETY_RULE_WAIT_PERIOD_MS,
      },
    },
  });
  return { approvalControlArn, gatingRuleArn: attribute(rule, 'SafetyRuleArn') };
}

/**
 * A health check cannot be re-pointed at another routing control (Route 53 refuses it, and CloudFormation
 * ignores the change: an open bug where the update succeeds and the old ARN stays). A routing control is
 * replaced, with a new ARN, whenever its cluster changes (a new cluster, or a clusterArn in the topology),
 * so the cluster is part of the health check's logical id: a new routing control then gets a new health
 * check. CloudFormation deletes the old one at the end of the ARC stack's update, while the API stacks'
 * failover records still name it until their own deploys (Route 53 allows that, and a record's answers
 * are then unpredictable): `npm run deploy` deploys them right after, and warns when this happened.
 * Keeping the old checks (DeletionPolicy Retain) would not help, since their routing controls are gone
 * too, and every `sls remove` would leave them behind, billed.
 */
export function healthCheckLogicalId(topology: Topology, api: Service, region: string): string {
  const cluster = topology.arc.clusterArn ?? `stack cluster ${clusterName(topology)}`;
  const generation = createHash('sha256').update(cluster).digest('hex').slice(0, 8);
  return `${logicalIds.healthCheck(api, region)}${generation}`;
}
