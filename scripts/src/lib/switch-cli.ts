import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../stacks/deployables';

/** `npm run switch` is `tsx arc/src/cli/main.ts`; running tsx directly spares npm's own start-up. */
const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const SWITCH_CLI = path.join(REPO_ROOT, 'arc', 'src', 'cli', 'main.ts');

export interface SwitchRun {
  /** The command as a user would type it. */
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Date.now() when the process was started and when it exited. */
  startedAt: number;
  endedAt: number;
}

/** Runs the switchover CLI as its own process, the way an operator does, against the given bookmark. */
export function runSwitchCli(
  args: string[],
  { bookmark, auditLog, env }: { bookmark: string; auditLog?: string; env?: NodeJS.ProcessEnv },
): Promise<SwitchRun> {
  const full = [...args, '--bookmark', bookmark, ...(auditLog ? ['--audit-log', auditLog] : [])];
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [SWITCH_CLI, ...full], {
      cwd: REPO_ROOT,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        command: `npm run switch -- ${args.join(' ')}`,
        exitCode: code ?? 1,
        stdout,
        stderr,
        startedAt,
        endedAt: Date.now(),
      }),
    );
  });
}
