import type { ProcessRun } from '@arc-failover/shared/process';
import { runScript } from './run-script';

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
  const run = await runScript('arc/src/cli/main.ts', full, env);
  return { ...run, command: `npm run switch -- ${args.join(' ')}` };
}
