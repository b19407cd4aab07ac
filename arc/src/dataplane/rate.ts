import { setTimeout as sleep } from 'node:timers/promises';

/** ARC's data plane takes about 3 mutating calls per second per endpoint. */
export const MUTATING_CALLS_PER_SECOND = 3;

/**
 * At most `limit` slots per key in any rolling window of `windowMs`: a slot is taken when a call is about
 * to be sent, and held for the window whatever the call's answer.
 */
export class RollingRateLimit {
  private readonly taken = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Waits for a slot on `key`; false, without a slot, once `halt` is aborted. */
  async acquire(key: string, halt?: AbortSignal): Promise<boolean> {
    for (;;) {
      if (halt?.aborted) return false;
      const now = this.now();
      const times = (this.taken.get(key) ?? []).filter((t) => now - t < this.windowMs);
      this.taken.set(key, times);
      if (times.length < this.limit) {
        times.push(now);
        return true;
      }
      await sleep(times[0]! + this.windowMs - now, undefined, { signal: halt }).catch(() => undefined);
    }
  }
}
