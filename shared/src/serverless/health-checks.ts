import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { describeArcStack, outputsOf } from '../arc-stack';
import { outputKeys } from '../naming';
import type { Topology } from '../topology';

/** One (API, Region) whose health check the ARC stack deploy replaced. */
export interface ReplacedHealthCheck {
  api: string;
  region: string;
  from: string;
  to: string;
}

/** The deployed ARC stack's outputs, by key; undefined before its first deploy. */
async function deployedOutputs(
  cloudFormation: CloudFormationClient,
  topology: Topology,
): Promise<Map<string, string | undefined> | undefined> {
  const stack = await describeArcStack(cloudFormation, topology);
  return stack && outputsOf(stack);
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
    const before = await deployedOutputs(cloudFormation, topology);
    await deploy();
    if (!before) return [];
    const after = await deployedOutputs(cloudFormation, topology);
    return topology.all.flatMap((api) =>
      api.regions.flatMap((region) => {
        const key = outputKeys.healthCheckId(api, region);
        const [from, to] = [before.get(key), after?.get(key)];
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
