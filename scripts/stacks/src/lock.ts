import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from '@arc-failover/shared';

const TIMEOUT_MS = 180_000;

/** Where the lock on `dir` lives: one path per directory, shared by every process on this machine. */
export function lockPath(dir: string): string {
  const id = createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 16);
  return path.join(tmpdir(), `arc-failover-lock-${id}`);
}

/**
 * Runs `run` while holding an exclusive lock on `dir`, across processes. The lock is a directory holding
 * one file named after its holder and this one taking of it (`<pid>-<nonce>`):
 * - taking it renames a ready directory, holder file inside, onto the lock path; the rename succeeds only
 *   while the path is free (absent, or an empty directory), so two takers cannot both win;
 * - a lock whose holder process is gone is broken by deleting that holder's file, which frees the lock.
 *   The file's name is unique to one taking, so a waiter acting on what it saw of a stale lock cannot
 *   delete a lock taken afresh in the meantime.
 */
export async function withDirectoryLock<T>(
  dir: string,
  run: () => Promise<T>,
  { timeoutMs = TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<T> {
  const lock = lockPath(dir);
  const holder = `${process.pid}-${randomBytes(8).toString('hex')}`;
  const ready = `${lock}.${holder}`;
  mkdirSync(ready);
  writeFileSync(path.join(ready, holder), '');
  const deadline = Date.now() + timeoutMs;
  try {
    while (!take(ready, lock)) {
      for (const stale of staleHolders(lock)) breakLock(lock, stale);
      if (Date.now() > deadline) {
        throw new Error(`${dir} has been locked by another process for over ${timeoutMs / 1000} s (${lock})`);
      }
      await sleep(100);
    }
  } catch (error) {
    rmSync(ready, { recursive: true, force: true });
    throw error;
  }
  try {
    return await run();
  } finally {
    breakLock(lock, holder);
    try {
      rmdirSync(lock);
    } catch {
      // already gone, or already taken by the next holder
    }
  }
}

function take(ready: string, lock: string): boolean {
  try {
    renameSync(ready, lock);
    return true;
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw error;
  }
}

/** The holder files in the lock whose process has ended (or that no holder of this code wrote). */
export function staleHolders(lock: string): string[] {
  let holders: string[];
  try {
    holders = readdirSync(lock);
  } catch {
    return [];
  }
  return holders.filter((holder) => !isProcessAlive(Number(/^(\d+)-/.exec(holder)?.[1])));
}

/** Frees the lock if `holder` still holds it; a no-op once that taking of the lock is over. */
export function breakLock(lock: string, holder: string): void {
  try {
    unlinkSync(path.join(lock, holder));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
