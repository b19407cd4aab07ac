import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  apiRegionOutputsOf,
  apiStackName,
  ApiStackOutputError,
  deployApiCommand,
  describeStack,
} from '@arc-failover/shared/arc-stack';
import { unusableStackFix, type Service, type Topology } from '@arc-failover/shared';
import type { BookmarkRegion } from '../bookmark';
import { SyncError } from './errors';
import { allInOrder } from './settle';

/** Each API's facts in each of its Regions: regions[api][region]. */
export type ApiRegions = Map<string, Record<string, BookmarkRegion>>;

/**
 * Peacetime: where each API answers in each of its Regions, read from its stack there (DescribeStacks with
 * that Region's client), every stack at once. What readiness GETs (the HTTP API's own URL) and what proof
 * matches the zone's answer against (the custom domain's Regional target), so a switch reads neither.
 */
export async function readApiRegions(
  topology: Topology,
  cloudFormationIn: (region: string) => CloudFormationClient,
): Promise<ApiRegions> {
  const where = topology.all.flatMap((api) => api.regions.map((region) => ({ api, region })));
  const facts = await allInOrder(
    where.map(({ api, region }) => readApiRegion(topology, api, region, cloudFormationIn)),
  );
  const regions: ApiRegions = new Map();
  where.forEach(({ api, region }, index) => {
    regions.set(api.name, { ...regions.get(api.name), [region]: facts[index]! });
  });
  return regions;
}

async function readApiRegion(
  topology: Topology,
  api: Service,
  region: string,
  cloudFormationIn: (region: string) => CloudFormationClient,
): Promise<BookmarkRegion> {
  const stackName = apiStackName(topology, api, region);
  const deploy = deployApiCommand(topology, api);
  let stack;
  try {
    stack = await describeStack(cloudFormationIn(region), stackName);
  } catch (error) {
    const e = error as Error;
    // the CLI explains missing credentials itself
    if (e.name === 'CredentialsProviderError') throw error;
    throw new SyncError(`reading the stack ${stackName} in ${region} failed (${e.name}): ${e.message}`);
  }
  if (!stack) {
    throw new SyncError(
      `the stack ${stackName} of ${api.name} is not deployed in ${region}: deploy ${api.name} (${deploy}) and run sync again`,
    );
  }
  const fix = unusableStackFix({ stackName, region, status: stack.StackStatus, deploy });
  if (fix) {
    throw new SyncError(
      `the stack ${stackName} in ${region} is ${stack.StackStatus ?? 'in no known state'}: ${fix}; then run sync again`,
    );
  }
  try {
    return apiRegionOutputsOf(stack, topology, api, region);
  } catch (error) {
    if (error instanceof ApiStackOutputError) {
      throw new SyncError(`the stack ${stackName} in ${region}: ${error.message}; then run sync again`);
    }
    throw error;
  }
}
