import type { Topology } from '@arc-failover/shared';
import {
  assertPreflight,
  awsClients,
  packageTarget,
  requirementsOf,
  stageTargets,
  type AwsClients,
  type PreflightTarget,
} from '@arc-failover/shared/preflight';
import { missingCredentials, PREFLIGHT_CHECKED_ENV } from '@arc-failover/shared/serverless';
import { StackCommandError } from './errors';
import type { DeployablePackage } from './deployables';

/**
 * Set in the environment of the `sls deploy` runs that `arc-failover-stack deploy` starts, once it has
 * checked their stack for every Region: the project's osls plugin then does not check again.
 */
export { PREFLIGHT_CHECKED_ENV };

/**
 * The read-only checks before a deploy changes anything: AWS credentials first (without them every
 * other check would fail the same way), then every problem the deploy of these stacks would meet.
 */
async function preflight(
  topology: Topology,
  targets: PreflightTarget[],
  clients: AwsClients,
): Promise<string> {
  const problem = await missingCredentials(topology.arc.region);
  if (problem) throw new StackCommandError(problem);
  await assertPreflight(topology, targets, clients);
  const needs = requirementsOf(topology, targets);
  const checked = [
    needs.hostedZone && `hosted zone ${topology.hostedZoneId}`,
    needs.certificates.length > 0 && `certificates in ${needs.certificates.map((c) => c.region).join(', ')}`,
    needs.cluster && (topology.arc.clusterArn ? 'ARC cluster' : 'ARC cluster quota'),
    `${needs.stacks.length} stack state${needs.stacks.length === 1 ? '' : 's'}`,
  ].filter(Boolean);
  return `preflight: ${checked.join(', ')}: ready to deploy stage ${topology.stage}`;
}

/** `npm run deploy` and `npm run preflight`: every stack of the stage, before the first one is deployed. */
export function stagePreflight(topology: Topology, clients: AwsClients = awsClients()): Promise<string> {
  return preflight(topology, stageTargets(topology), clients);
}

/** `arc-failover-stack deploy` in one package: its stack in each of its Regions, before the first. */
export function packagePreflight(
  pkg: DeployablePackage,
  topology: Topology,
  clients: AwsClients = awsClients(),
): Promise<string> {
  return preflight(topology, [packageTarget(topology, pkg.name, pkg.regions)], clients);
}
