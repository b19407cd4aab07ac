import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const TIMEOUT_MS = 180_000;
/** A lock directory still without its pid file after this long was left by a process that died. */
const PID_GRACE_MS = 5_000;

/**
 * Runs `run` while holding an exclusive lock on `dir`, shared by every process on this machine (mkdir is
 * atomic); a lock whose holder died is taken over.
 */
export async function withDirectoryLock<T>(dir: string, run: () => Promise<T>): Promise<T> {
  const id = createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 16);
  const lock = path.join(tmpdir(), `arc-failover-lock-${id}`);
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!held(lock)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${dir} has been locked by another process for over ${TIMEOUT_MS / 1000} s (${lock})`,
        );
      }
      await sleep(100);
    }
  }
  try {
    return await run();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function held(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
  } catch {
    try {
      return Date.now() - statSync(lock).mtimeMs < PID_GRACE_MS;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
