import { runProjectCommand, type ProcessRun } from '@arc-failover/shared';

/** The execution report a switch with --wait wrote: its Markdown, JSON and SVG timeline. */
export interface ReportFiles {
  markdown: string;
  json: string;
  svg: string;
}

export interface SwitchRun extends ProcessRun {
  /** The command as a user would type it. */
  command: string;
  /** With --wait: the report the CLI wrote, as its "Report:" line names it. */
  report?: ReportFiles;
}

/** Runs `npm run switch` as its own process, the way an operator does, against the given bookmark. */
export async function runSwitchCli(
  args: string[],
  { bookmark, auditLog, env }: { bookmark: string; auditLog?: string; env?: NodeJS.ProcessEnv },
): Promise<SwitchRun> {
  const full = [...args, '--bookmark', bookmark, ...(auditLog ? ['--audit-log', auditLog] : [])];
  const run = await runProjectCommand('switch', full, { env });
  const report = reportFiles(run.stdout);
  return { ...run, command: `npm run switch -- ${args.join(' ')}`, ...(report && { report }) };
}

/** The files of the "Report: <md> (JSON <json>, timeline <svg>)" line a switch with --wait prints. */
export function reportFiles(stdout: string): ReportFiles | undefined {
  const match = /^Report: (.+) \(JSON (.+), timeline (.+)\)$/m.exec(stdout);
  return match ? { markdown: match[1]!, json: match[2]!, svg: match[3]! } : undefined;
}
