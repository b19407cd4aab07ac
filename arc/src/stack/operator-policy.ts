import type { CloudFormationResource } from '@arc-failover/shared/serverless';
import { GATED_POLICY_APIS_PER_PART, policyParts, type Topology } from '@arc-failover/shared';

export const OPERATOR_POLICY_LOGICAL_ID = 'OperatorPolicy';
export const OPERATOR_POLICY_ARN_OUTPUT = 'OperatorPolicyArn';
export const BREAK_GLASS_POLICY_LOGICAL_ID = 'BreakGlassPolicy';
export const BREAK_GLASS_POLICY_ARN_OUTPUT = 'BreakGlassPolicyArn';
export const APPROVER_POLICY_LOGICAL_ID = 'ApproverPolicy';
export const APPROVER_POLICY_ARN_OUTPUT = 'ApproverPolicyArn';

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

/** One API's resources as the policies name them (CloudFormation intrinsics or resolved ARNs). */
export interface PolicyApi {
  controlPanelArn: unknown;
  /** Present with the approval gate. */
  approvalControlArn?: unknown;
}

/** A managed policy of the stack, part `part` (from 1) of its kind. */
export interface PolicyPart {
  logicalId: string;
  resource: CloudFormationResource;
}

const partId = (base: string, part: number) => (part === 1 ? base : `${base}${part}`);
const partName = (name: string, part: number) => (part === 1 ? name : `${name}-${part}`);

/**
 * The operator's policy with the approval gate, in parts (GATED_POLICY_APIS_PER_PART.operator APIs each).
 * Measured at 49 APIs (arc/test/stack/quota.test.ts): naming the two API controls of each panel instead
 * of the panel's wildcard would take 98 ARNs of 124 characters, ~12,500 characters; the wildcard per panel
 * plus a Deny of its approval control takes ~239 characters per API, ~11,700 in all: neither fits IAM's
 * 6,144 in one policy, so the policy comes in parts. Each part allows and denies for the same APIs, so a
 * part attached alone grants those APIs' switches and never their approvals, and a part left unattached
 * only takes switches away: it fails closed. The Deny also binds whoever holds the break-glass or the
 * approver policy with it: one principal cannot both approve and switch (the two-person rule).
 */
export function gatedOperatorPolicies(topology: Topology, apis: PolicyApi[]): PolicyPart[] {
  const base = `${topology.project}-${topology.stage}-routing-control-operator`;
  return policyParts(apis, GATED_POLICY_APIS_PER_PART.operator).map((part, index, all) => ({
    logicalId: partId(OPERATOR_POLICY_LOGICAL_ID, index + 1),
    resource: managedPolicy(
      partName(base, index + 1),
      `Part ${index + 1} of ${all.length}: read and switch ${part.length} of the ${topology.project} ${topology.stage} APIs within the safety rules; never their approval controls`,
      [
        {
          Sid: 'ReadAndSwitchWithinSafetyRules',
          Effect: 'Allow',
          Action: [...READ_ACTIONS, ...UPDATE_ACTIONS],
          Resource: part.map((api) => routingControlsOf(api.controlPanelArn)),
          Condition: { BoolIfExists: { [OVERRIDES_KEY]: 'false' } },
        },
        {
          Sid: 'NeverTheApprovalControls',
          Effect: 'Deny',
          Action: UPDATE_ACTIONS,
          Resource: part.map((api) => api.approvalControlArn),
        },
      ],
    ),
  }));
}

/**
 * The approver's policy (approval gate): read and flip the approval controls, and nothing else; in parts
 * of GATED_POLICY_APIS_PER_PART.approver APIs, since 49 approval-control ARNs alone are ~6,200 characters.
 * No override: no rule guards an approval control, and an approver has no business overriding one.
 */
export function approverPolicies(topology: Topology, apis: PolicyApi[]): PolicyPart[] {
  const base = `${topology.project}-${topology.stage}-routing-control-approver`;
  return policyParts(apis, GATED_POLICY_APIS_PER_PART.approver).map((part, index, all) => ({
    logicalId: partId(APPROVER_POLICY_LOGICAL_ID, index + 1),
    resource: managedPolicy(
      partName(base, index + 1),
      `Part ${index + 1} of ${all.length}: approve and revoke switches of ${part.length} of the ${topology.project} ${topology.stage} APIs (their approval controls only)`,
      [
        {
          Sid: 'ApproveAndRevoke',
          Effect: 'Allow',
          Action: [...READ_ACTIONS, ...UPDATE_ACTIONS],
          Resource: part.map((api) => api.approvalControlArn),
          Condition: { BoolIfExists: { [OVERRIDES_KEY]: 'false' } },
        },
      ],
    ),
  }));
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
