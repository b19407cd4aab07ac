import {
  approvalControlName,
  clusterName,
  controlPanelName,
  gatingRuleName,
  routingControlName,
  safetyRuleName,
} from './naming';
import type { Service, Topology } from './topology-model';

/** Route 53 ARC routing-control quotas (ARC developer guide, "Quotas for routing control"). */
export const ARC_QUOTAS = {
  /** The cluster's DefaultControlPanel, which ARC creates with it, is one of them. */
  controlPanelsPerCluster: 50,
  routingControlsPerCluster: 300,
  safetyRulesPerControlPanel: 20,
  /** Name of a cluster, control panel, routing control or safety rule (CloudFormation and API: 1-64). */
  nameLength: 64,
  /** Entries of one UpdateRoutingControlStates call (data plane). */
  entriesPerUpdate: 10,
} as const;

/** CloudFormation per-stack quotas. */
export const CLOUDFORMATION_QUOTAS = { resources: 500, outputs: 200 } as const;

/** What one cluster can hold: every API has a control panel, and the cluster's default panel counts. */
export const MAX_APIS_PER_CLUSTER = ARC_QUOTAS.controlPanelsPerCluster - 1;

/**
 * The shape of the ARC stack (arc/src/stack/template.ts, whose test proves these equal to what it
 * generates): per API a control panel, a routing control and a health check per Region, one safety rule,
 * and one compact output; per stack the cluster (unless the stage names one), two managed policies and
 * the outputs of the cluster ARN and the policies' ARNs; osls adds its deployment bucket, the bucket's
 * policy and the bucket-name output (its core template, checked by the same test). The approval gate adds
 * per API an approval routing control and a gating rule, and per stack the approver policy's output; its
 * policies come in parts (gatedPolicyParts).
 */
export const ARC_STACK_SHAPE = {
  routingControlsPerApi: 2,
  resourcesPerApi: 1 + 2 + 2 + 1,
  safetyRulesPerPanel: 1,
  outputsPerApi: 1,
  fixedResources: 2,
  fixedOutputs: 3,
  oslsResources: 2,
  oslsOutputs: 1,
  gate: { routingControlsPerApi: 1, resourcesPerApi: 1 + 1, safetyRulesPerPanel: 1, fixedOutputs: 1 },
} as const;

/**
 * With the approval gate, how many APIs one managed policy of each kind covers, so that each stays within
 * IAM's 6,144 characters with 124-character routing-control ARNs (measured in arc/test/stack/quota.test.ts
 * at a full part): an operator part allows its panels' routing controls (one 109-character wildcard per
 * panel) and denies their approval controls (one ARN each), ~239 characters per API; an approver part
 * names the approval controls, ~127 per API. 49 APIs take 3 operator parts and 2 approver parts.
 */
export const GATED_POLICY_APIS_PER_PART = { operator: 23, approver: 45 } as const;

/** `items` in the fewest parts of at most `perPart`, as even as possible (the first parts one larger). */
export function policyParts<T>(items: readonly T[], perPart: number): T[][] {
  const parts = Math.max(1, Math.ceil(items.length / perPart));
  const base = Math.floor(items.length / parts);
  const larger = items.length % parts;
  const out: T[][] = [];
  let at = 0;
  for (let i = 0; i < parts; i++) {
    const size = base + (i < larger ? 1 : 0);
    out.push(items.slice(at, at + size));
    at += size;
  }
  return out;
}

/** How many managed policies the ARC stack has: operator parts, approver parts (0 without the gate), break glass. */
export function policyCounts(apis: number, approvalGate: boolean): { operator: number; approver: number } {
  if (!approvalGate) return { operator: 1, approver: 0 };
  const parts = (perPart: number) => Math.max(1, Math.ceil(apis / perPart));
  return {
    operator: parts(GATED_POLICY_APIS_PER_PART.operator),
    approver: parts(GATED_POLICY_APIS_PER_PART.approver),
  };
}

export interface StackCounts {
  resources: number;
  outputs: number;
}

/** Resources and outputs of a stage's packaged ARC stack. */
export function arcStackCounts(apis: number, ownCluster: boolean, approvalGate = false): StackCounts {
  const s = ARC_STACK_SHAPE;
  const policies = policyCounts(apis, approvalGate);
  const gate = approvalGate ? s.gate : { resourcesPerApi: 0, fixedOutputs: 0 };
  return {
    resources:
      apis * (s.resourcesPerApi + gate.resourcesPerApi) +
      (s.fixedResources - 1 + policies.operator + policies.approver) +
      (ownCluster ? 1 : 0) +
      s.oslsResources,
    outputs: apis * s.outputsPerApi + s.fixedOutputs + gate.fixedOutputs + s.oslsOutputs,
  };
}

/** Safety rules in each API's control panel: its assertion rule, and its gating rule with the gate. */
export function safetyRulesPerPanel(approvalGate: boolean): number {
  return ARC_STACK_SHAPE.safetyRulesPerPanel + (approvalGate ? ARC_STACK_SHAPE.gate.safetyRulesPerPanel : 0);
}

export interface ClusterLoad {
  /** The cluster's DefaultControlPanel included. */
  controlPanels: number;
  routingControls: number;
}

/** What `apis` of the project's APIs take in one cluster, `gatedApis` of them with an approval control. */
export function clusterLoad(apis: number, gatedApis = 0): ClusterLoad {
  return {
    controlPanels: apis + 1,
    routingControls:
      apis * ARC_STACK_SHAPE.routingControlsPerApi + gatedApis * ARC_STACK_SHAPE.gate.routingControlsPerApi,
  };
}

/** What ARC refuses for a cluster so loaded, or undefined when it fits. */
export function clusterOverQuota({ controlPanels, routingControls }: ClusterLoad): string | undefined {
  if (controlPanels > ARC_QUOTAS.controlPanelsPerCluster) {
    return `${controlPanels - 1} APIs need ${controlPanels} control panels with the cluster's DefaultControlPanel; ARC allows ${ARC_QUOTAS.controlPanelsPerCluster} per cluster, so at most ${MAX_APIS_PER_CLUSTER} APIs`;
  }
  if (routingControls > ARC_QUOTAS.routingControlsPerCluster) {
    return `the APIs need ${routingControls} routing controls; ARC allows ${ARC_QUOTAS.routingControlsPerCluster} per cluster`;
  }
  return undefined;
}

/** What CloudFormation refuses for a stack of these counts, or undefined when it fits. */
export function stackOverQuota(counts: StackCounts): string | undefined {
  if (counts.resources > CLOUDFORMATION_QUOTAS.resources) {
    return `the ARC stack would have ${counts.resources} resources; CloudFormation allows ${CLOUDFORMATION_QUOTAS.resources} per stack`;
  }
  if (counts.outputs > CLOUDFORMATION_QUOTAS.outputs) {
    return `the ARC stack would have ${counts.outputs} outputs; CloudFormation allows ${CLOUDFORMATION_QUOTAS.outputs} per stack`;
  }
  return undefined;
}

type ErrorAt = (key: string, message: string) => Error;

/** The key of an API in the topology file: `entry.name` or `services[<i>].name`. */
function keyOf(topology: Topology, api: Service): string {
  const i = topology.all.indexOf(api);
  return i === 0 ? 'entry.name' : `services[${i - 1}].name`;
}

/**
 * Refuses, in one line naming the key, what ARC or CloudFormation would refuse at deploy time, over every
 * stage: a cluster over its quotas (stages that share one cluster through arc.clusterArn counted
 * together), an ARC stack over CloudFormation's, an ARC name over 64 characters.
 */
export function checkQuotas(stages: Topology[], at: ErrorAt): void {
  const clusters = new Map<string, Topology[]>();
  for (const t of stages) {
    const cluster = t.arc.clusterArn ?? `the cluster of stage ${t.stage}`;
    clusters.set(cluster, [...(clusters.get(cluster) ?? []), t]);
  }
  for (const sharing of clusters.values()) {
    const apis = sharing.reduce((sum, t) => sum + t.all.length, 0);
    const gated = sharing.reduce((sum, t) => sum + (t.arc.approvalGate ? t.all.length : 0), 0);
    const problem = clusterOverQuota(clusterLoad(apis, gated));
    if (!problem) continue;
    if (sharing.length === 1) {
      throw at('services', `${problem}: remove services or split them over two topologies`);
    }
    const last = sharing.at(-1)!;
    throw at(
      `stages.${last.stage}.arc.clusterArn`,
      `stages ${sharing.map((t) => t.stage).join(', ')} share this cluster, ${sharing.length} × ${last.all.length} APIs: ${problem}: give a stage its own cluster (drop its clusterArn)`,
    );
  }
  for (const t of stages) {
    const gate = t.arc.approvalGate;
    const problem = stackOverQuota(arcStackCounts(t.all.length, !t.arc.clusterArn, gate));
    if (problem) {
      const key = gate ? `stages.${t.stage}.arc.approvalGate` : `stages.${t.stage}`;
      throw at(key, `${problem}${gate ? ' with the approval gate' : ''}: remove services`);
    }
    if (safetyRulesPerPanel(gate) > ARC_QUOTAS.safetyRulesPerControlPanel) {
      throw at(
        `stages.${t.stage}.arc.approvalGate`,
        `each control panel would have ${safetyRulesPerPanel(gate)} safety rules; ARC allows ${ARC_QUOTAS.safetyRulesPerControlPanel}`,
      );
    }
    for (const { kind, name, key, shorten } of arcNames(t)) {
      if (name.length > ARC_QUOTAS.nameLength) {
        throw at(
          key,
          `the ${kind} name "${name}" (stage ${t.stage}) is ${name.length} characters; ARC allows ${ARC_QUOTAS.nameLength}: shorten ${shorten}`,
        );
      }
    }
  }
}

function arcNames(t: Topology) {
  const own = t.arc.clusterArn
    ? []
    : [
        {
          kind: 'cluster',
          name: clusterName(t),
          key: `stages.${t.stage}`,
          shorten: 'the project or the stage name',
        },
      ];
  return [
    ...own,
    ...t.all.flatMap((api) => {
      const key = keyOf(t, api);
      return [
        {
          kind: 'control panel',
          name: controlPanelName(t, api),
          key,
          shorten: 'the project, the stage or the API name',
        },
        ...api.regions.map((region) => ({
          kind: 'routing control',
          name: routingControlName(api, region),
          key,
          shorten: 'the API name',
        })),
        { kind: 'safety rule', name: safetyRuleName(api), key, shorten: 'the API name' },
        ...(t.arc.approvalGate
          ? [
              { kind: 'routing control', name: approvalControlName(api), key, shorten: 'the API name' },
              { kind: 'safety rule', name: gatingRuleName(api), key, shorten: 'the API name' },
            ]
          : []),
      ];
    }),
  ];
}
