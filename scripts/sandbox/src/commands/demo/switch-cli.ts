import { runProjectCommand, type ProcessRun } from '@arc-failover/shared';

export interface SwitchRun extends ProcessRun {
  /** The command as a user would type it. */
  command: string;
}

/** Runs `npm run switch` as its own process, the way an operator does, against the given bookmark. */
export async function runSwitchCli(
  args: string[],
  { bookmark, auditLog, env }: { bookmark: string; auditLog?: string; env?: NodeJS.ProcessEnv },
): Promise<SwitchRun> {
  const full = [...args, '--bookmark', bookmark, ...(auditLog ? ['--audit-log', auditLog] : [])];
  const run = await runProjectCommand('switch', full, { env });
  return { ...run, command: `npm run switch -- ${args.join(' ')}` };
}
