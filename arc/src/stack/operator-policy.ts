import type { CloudFormationResource } from '@arc-failover/shared/serverless/types';
import type { Topology } from '@arc-failover/shared/topology';

export const OPERATOR_POLICY_LOGICAL_ID = 'OperatorPolicy';
export const OPERATOR_POLICY_ARN_OUTPUT = 'OperatorPolicyArn';

/**
 * The cluster data-plane actions that accept a routing-control ARN as resource (IAM Service Authorization
 * Reference, route53-recovery-cluster). ListRoutingControls supports no resource type, so it could only be
 * granted on "*": it is left out, and the switchover CLI reads each control's state with
 * GetRoutingControlState instead.
 */
export const OPERATOR_ACTIONS = [
  'route53-recovery-cluster:GetRoutingControlState',
  'route53-recovery-cluster:UpdateRoutingControlState',
  'route53-recovery-cluster:UpdateRoutingControlStates',
] as const;

/**
 * A managed policy for the people and roles that switch traffic: read and flip this stack's routing
 * controls through the cluster endpoints, and nothing else (no control-plane action, no other control).
 */
export function operatorPolicy(topology: Topology, routingControlArns: unknown[]): CloudFormationResource {
  return {
    Type: 'AWS::IAM::ManagedPolicy',
    Properties: {
      ManagedPolicyName: `${topology.project}-${topology.stage}-routing-control-operator`,
      Description: `Read and switch the ${topology.project} ${topology.stage} routing controls through the ARC cluster data plane`,
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'SwitchRoutingControls',
            Effect: 'Allow',
            Action: [...OPERATOR_ACTIONS],
            Resource: routingControlArns,
          },
        ],
      },
    },
  };
}
