import { setTimeout as sleep } from 'node:timers/promises';

/** ARC's data plane takes about 3 mutating calls per second per endpoint. */
export const MUTATING_CALLS_PER_SECOND = 3;

/** A slot: taken when a call is about to be sent; `release` when its answer (or its timeout) came. */
export type Release = () => void;

/** How often a caller waiting only on calls still in flight looks again. */
const IN_FLIGHT_POLL_MS = 20;

/**
 * At most `limit` calls per key in any rolling window of `windowMs`, as the receiving end counts them. A
 * call's arrival is somewhere between its sending and its answer, so a slot is held from sending until
 * `windowMs` after its release: the next call then reaches the endpoint at least `windowMs` after it,
 * however long either spent on the way.
 */
export class RollingRateLimit {
  /** Per key: the slots held, `releasedAt` unset while the call is in flight. */
  private readonly slots = new Map<string, { releasedAt?: number }[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Waits for a slot on `key`; undefined, without a slot, once `halt` is aborted. */
  async acquire(key: string, halt?: AbortSignal): Promise<Release | undefined> {
    for (;;) {
      if (halt?.aborted) return undefined;
      const now = this.now();
      const held = (slot: { releasedAt?: number }) =>
        slot.releasedAt === undefined || now - slot.releasedAt < this.windowMs;
      const slots = (this.slots.get(key) ?? []).filter(held);
      this.slots.set(key, slots);
      if (slots.length < this.limit) {
        const slot: { releasedAt?: number } = {};
        slots.push(slot);
        return () => {
          slot.releasedAt ??= this.now();
        };
      }
      const ends = slots.flatMap((s) =>
        s.releasedAt === undefined ? [] : [s.releasedAt + this.windowMs - now],
      );
      const waitMs = ends.length > 0 ? Math.min(...ends) : IN_FLIGHT_POLL_MS;
      await sleep(Math.max(1, waitMs), undefined, { signal: halt }).catch(() => undefined);
    }
  }
}
