import path from 'node:path';
import { runProcess, type ProcessRun } from '@arc-failover/shared/process';
import { REPO_ROOT } from '../stacks/deployables';

/** `npm run <command>` is tsx on an entry point; running tsx directly spares npm's own start-up. */
export const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

/** Runs one of the project's commands (its TypeScript entry, from the repository root) as its own process. */
export function runScript(
  entry: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ProcessRun> {
  return runProcess(TSX, [path.join(REPO_ROOT, entry), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
  });
}
