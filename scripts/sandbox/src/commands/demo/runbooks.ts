import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from '@arc-failover/shared';

/** The runbooks the demo ends with: every API off us-east-1, then back, in their set order. */
export const DEMO_RUNBOOKS = ['evacuate-us-east-1', 'return-to-primary'] as const;

export interface RunbookRun {
  runbook: string;
  exitCode: number | null;
  /** Dry run only: no terminal to answer the approval step on. */
  dryRun: boolean;
  /** The JSON report the run wrote ("Report: <path>"). */
  report?: string;
}

interface RunbookOptions {
  bookmark: string;
  auditLog?: string;
  waitTimeoutSeconds: number;
  /** Waited before each run: the safety rules lock an API's controls this long after a change. */
  waitPeriodMs: number;
  print: (line: string) => void;
}

const LAUNCHER = path.join(REPO_ROOT, 'arc', 'bin', 'switch.cjs');

/**
 * Runs each runbook as an operator does, `npm run switch -- runbook <name> --yes`. Its approval step asks on
 * the terminal: on one, the watcher answers it (stdin and the question on stderr are the demo's own); with
 * none, the run is a --dry-run (the evaluation and each step's plan), since nobody could approve it.
 */
export async function runDemoRunbooks(options: RunbookOptions): Promise<RunbookRun[]> {
  const onTerminal = Boolean(process.stdin.isTTY);
  const runs: RunbookRun[] = [];
  for (const runbook of DEMO_RUNBOOKS) {
    await sleep(options.waitPeriodMs + 100);
    const args = [
      'runbook',
      runbook,
      '--yes',
      '--wait-timeout',
      String(options.waitTimeoutSeconds),
      '--bookmark',
      options.bookmark,
      ...(options.auditLog ? ['--audit-log', options.auditLog] : []),
      ...(onTerminal ? [] : ['--dry-run']),
    ];
    options.print(
      `runbook: npm run switch -- runbook ${runbook} --yes${onTerminal ? ' (answer its approval step below)' : ' --dry-run (no terminal to approve on)'}`,
    );
    const run = await runInherited(args, options.print);
    runs.push({
      runbook,
      exitCode: run.exitCode,
      dryRun: !onTerminal,
      ...(run.report && { report: run.report }),
    });
    if (run.exitCode !== 0 && onTerminal) break;
  }
  return runs;
}

/** The CLI with the demo's stdin and stderr (so it can ask), its stdout printed line by line, indented. */
function runInherited(
  args: string[],
  print: (line: string) => void,
): Promise<{ exitCode: number | null; report?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, ...args], {
      cwd: REPO_ROOT,
      env: process.env,
      stdio: ['inherit', 'pipe', 'inherit'],
    });
    let pending = '';
    let report: string | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        report = /^Report: (.+\.json)$/.exec(line)?.[1] ?? report;
        print(`  ${line}`);
      }
    });
    child.on('error', reject);
    child.on('close', (exitCode) => {
      if (pending) print(`  ${pending}`);
      resolve({ exitCode, ...(report && { report }) });
    });
  });
}
