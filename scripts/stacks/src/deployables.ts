import path from 'node:path';
import { REPO_ROOT, type Topology } from '@arc-failover/shared';
import { ARC_STACK } from '@arc-failover/shared/serverless';

export { REPO_ROOT };

/** A serverless package of the repository and the Regions its stack is deployed to, primary first. */
export interface DeployablePackage {
  /** Its serverless service name: `arc`, or an API of the topology. */
  name: string;
  dir: string;
  regions: string[];
}

/**
 * Every stack of a stage in deploy order: the ARC stack first (the APIs' failover records read its
 * outputs), then every API of the topology, the entry API included, each from `packages/<name>`.
 * Removal goes in the reverse order.
 */
export function deployablePackages(topology: Topology): DeployablePackage[] {
  return [
    { name: ARC_STACK, dir: path.join(REPO_ROOT, 'arc'), regions: [topology.arc.region] },
    ...topology.all.map((api) => ({
      name: api.name,
      dir: path.join(REPO_ROOT, 'packages', api.name),
      regions: [...api.regions],
    })),
  ];
}
