import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CloudFormationTemplate } from '@arc-failover/shared/serverless';
import type { Topology } from '@arc-failover/shared';
import { deployablePackages, packageStack, type DeployablePackage } from '../src/package';

export interface PackagedStackFiles {
  pkg: DeployablePackage;
  region: string;
  dir: string;
  template: CloudFormationTemplate;
  createTemplate: CloudFormationTemplate;
  /** osls's serverless-state.json: the resolved config, as plugins see it at deploy time. */
  state: {
    service: {
      service: string;
      plugins: string[];
      custom: Record<string, unknown>;
      provider: Record<string, unknown>;
    };
  };
  artifactFile?: string;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/**
 * Every stack of the stage packaged with the real `sls package`, in each of its Regions, under root.
 * Two packagings at a time: the machines have two cores.
 */
export async function packageEveryStack(topology: Topology, root: string): Promise<PackagedStackFiles[]> {
  const jobs = deployablePackages(topology).flatMap((pkg) => pkg.regions.map((region) => ({ pkg, region })));
  const results: PackagedStackFiles[] = [];
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const { pkg, region } = job;
      const dir = path.join(root, pkg.name, region);
      const { templateFile, artifactFile } = await packageStack(pkg.dir, {
        stage: topology.stage,
        region,
        outputDir: dir,
      });
      results.push({
        pkg,
        region,
        dir,
        template: readJson(templateFile),
        createTemplate: readJson(path.join(dir, 'cloudformation-template-create-stack.json')),
        state: readJson(path.join(dir, 'serverless-state.json')),
        ...(artifactFile && { artifactFile }),
      });
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}
