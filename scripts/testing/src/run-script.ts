import path from 'node:path';
import { REPO_ROOT, runProjectCommand, type ProcessRun } from '@arc-failover/shared';

export { projectCommand, runProjectCommand } from '@arc-failover/shared';

export const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

/** Runs `npm run <command> -- <args>` as its own process, as a user does, with extra environment. */
export function runCommand(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ProcessRun> {
  return runProjectCommand(command, args, { env });
}
