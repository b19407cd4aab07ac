import { readdirSync } from 'node:fs';
import path from 'node:path';
import { withDirectoryLock } from './lock';
import { sls } from './sls';

export { deployablePackages, type DeployablePackage } from './deployables';

export interface PackagedStack {
  /** The packaged `cloudformation-template-update-stack.json`. */
  templateFile: string;
  /** The deployment zip holding the handler bundle; none for a stack without functions (arc). */
  artifactFile?: string;
}

/**
 * Runs the real `sls package` for one stack, stage and Region into outputDir: offline, with no AWS
 * credentials needed. Packagings of one package directory run one at a time, across processes too,
 * because serverless-esbuild and osls share work folders inside it.
 */
export async function packageStack(
  packageDir: string,
  { stage, region, outputDir }: { stage: string; region: string; outputDir: string },
): Promise<PackagedStack> {
  const output = path.resolve(outputDir);
  await withDirectoryLock(packageDir, () =>
    sls(packageDir, ['package', '--stage', stage, '--region', region, '--package', output]),
  );
  const zip = readdirSync(output).find((file) => file.endsWith('.zip'));
  return {
    templateFile: path.join(output, 'cloudformation-template-update-stack.json'),
    ...(zip && { artifactFile: path.join(output, zip) }),
  };
}
