import path from 'node:path';
import {
  missingCredentials,
  deployWatchingHealthChecks,
  replacedHealthChecksWarning,
  ARC_STACK,
} from '@arc-failover/shared/serverless';
import type { Topology } from '@arc-failover/shared';
import { REPO_ROOT, type DeployablePackage } from './deployables';
import { withDirectoryLock } from './lock';
import { packageStack, type PackagedStack } from './package';
import { sls } from './sls';
import { CommandError } from '@arc-failover/shared/command';

export class StackCommandError extends CommandError {
  override name = 'StackCommandError';
}

/** Where `npm run package` leaves a stack: `<package>/dist/<stage>/<region>/`. */
export function packageOutputDir(pkg: DeployablePackage, stage: string, region: string): string {
  return path.join(pkg.dir, 'dist', stage, region);
}

/** Packages a stack for each of its Regions, offline. */
export async function packageAll(
  pkg: DeployablePackage,
  stage: string,
  report: (line: string) => void,
): Promise<PackagedStack[]> {
  const packaged: PackagedStack[] = [];
  for (const region of pkg.regions) {
    const started = Date.now();
    const outputDir = packageOutputDir(pkg, stage, region);
    packaged.push(await packageStack(pkg.dir, { stage, region, outputDir }));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    report(
      `packaged ${pkg.name} (${stage}, ${region}) into ${path.relative(REPO_ROOT, outputDir)} in ${seconds} s`,
    );
  }
  return packaged;
}

/** Deploys a stack to each of its Regions, primary first, with osls's live output. */
export async function deployAll(pkg: DeployablePackage, topology: Topology, report: (line: string) => void) {
  await requireCredentials(topology);
  const deploy = async (region: string) => {
    await withDirectoryLock(pkg.dir, () =>
      sls(pkg.dir, ['deploy', '--stage', topology.stage, '--region', region], { inherit: true }),
    );
  };
  if (pkg.name !== ARC_STACK) {
    for (const region of pkg.regions) await deploy(region);
    return;
  }
  const replaced = await deployWatchingHealthChecks(topology, () => deploy(topology.arc.region));
  if (replaced.length > 0) replacedHealthChecksWarning(replaced, topology).forEach(report);
  report(
    `next: npm run switch -- sync --stage ${topology.stage} (bookmark the cluster), then, after a first deploy, npm run switch -- --all --to primary --stage ${topology.stage}`,
  );
}

/** Removes a stack from each of its Regions, in the reverse order of deployAll. */
export async function removeAll(pkg: DeployablePackage, topology: Topology): Promise<void> {
  for (const region of [...pkg.regions].reverse()) {
    await withDirectoryLock(pkg.dir, () =>
      sls(pkg.dir, ['remove', '--stage', topology.stage, '--region', region], { inherit: true }),
    );
  }
}

/** Fails before anything starts when no AWS credentials are at hand. */
export async function requireCredentials(topology: Topology): Promise<void> {
  const problem = await missingCredentials(topology.arc.region);
  if (problem) throw new StackCommandError(problem);
}
