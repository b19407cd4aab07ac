import type { CloudFormationResource } from '@arc-failover/shared/serverless';
import type { Topology } from '@arc-failover/shared';

export const OPERATOR_POLICY_LOGICAL_ID = 'OperatorPolicy';
export const OPERATOR_POLICY_ARN_OUTPUT = 'OperatorPolicyArn';
export const BREAK_GLASS_POLICY_LOGICAL_ID = 'BreakGlassPolicy';
export const BREAK_GLASS_POLICY_ARN_OUTPUT = 'BreakGlassPolicyArn';

/**
 * The cluster data-plane actions that accept a routing-control ARN as resource (IAM Service Authorization
 * Reference, route53-recovery-cluster). ListRoutingControls supports no resource type, so it could only be
 * granted on "*": it is left out, and the switchover CLI reads each control's state with
 * GetRoutingControlState instead.
 */
const READ_ACTIONS = ['route53-recovery-cluster:GetRoutingControlState'];
const UPDATE_ACTIONS = [
  'route53-recovery-cluster:UpdateRoutingControlState',
  'route53-recovery-cluster:UpdateRoutingControlStates',
];

/** A Bool condition key of both update actions: true when the request carries SafetyRulesToOverride. */
const OVERRIDES_KEY = 'route53-recovery-cluster:AllowSafetyRulesOverrides';

/**
 * The resource of every grant: the routing controls of one of the stack's control panels,
 * `arn:aws:route53-recovery-control::<account>:controlpanel/<id>/routingcontrol/*`, built from the panel's
 * ARN. One resource per panel instead of one per routing control halves the policies, so 49 APIs fit IAM's
 * 6,144 characters; it is never account-wide (each panel is this stack's), but a routing control someone
 * adds by hand to one of these panels is covered too.
 */
export function routingControlsOf(controlPanelArn: unknown): unknown {
  return { 'Fn::Join': ['', [controlPanelArn, '/routingcontrol/*']] };
}

/**
 * A managed policy for the people and roles that switch traffic: read and flip the routing controls of
 * this stack's control panels through the cluster endpoints, within the safety rules, and nothing else (no
 * control-plane action, no other panel, no override). One statement: the reads carry no override key, so
 * the condition lets them through, while an update that overrides safety rules carries it as true and is
 * refused.
 */
export function operatorPolicy(topology: Topology, controlPanelArns: unknown[]): CloudFormationResource {
  return managedPolicy(
    `${topology.project}-${topology.stage}-routing-control-operator`,
    `Read and switch the ${topology.project} ${topology.stage} routing controls through the ARC cluster data plane, within the safety rules`,
    [
      {
        Sid: 'ReadAndSwitchWithinSafetyRules',
        Effect: 'Allow',
        Action: [...READ_ACTIONS, ...UPDATE_ACTIONS],
        Resource: controlPanelArns.map(routingControlsOf),
        // IfExists keeps reads and ordinary switches allowed whether the cluster sends the key as false or
        // leaves it out.
        Condition: { BoolIfExists: { [OVERRIDES_KEY]: 'false' } },
      },
    ],
  );
}

/**
 * The break-glass addition to the operator policy: the same switches with safety rules overridden
 * (`--override-safety-rule`), for the few who may do that. Attach it beside the operator policy, which
 * grants the reads and the ordinary switches.
 */
export function breakGlassPolicy(topology: Topology, controlPanelArns: unknown[]): CloudFormationResource {
  return managedPolicy(
    `${topology.project}-${topology.stage}-routing-control-break-glass`,
    `Switch the ${topology.project} ${topology.stage} routing controls overriding safety rules (break glass); attach with the operator policy`,
    [
      {
        Sid: 'OverrideSafetyRules',
        Effect: 'Allow',
        Action: UPDATE_ACTIONS,
        Resource: controlPanelArns.map(routingControlsOf),
        Condition: { Bool: { [OVERRIDES_KEY]: 'true' } },
      },
    ],
  );
}

function managedPolicy(name: string, description: string, statements: unknown[]): CloudFormationResource {
  return {
    Type: 'AWS::IAM::ManagedPolicy',
    Properties: {
      ManagedPolicyName: name,
      Description: description,
      PolicyDocument: { Version: '2012-10-17', Statement: statements },
    },
  };
}
