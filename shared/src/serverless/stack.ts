import { readFileSync } from 'node:fs';
import { isAwsRegion } from '../regions';
import {
  DEFAULT_TOPOLOGY_FILE,
  findService,
  loadTopology,
  roleOf,
  TopologyError,
  type FailoverRole,
  type Service,
  type Topology,
} from '../topology';

/** The serverless service name of the ARC stack; every other stack's service name is an API of the topology. */
export const ARC_STACK = 'arc';

/** One stack in one stage and Region: the ARC stack, or one deployment of one API. */
export type StackContext = { topology: Topology; region: string } & (
  { kind: 'arc' } | { kind: 'api'; api: Service; role: FailoverRole }
);

/**
 * Resolves which stack a serverless service is, for the stage and Region osls was asked for.
 * A stage the topology lacks, or a Region the stack does not run in, is one TopologyError.
 */
export function stackContext(service: string, stage: string, region: string): StackContext {
  const topology = loadTopology(stage);
  if (service === ARC_STACK) {
    if (region !== topology.arc.region) {
      throw new TopologyError(
        `the ARC stack runs in ${topology.arc.region} only (the ARC control-plane Region), not ${region}: drop --region`,
      );
    }
    return { kind: 'arc', topology, region };
  }
  const api = findService(topology, service);
  return { kind: 'api', topology, region, api, role: roleOf(api, region) };
}

/** CloudFormation stack name: the topology names the ARC stack; an API's is `<project>-<api>-<stage>`. */
export function stackName(context: StackContext): string {
  const { topology } = context;
  return context.kind === 'arc'
    ? topology.arc.stackName
    : `${topology.project}-${context.api.name}-${topology.stage}`;
}

/**
 * The Region `sls` uses for an API when no --region is given: its primary. Read before osls knows the
 * stage, so it only peeks at the file; the project's plugin then validates the whole topology for the
 * stage and reports any mistake as one line.
 */
export function defaultRegionOf(api: string): string | undefined {
  try {
    const file = process.env.ARC_FAILOVER_TOPOLOGY ?? DEFAULT_TOPOLOGY_FILE;
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      entry?: { name?: unknown; primaryRegion?: unknown };
      services?: { name?: unknown; primaryRegion?: unknown }[];
    };
    const found = [doc.entry, ...(doc.services ?? [])].find((s) => s?.name === api);
    return isAwsRegion(found?.primaryRegion) ? found.primaryRegion : undefined;
  } catch {
    return undefined;
  }
}
