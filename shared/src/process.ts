import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';

/** How a process that ran to its end ended, and what it printed. */
export interface ProcessRun {
  /** null when a signal ended the process. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Date.now() when the process was started and when it exited. */
  startedAt: number;
  endedAt: number;
}

export interface ProcessOptions {
  cwd: string;
  /** The process's whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /**
   * Called after each chunk on stdout with everything printed there so far, and the process's stdin, which
   * then stays open for it to answer a prompt; without it the process reads an empty stdin.
   */
  onStdout?: (stdout: string, stdin: Writable) => void;
}

/** Runs a command as a process of its own, to its end, keeping what it prints. */
export function runProcess(
  command: string,
  args: readonly string[],
  { cwd, env = process.env, onStdout }: ProcessOptions,
): Promise<ProcessRun> {
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: [onStdout ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      onStdout?.(stdout, child.stdin!);
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr, startedAt, endedAt: Date.now() }));
  });
}

/** A process with this pid exists (EPERM: it does, owned by someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
