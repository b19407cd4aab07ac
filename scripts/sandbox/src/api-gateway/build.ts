import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TOPOLOGY_FILE, isProcessAlive, type Topology } from '@arc-failover/shared';
import { deployablePackages, packageStack, REPO_ROOT, unzip } from '@arc-failover/stacks';
import type { PackagedApi } from './packaged-api';

export const DEFAULT_BUILD_DIR = path.join(REPO_ROOT, '.sandbox', 'build');

/** Never part of a package's inputs: build output and installed dependencies. */
const IGNORED = new Set(['node_modules', '.serverless', '.esbuild', '.build', 'dist', 'coverage', 'test']);

export interface BuildOptions {
  topology: Topology;
  /** Default .sandbox/build in the repository. */
  buildDir?: string;
  log?: (line: string) => void;
}

export interface BuildResult {
  packaged: Map<string, PackagedApi>;
  /** APIs packaged now; the others came from the cache. */
  rebuilt: string[];
}

/**
 * Every API of the topology packaged with the real `sls package` for its stage in its primary Region
 * (a template is the same for both Regions at package time), its code package unpacked. A package is
 * reused while its inputs are unchanged: its own directory, the shared workspace, the topology and the
 * lock file.
 */
export async function buildApis({
  topology,
  buildDir = DEFAULT_BUILD_DIR,
  log = () => {},
}: BuildOptions): Promise<BuildResult> {
  const apis = new Set(topology.all.map((api) => api.name));
  cleanBuildDir(buildDir, apis);
  const rebuilt: string[] = [];
  const results = await Promise.all(
    deployablePackages(topology)
      .filter((deployable) => apis.has(deployable.name))
      .map(async (deployable): Promise<PackagedApi> => {
        const hash = inputHash(deployable.dir, topology);
        const dir = path.join(buildDir, deployable.name, hash);
        if (!existsSync(path.join(dir, 'template.json'))) {
          log(
            `packaging ${deployable.name} (sls package --stage ${topology.stage} --region ${deployable.regions[0]})`,
          );
          await packageInto(dir, deployable.dir, topology.stage, deployable.regions[0]!);
          removeOtherBuilds(path.dirname(dir), hash);
          rebuilt.push(deployable.name);
        }
        return loadBuild(deployable.name, dir);
      }),
  );
  return { packaged: new Map(results.map((api) => [api.name, api])), rebuilt };
}

/** Packages into a scratch directory first, so an interrupted build never looks finished. */
async function packageInto(dir: string, packageDir: string, stage: string, region: string): Promise<void> {
  const scratch = `${dir}.${process.pid}.tmp`;
  rmSync(scratch, { recursive: true, force: true });
  try {
    const { templateFile } = await packageStack(packageDir, {
      stage,
      region,
      outputDir: path.join(scratch, 'package'),
    });
    for (const zip of readdirSync(path.dirname(templateFile)).filter((f) => f.endsWith('.zip'))) {
      unzip(path.join(path.dirname(templateFile), zip), path.join(scratch, 'code', zip));
    }
    renameSync(templateFile, path.join(scratch, 'template.json'));
    rmSync(dir, { recursive: true, force: true });
    renameSync(scratch, dir);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function loadBuild(name: string, dir: string): PackagedApi {
  const template: unknown = JSON.parse(readFileSync(path.join(dir, 'template.json'), 'utf8'));
  const codeRoot = path.join(dir, 'code');
  const codeDirs = Object.fromEntries(
    (existsSync(codeRoot) ? readdirSync(codeRoot) : []).map((zip) => [zip, path.join(codeRoot, zip)]),
  );
  return { name, template, codeDirs };
}

function removeOtherBuilds(apiDir: string, keep: string): void {
  for (const entry of readdirSync(apiDir)) {
    if (entry !== keep && !entry.endsWith('.tmp'))
      rmSync(path.join(apiDir, entry), { recursive: true, force: true });
  }
}

/** A scratch folder `<hash>.<pid>.tmp` of a build whose process is gone (killed mid-build). */
const SCRATCH = /^[0-9a-f]+\.(\d+)\.tmp$/;

/**
 * Removes what no build will use again: the builds of APIs the topology no longer has, and the scratch
 * folders of builds killed before they finished. A scratch folder of a build still running stays.
 */
export function cleanBuildDir(buildDir: string, apis: ReadonlySet<string>, alive = isProcessAlive): void {
  if (!existsSync(buildDir)) return;
  for (const api of readdirSync(buildDir)) {
    const apiDir = path.join(buildDir, api);
    if (!apis.has(api)) {
      rmSync(apiDir, { recursive: true, force: true });
      continue;
    }
    if (!statSync(apiDir).isDirectory()) continue;
    for (const entry of readdirSync(apiDir)) {
      const pid = SCRATCH.exec(entry)?.[1];
      if (pid !== undefined && !alive(Number(pid)))
        rmSync(path.join(apiDir, entry), { recursive: true, force: true });
    }
  }
}

/** A digest of everything `sls package` of one API reads from the repository. */
export function inputHash(packageDir: string, topology: Topology): string {
  const hash = createHash('sha256');
  hash.update(`stage ${topology.stage}\n`);
  const topologyFile = process.env.ARC_FAILOVER_TOPOLOGY ?? DEFAULT_TOPOLOGY_FILE;
  const inputs = [
    packageDir,
    path.join(REPO_ROOT, 'shared'),
    path.join(REPO_ROOT, 'package-lock.json'),
    path.resolve(topologyFile),
  ];
  for (const input of inputs) {
    for (const file of filesUnder(input)) {
      hash.update(`${path.relative(REPO_ROOT, file)}\n`);
      hash.update(readFileSync(file));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

function filesUnder(entry: string): string[] {
  if (!existsSync(entry)) return [];
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry)
    .filter((name) => !IGNORED.has(name))
    .sort()
    .flatMap((name) => filesUnder(path.join(entry, name)));
}
