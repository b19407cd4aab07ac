import type { Service, Topology } from './topology-model';

/**
 * Names shared by the ARC stack, the failover records, the switchover CLI and the sandbox.
 * Change one here and every one of them follows.
 */

/** `us-east-1` -> `UsEast1`, `external-api` -> `ExternalApi`: CloudFormation logical ids allow only [A-Za-z0-9]. */
export function pascal(value: string): string {
  return value
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** The cluster the ARC stack creates when the stage names no existing one (arc.clusterArn). */
export function clusterName(topology: Pick<Topology, 'project' | 'stage'>): string {
  return `${topology.project}-${topology.stage}`;
}

export function controlPanelName(topology: Pick<Topology, 'project' | 'stage'>, service: Service): string {
  return `${topology.project}-${topology.stage}-${service.name}`;
}

export function routingControlName(service: Service, region: string): string {
  return `${service.name}-${region}`;
}

export function safetyRuleName(service: Service): string {
  return `${service.name}-at-least-one-on`;
}

/** The approval routing control of an API's panel (approval gate): On while an approver allows a switch. */
export function approvalControlName(service: Service): string {
  return `${service.name}-approval`;
}

/** The gating rule letting an API's two routing controls change only while its approval control is On. */
export function gatingRuleName(service: Pick<Service, 'name'>): string {
  return `${service.name}-approval-gate`;
}

/**
 * WaitPeriodMs of every assertion rule: after a change, requests against the rule's controls fail for this
 * long, so a flapping operator cannot bounce traffic. AWS's default; the ARC stack and the emulation share it.
 */
export const SAFETY_RULE_WAIT_PERIOD_MS = 5000;

export const CLUSTER_LOGICAL_ID = 'Cluster';
export const CLUSTER_ARN_OUTPUT = 'ClusterArn';

export const logicalIds = {
  controlPanel: (service: Service) => `ControlPanel${pascal(service.name)}`,
  routingControl: (service: Service, region: string) =>
    `RoutingControl${pascal(service.name)}${pascal(region)}`,
  healthCheck: (service: Service, region: string) => `HealthCheck${pascal(service.name)}${pascal(region)}`,
  safetyRule: (service: Service) => `SafetyRule${pascal(service.name)}AtLeastOneOn`,
  approvalControl: (service: Service) => `ApprovalControl${pascal(service.name)}`,
  gatingRule: (service: Service) => `SafetyRule${pascal(service.name)}ApprovalGate`,
};

/**
 * Outputs of the ARC stack that other stacks and the CLI read: one per API (its panel, rule, routing
 * controls and health checks in one value, see arc-outputs.ts), so 49 APIs fit CloudFormation's 200.
 */
export const outputKeys = {
  api: (service: Service) => `Api${pascal(service.name)}`,
};
