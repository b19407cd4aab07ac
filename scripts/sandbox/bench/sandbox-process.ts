import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readBookmark, type Bookmark } from '@arc-failover/arc';
import { FREE_PORT_FLAGS } from '../src/free-ports';
import { REPO_ROOT } from '@arc-failover/stacks';

const MAIN = path.join(REPO_ROOT, 'scripts', 'sandbox', 'src', 'commands', 'start', 'main.ts');

export interface SandboxProcess {
  process: ChildProcess;
  bookmark: Bookmark;
  /** What the sandbox reports: from the end of the (cached) build until everything listens, APIs on primaries. */
  readyMs: number;
  /** From spawning the process until it printed that it is ready (Node, tsx and the build check included). */
  wallMs: number;
  stop: () => Promise<void>;
}

/**
 * `npm start`'s entry as one process (`node --import tsx`, no wrapper process), on free ports: what the
 * memory figure must cover is exactly this process, its worker threads included.
 */
export function startSandboxProcess(bookmarkFile: string, args: string[] = []): Promise<SandboxProcess> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, '--quiet', '--no-demo', ...FREE_PORT_FLAGS, ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ARC_BOOKMARK: bookmarkFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const ready = /ready in (\d+\.\d+) s/.exec(output);
      if (!ready || !output.includes('Ctrl-C stops everything')) return;
      resolve({
        process: child,
        bookmark: readBookmark(bookmarkFile),
        readyMs: Number(ready[1]) * 1000,
        wallMs: performance.now() - started,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) =>
      reject(new Error(`the sandbox exited with ${code} before it was ready:\n${output}`)),
    );
  });
}

/** Resident memory of a process now and at its peak, in MB (Linux /proc). */
export function memoryOf(pid: number): { rssMb: number; peakRssMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}
