import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Topology } from '@arc-failover/shared';
import { StackCommandError } from './errors';
import { REPO_ROOT } from './deployables';

const LERNA = path.join(REPO_ROOT, 'node_modules', '.bin', 'lerna');

/**
 * `lerna run deploy` for the stage: every package's `arc-failover-stack deploy`, in the order of the
 * workspace graph (the ARC stack first: every API package depends on it), with osls's live output.
 */
export async function lernaDeploy(topology: Topology): Promise<void> {
  const args = ['run', 'deploy', '--', '--stage', topology.stage];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(LERNA, args, { cwd: REPO_ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    throw new StackCommandError(`lerna ${args.join(' ')} failed (exit ${code}): see its output above`);
  }
}
