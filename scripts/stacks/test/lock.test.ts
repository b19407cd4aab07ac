import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { breakLock, lockPath, staleHolders, withDirectoryLock } from '../src/lock';

let dir: string;
let lock: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'arc-failover-locked-'));
  lock = lockPath(dir);
});
afterEach(() => {
  rmSync(lock, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid;

/** A lock left behind by a process that was killed while holding it. */
function plantStaleLock(): string {
  const holder = `${deadPid()}-0123456789abcdef`;
  mkdirSync(lock);
  writeFileSync(path.join(lock, holder), '');
  return holder;
}

/** Runs `count` holders at once; each records when it entered and left. */
async function contend(count: number, holdMs: number) {
  const spans: [number, number][] = [];
  await Promise.all(
    Array.from({ length: count }, () =>
      withDirectoryLock(dir, async () => {
        const entered = performance.now();
        await sleep(holdMs);
        spans.push([entered, performance.now()]);
      }),
    ),
  );
  return spans.sort((a, b) => a[0] - b[0]);
}

const overlaps = (spans: [number, number][]) =>
  spans.slice(1).filter(([entered], i) => entered < spans[i]![1]);

describe('withDirectoryLock', () => {
  it('lets one holder in at a time, and frees the lock after each', async () => {
    const spans = await contend(4, 30);
    expect(spans).toHaveLength(4);
    expect(overlaps(spans)).toEqual([]);
    expect(existsSync(lock)).toBe(false);
  });

  it('frees the lock when the work fails, and passes the failure on', async () => {
    await expect(withDirectoryLock(dir, () => Promise.reject(new Error('sls failed')))).rejects.toThrow(
      'sls failed',
    );
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose holder died, with only one of several waiters inside at a time', async () => {
    plantStaleLock();
    const spans = await contend(4, 30);
    expect(spans).toHaveLength(4);
    expect(overlaps(spans)).toEqual([]);
  });

  it('cannot be broken by a waiter acting on a stale holder it saw before someone else took over', async () => {
    const stale = plantStaleLock();
    const seenByLateWaiter = staleHolders(lock);
    expect(seenByLateWaiter).toEqual([stale]);

    await withDirectoryLock(dir, async () => {
      // the late waiter now breaks what it judged stale: the fresh lock must survive it
      for (const holder of seenByLateWaiter) breakLock(lock, holder);
      expect(readdirSync(lock)).toEqual([expect.stringMatching(new RegExp(`^${process.pid}-[0-9a-f]{16}$`))]);
      expect(staleHolders(lock)).toEqual([]);
      await expect(withDirectoryLock(dir, async () => 'in', { timeoutMs: 300 })).rejects.toThrow(
        `${dir} has been locked by another process for over 0.3 s (${lock})`,
      );
    });
    expect(existsSync(lock)).toBe(false);
  });

  it('waits for a live holder, and leaves nothing behind when it gives up', async () => {
    await withDirectoryLock(dir, async () => {
      await expect(withDirectoryLock(dir, async () => 'in', { timeoutMs: 200 })).rejects.toThrow(
        /has been locked by another process for over 0\.2 s/,
      );
    });
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(path.basename(lock)))).toEqual([]);
  });
});
