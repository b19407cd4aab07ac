import { CommandError } from '../command/errors';
import type { Topology } from '../topology';
import type { AwsClients } from './aws-clients';
import { certificateCheck } from './certificate-check';
import { clusterProblem, clusterQuotaProblem } from './cluster';
import { hostedZoneProblem } from './hosted-zone';
import { requirementsOf, type PreflightTarget } from './requirements';
import { stackStateProblem } from './stack-state';

/**
 * Every blocking problem a deploy of these stacks would meet, each one line naming its fix, in a fixed
 * order (hosted zone, certificates by Region, cluster, stacks in deploy order); none means go ahead.
 * Read-only calls only, all at once.
 */
export async function preflightProblems(
  topology: Topology,
  targets: readonly PreflightTarget[],
  clients: AwsClients,
  now = new Date(),
): Promise<string[]> {
  const needs = requirementsOf(topology, targets);
  const { arc } = topology;
  const checks: Promise<string | undefined>[] = [
    needs.hostedZone
      ? hostedZoneProblem(clients.route53, topology.hostedZoneId, topology.domain)
      : Promise.resolve(undefined),
    ...needs.certificates.map(({ region, hostnames }) =>
      certificateCheck(clients.acm(region), topology.certificate, region, topology.domain, hostnames, now),
    ),
    !needs.cluster
      ? Promise.resolve(undefined)
      : arc.clusterArn
        ? clusterProblem(clients.controlConfig, arc.clusterArn)
        : clusterQuotaProblem(
            clients.controlConfig,
            clients.cloudFormation(arc.region),
            arc.stackName,
            topology.stage,
          ),
    ...needs.stacks.map(({ stackName, region }) =>
      stackStateProblem(clients.cloudFormation(region), stackName, region),
    ),
  ];
  return (await Promise.all(checks)).filter((problem): problem is string => problem !== undefined);
}

/**
 * Problems found before a change, as the project's one error line: the first problem is the message
 * (printed as `error: ...`), every further one a line of its own starting `also: `.
 */
export class PreflightError extends CommandError {
  override name = 'PreflightError';
  override readonly also: readonly string[];
  constructor(readonly problems: readonly string[]) {
    super([problems[0], ...problems.slice(1).map((problem) => `also: ${problem}`)].join('\n'));
    this.also = problems.slice(1);
  }
}

/** Throws a PreflightError when a deploy of these stacks would meet any problem. */
export async function assertPreflight(
  topology: Topology,
  targets: readonly PreflightTarget[],
  clients: AwsClients,
  now = new Date(),
): Promise<void> {
  const problems = await preflightProblems(topology, targets, clients, now);
  if (problems.length > 0) throw new PreflightError(problems);
}
