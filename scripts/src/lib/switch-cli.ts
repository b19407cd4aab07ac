import path from 'node:path';
import { runProcess, type ProcessRun } from '@arc-failover/shared/process';
import { REPO_ROOT } from '../stacks/deployables';

/** The switch CLI's launcher, as `npm run switch` runs it: one Node process on the CLI's prebuilt bundle. */
export const SWITCH_LAUNCHER = path.join(REPO_ROOT, 'arc', 'bin', 'switch.cjs');

export interface SwitchRun extends ProcessRun {
  /** The command as a user would type it. */
  command: string;
}

/** Runs the switchover CLI as its own process, the way an operator does, against the given bookmark. */
export async function runSwitchCli(
  args: string[],
  { bookmark, auditLog, env }: { bookmark: string; auditLog?: string; env?: NodeJS.ProcessEnv },
): Promise<SwitchRun> {
  const full = [...args, '--bookmark', bookmark, ...(auditLog ? ['--audit-log', auditLog] : [])];
  const run = await runProcess(process.execPath, [SWITCH_LAUNCHER, ...full], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
  });
  return { ...run, command: `npm run switch -- ${args.join(' ')}` };
}
