import { existsSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type Topology } from '@arc-failover/shared';
import { CommandError } from '@arc-failover/shared/command';
import { ARC_STACK } from '@arc-failover/shared/serverless';

export { REPO_ROOT };

const PACKAGES_DIR = path.join(REPO_ROOT, 'packages');

/** The topology and the API packages do not match: a stack would be missing or never deployed. */
export class PackageMismatchError extends CommandError {
  override name = 'PackageMismatchError';
}

/** A serverless package of the repository and the Regions its stack is deployed to, primary first. */
export interface DeployablePackage {
  /** Its serverless service name: `arc`, or an API of the topology. */
  name: string;
  dir: string;
  regions: string[];
}

/**
 * Every stack of a stage in deploy order: the ARC stack first (the APIs' failover records read its
 * outputs), then every API of the topology, the entry API included, each from `packages/<name>`, which
 * must exist. Removal goes in the reverse order.
 */
export function deployablePackages(topology: Topology): DeployablePackage[] {
  const missing = topology.all.find((api) => !existsSync(path.join(PACKAGES_DIR, api.name)));
  if (missing) {
    throw new PackageMismatchError(
      `${missing.name} is in the topology but has no package: create packages/${missing.name} (copy packages/service2 and rename it), or remove ${missing.name} from the topology`,
    );
  }
  return [
    { name: ARC_STACK, dir: path.join(REPO_ROOT, 'arc'), regions: [topology.arc.region] },
    ...topology.all.map((api) => ({
      name: api.name,
      dir: path.join(PACKAGES_DIR, api.name),
      regions: [...api.regions],
    })),
  ];
}

/** The stack whose package the command runs in (arc/ or packages/<api>/). */
export function packageHere(topology: Topology, cwd = process.cwd()): DeployablePackage {
  const here = realpathSync(cwd);
  const pkg = deployablePackages(topology).find((p) => realpathSync(p.dir) === here);
  if (pkg) return pkg;
  if (path.dirname(here) === realpathSync(PACKAGES_DIR)) throw notInTopology(path.basename(here));
  throw new CommandError(`${here} is not a stack of the topology: run this in arc/ or packages/<api>/`);
}

/** Every API of the topology has its package, and every package in packages/ is an API of the topology. */
export function checkPackages(topology: Topology): void {
  deployablePackages(topology);
  const apis = new Set(topology.all.map((api) => api.name));
  const stray = readdirSync(PACKAGES_DIR, { withFileTypes: true }).find(
    (entry) =>
      entry.isDirectory() &&
      existsSync(path.join(PACKAGES_DIR, entry.name, 'package.json')) &&
      !apis.has(entry.name),
  );
  if (stray) throw notInTopology(stray.name);
}

function notInTopology(name: string): PackageMismatchError {
  return new PackageMismatchError(
    `packages/${name} is not an API of the topology: add ${name} to its services, or remove packages/${name}`,
  );
}
