import { CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import { ApiOutputError } from '../arc-outputs';
import { apiResourcesOf, describeArcStack } from '../arc-stack';
import type { Service, Topology } from '../topology';

/** One (API, Region) whose health check the ARC stack deploy replaced. */
export interface ReplacedHealthCheck {
  api: string;
  region: string;
  from: string;
  to: string;
}

/**
 * The health-check id of (api, Region) in a deployed ARC stack's outputs; undefined when the stack has
 * none for it (an API added since, or a stack deployed before the compact outputs).
 */
function healthCheckIn(stack: Stack | undefined, api: Service, region: string): string | undefined {
  if (!stack) return undefined;
  try {
    return apiResourcesOf(stack, api).regions[region]?.healthCheckId;
  } catch (error) {
    if (error instanceof ApiOutputError) return undefined;
    throw error;
  }
}

/**
 * Runs `deploy` (the ARC stack's) and lists the health checks it replaced. A health check is replaced
 * when its routing control moves to another cluster; CloudFormation then deletes the old one while every
 * API's failover record still names it, until that API's stack is deployed again.
 */
export async function deployWatchingHealthChecks(
  topology: Topology,
  deploy: () => Promise<void>,
): Promise<ReplacedHealthCheck[]> {
  const cloudFormation = new CloudFormationClient({ region: topology.arc.region });
  try {
    const before = await describeArcStack(cloudFormation, topology);
    await deploy();
    if (!before) return [];
    const after = await describeArcStack(cloudFormation, topology);
    return topology.all.flatMap((api) =>
      api.regions.flatMap((region) => {
        const [from, to] = [healthCheckIn(before, api, region), healthCheckIn(after, api, region)];
        return from && to && from !== to ? [{ api: api.name, region, from, to }] : [];
      }),
    );
  } finally {
    cloudFormation.destroy();
  }
}

/** What an operator must know, and do now, after health checks were replaced. */
export function replacedHealthChecksWarning(replaced: ReplacedHealthCheck[], topology: Topology): string[] {
  const { stage } = topology;
  return [
    `warning: this deploy replaced ${replaced.length} health check${replaced.length === 1 ? '' : 's'} of the ARC stack (their routing controls moved to another cluster) and deleted the old ones:`,
    ...replaced.map((r) => `  ${r.api} ${r.region}: ${r.from} (deleted) -> ${r.to}`),
    `warning: each API's failover records still name a deleted health check, so Route 53's answers for them are unpredictable until its stack is deployed: deploy every API now (npm run deploy -- --stage ${stage}, run from the repository root, deploys them right after the ARC stack).`,
    `warning: the new routing controls start Off (Route 53 then answers each API's primary): once the APIs are deployed, run npm run switch -- sync --stage ${stage}, then put each API where it should be (e.g. npm run switch -- --all --to primary --stage ${stage}).`,
  ];
}
