import { ARC_STACK, stackName } from '../serverless/stack';
import { findService, roleOf, type Service, type Topology } from '../topology';

/** A stack to be deployed: the ARC stack, or one API in some of its Regions. */
export type PreflightTarget = { kind: 'arc' } | { kind: 'api'; api: Service; regions: readonly string[] };

/** What deploying some stacks of a stage needs from AWS, each need once. */
export interface Requirements {
  /** The APIs' failover records go into the stage's hosted zone. */
  hostedZone: boolean;
  /** Per Region, the hostnames whose custom domains the certificate there must cover. */
  certificates: { region: string; hostnames: string[] }[];
  /** The ARC stack's cluster: the configured one, or room for a new one. */
  cluster: boolean;
  /** The stacks the deploy would change, each in its Region, in deploy order. */
  stacks: { stackName: string; region: string }[];
}

/** Every stack of the stage, in deploy order: what `npm run deploy` deploys. */
export function stageTargets(topology: Topology): PreflightTarget[] {
  return [
    { kind: 'arc' },
    ...topology.all.map((api) => ({ kind: 'api' as const, api, regions: api.regions })),
  ];
}

/** The stack of one serverless package (`arc`, or an API's name) in the given Regions. */
export function packageTarget(topology: Topology, name: string, regions: readonly string[]): PreflightTarget {
  return name === ARC_STACK ? { kind: 'arc' } : { kind: 'api', api: findService(topology, name), regions };
}

export function requirementsOf(topology: Topology, targets: readonly PreflightTarget[]): Requirements {
  const hostnamesByRegion = new Map<string, string[]>();
  const stacks: Requirements['stacks'] = [];
  for (const target of targets) {
    if (target.kind === 'arc') {
      stacks.push({ stackName: topology.arc.stackName, region: topology.arc.region });
      continue;
    }
    const { api } = target;
    for (const region of target.regions) {
      const hostnames = hostnamesByRegion.get(region) ?? [];
      if (!hostnames.includes(api.hostname)) hostnames.push(api.hostname);
      hostnamesByRegion.set(region, hostnames);
      const name = stackName({ kind: 'api', topology, region, api, role: roleOf(api, region) });
      stacks.push({ stackName: name, region });
    }
  }
  return {
    hostedZone: hostnamesByRegion.size > 0,
    certificates: [...hostnamesByRegion]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([region, hostnames]) => ({ region, hostnames })),
    cluster: targets.some((t) => t.kind === 'arc'),
    stacks,
  };
}
