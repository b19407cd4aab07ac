import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTopology } from '@arc-failover/shared';
import { DEFAULT_API_ADDRESSES } from './addresses';
import type { Sandbox, SandboxOptions } from './sandbox';
import { startSandbox } from './start';

/** `npm start`'s flags that put every listener on a free port. */
export const FREE_PORT_FLAGS: readonly string[] = [
  '--port',
  '0',
  '--api-port',
  '0',
  '--dns-port',
  '0',
  '--admin-port',
  '0',
  '--arc-ports',
  '0',
];

export interface TemporarySandbox {
  sandbox: Sandbox;
  /** The temporary folder that holds the bookmark; close() removes it. */
  dir: string;
  bookmarkFile: string;
  close: () => Promise<void>;
}

/**
 * A sandbox of the "local" stage in this process, on free ports, with a bookmark of its own in a temporary
 * folder: one that cannot collide with the sandbox `npm start` runs.
 */
export async function startSandboxOnFreePorts(options: {
  /** DNS TTL (default: the topology's). */
  ttlSeconds?: number;
  waitPeriodMs: number;
  leaveOff?: boolean;
  /** The approval gate on, as `npm start -- --approval-gate`: approver keys in the bookmark. */
  approvalGate?: boolean;
  log: SandboxOptions['log'];
}): Promise<TemporarySandbox> {
  const local = loadTopology('local');
  const topology = options.approvalGate ? { ...local, arc: { ...local.arc, approvalGate: true } } : local;
  const dir = mkdtempSync(path.join(tmpdir(), 'arc-failover-sandbox-'));
  const bookmarkFile = path.join(dir, 'bookmark.json');
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  try {
    const { sandbox } = await startSandbox({
      topology,
      host: '127.0.0.1',
      entryPort: 0,
      apiPort: 0,
      dnsPort: 0,
      adminPort: 0,
      apiAddresses: DEFAULT_API_ADDRESSES,
      ttlSeconds: options.ttlSeconds ?? topology.sandbox.recordTtlSeconds,
      waitPeriodMs: options.waitPeriodMs,
      leaveOff: options.leaveOff,
      bookmarkFile,
      log: options.log,
    });
    return {
      sandbox,
      dir,
      bookmarkFile,
      close: async () => {
        await sandbox.close();
        removeDir();
      },
    };
  } catch (error) {
    removeDir();
    throw error;
  }
}
