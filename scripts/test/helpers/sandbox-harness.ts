import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTopology } from '@arc-failover/shared';
import { runSwitchCli, type SwitchRun } from '../../src/lib/switch-cli';
import { REPO_ROOT } from '../../src/stacks/deployables';
import { DEFAULT_API_ADDRESSES } from '../../src/sandbox/addresses';
import type { Sandbox } from '../../src/sandbox/sandbox';
import { startSandbox } from '../../src/sandbox/start';

// The in-process SDK client (putting APIs on their primaries) would otherwise warn about Node 20 on stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

export interface ProcessRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs one of the project's commands (a TypeScript entry point) as its own process. */
export function runScript(entry: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [path.join(REPO_ROOT, entry), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
  });
}

export interface Harness {
  sandbox: Sandbox;
  bookmarkFile: string;
  auditLog: string;
  dir: string;
  logs: string[];
  /** npm run switch -- <args> --yes, against this sandbox. */
  switch: (...args: string[]) => Promise<SwitchRun>;
  /** npm run fault -- <args>, against this sandbox. */
  fault: (...args: string[]) => Promise<ProcessRun>;
  stop: () => Promise<void>;
}

/**
 * A sandbox in this process on free ports, with its own bookmark and audit log in a temporary folder; the
 * CLI and the fault command run as processes against it, as a user runs them.
 */
export async function startHarness(options: {
  ttlSeconds: number;
  waitPeriodMs: number;
  leaveOff?: boolean;
}): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-e2e-'));
  const bookmarkFile = path.join(dir, 'bookmark.json');
  const auditLog = path.join(dir, 'audit.jsonl');
  const logs: string[] = [];
  const { sandbox } = await startSandbox({
    topology: loadTopology('local'),
    host: '127.0.0.1',
    entryPort: 0,
    apiPort: 0,
    dnsPort: 0,
    adminPort: 0,
    apiAddresses: DEFAULT_API_ADDRESSES,
    ttlSeconds: options.ttlSeconds,
    waitPeriodMs: options.waitPeriodMs,
    leaveOff: options.leaveOff,
    bookmarkFile,
    log: (source, line) => logs.push(`[${source}] ${line}`),
  });
  return {
    sandbox,
    bookmarkFile,
    auditLog,
    dir,
    logs,
    switch: (...args) => runSwitchCli([...args, '--yes'], { bookmark: bookmarkFile, auditLog }),
    fault: (...args) => runScript('scripts/src/fault/main.ts', [...args, '--bookmark', bookmarkFile]),
    stop: async () => {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
