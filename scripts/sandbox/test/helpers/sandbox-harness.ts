import path from 'node:path';
import type { ProcessRun } from '@arc-failover/shared';
import { runCommand } from '@arc-failover/testing';
import { runSwitchCli, type SwitchRun } from '../../src/commands/demo/switch-cli';
import { startSandboxOnFreePorts } from '../../src/free-ports';
import type { Sandbox } from '../../src/sandbox';

export interface Harness {
  sandbox: Sandbox;
  bookmarkFile: string;
  auditLog: string;
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
  const own = await startSandboxOnFreePorts({ ...options, log: () => undefined });
  const { bookmarkFile } = own;
  const auditLog = path.join(own.dir, 'audit.jsonl');
  return {
    sandbox: own.sandbox,
    bookmarkFile,
    auditLog,
    switch: (...args) => runSwitchCli([...args, '--yes'], { bookmark: bookmarkFile, auditLog }),
    fault: (...args) => runCommand('fault', [...args, '--bookmark', bookmarkFile]),
    stop: own.close,
  };
}
