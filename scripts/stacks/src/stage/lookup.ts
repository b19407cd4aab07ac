import type { Topology } from '@arc-failover/shared';
import {
  clusterProblem,
  findCoveringCertificate,
  findPublicHostedZone,
  hostedZoneProblem,
  PreflightError,
  requirementsOf,
  stageTargets,
  type AwsClients,
} from '@arc-failover/shared/preflight';
import type { StageAddOptions } from './args';

export interface StageFindings {
  hostedZoneId: string;
  certificateArns: Record<string, string>;
}

/**
 * Read-only: the public hosted zone of the domain (or the one --zone-id names, checked), in every Region
 * an API runs in the ISSUED certificate covering the hostnames served there, and the --cluster-arn
 * cluster DEPLOYED. `topology` is the stage as it would be, for its Regions and hostnames. Anything
 * missing is a PreflightError naming what to create, every problem found at once.
 */
export async function lookUpStage(
  topology: Topology,
  options: StageAddOptions,
  clients: AwsClients,
  now: Date,
): Promise<StageFindings> {
  const { domain } = options;
  const zone = options.zoneId
    ? hostedZoneProblem(clients.route53, options.zoneId, domain, '--zone-id').then((problem) =>
        problem ? { problem } : { zoneId: options.zoneId! },
      )
    : findPublicHostedZone(clients.route53, domain);
  const { certificates: needed } = requirementsOf(topology, stageTargets(topology));
  const certificates = needed.map(({ region, hostnames }) =>
    findCoveringCertificate(clients.acm(region), region, domain, hostnames, now).then((found) => ({
      region,
      found,
    })),
  );
  const cluster = options.clusterArn
    ? clusterProblem(clients.controlConfig, options.clusterArn, '--cluster-arn')
    : Promise.resolve(undefined);

  const [z, certs, c] = await Promise.all([zone, Promise.all(certificates), cluster]);
  const problems = [z.problem, ...certs.map(({ found }) => found.problem), c].filter(
    (problem): problem is string => problem !== undefined,
  );
  if (problems.length > 0) throw new PreflightError(problems);
  return {
    hostedZoneId: z.zoneId!,
    certificateArns: Object.fromEntries(certs.map(({ region, found }) => [region, found.arn!])),
  };
}
