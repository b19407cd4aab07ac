import type { Service, Topology } from './topology';

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

export function controlPanelName(topology: Topology, service: Service): string {
  return `${topology.project}-${topology.stage}-${service.name}`;
}

export function routingControlName(service: Service, region: string): string {
  return `${service.name}-${region}`;
}

export function safetyRuleName(service: Service): string {
  return `${service.name}-at-least-one-on`;
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
};

/** Outputs of the ARC stack that other stacks and the CLI read. */
export const outputKeys = {
  controlPanelArn: (service: Service) => `ControlPanelArn${pascal(service.name)}`,
  routingControlArn: (service: Service, region: string) =>
    `RoutingControlArn${pascal(service.name)}${pascal(region)}`,
  healthCheckId: (service: Service, region: string) =>
    `HealthCheckId${pascal(service.name)}${pascal(region)}`,
  safetyRuleArn: (service: Service) => `SafetyRuleArn${pascal(service.name)}`,
};
