import { setTimeout as sleep } from 'node:timers/promises';
import type { Endpoint } from '../dataplane/client';
import { MUTATING_CALLS_PER_SECOND, RollingRateLimit } from '../dataplane/rate';

/** A cluster has five endpoints: at most one lane each. */
export const DEFAULT_CONCURRENCY = 5;

/** What sending one batch came to: `stop` takes no further batch; `endpoint` is the one that answered. */
export interface Sent {
  stop: boolean;
  endpoint?: Endpoint;
}

export type SendBatch = (index: number, endpoint: Endpoint | undefined) => Promise<Sent>;

export interface SpreadOptions {
  /** Batches, sent by index from 0. */
  count: number;
  /** Lanes at most: batches in flight at once. 1 sends them one after another. */
  concurrency: number;
  /** Within one lane, between two of its batches. */
  pauseMs: number;
  /** Once aborted, no lane takes another batch; those in flight run to their end. */
  halt?: AbortSignal;
  /** The first lane's endpoint; undefined lets the client choose. */
  first?: Endpoint;
  /** Endpoints found answering (not `except`), each one a new lane while lanes < concurrency. */
  discover?: (except: Endpoint[], signal: AbortSignal) => Promise<Endpoint>[];
  /** Batches a lane takes per rolling second on its endpoint; default 3, as the client sends. */
  perSecond?: number;
}

/**
 * Sends `count` independent batches over up to `concurrency` lanes, each lane pinned to an endpoint and
 * moving to the one that answered when its own failed. The first lane starts at once on `first`; the
 * others start as `discover` finds further endpoints answering, so a hanging endpoint gets no lane and a
 * healthy cluster is used whole. A lane takes a batch only when its endpoint's rate allows a call now, so
 * that no batch waits on a busy endpoint while another is free (the client still enforces the rate, retries
 * included). Resolves once every lane has ended: after the last batch, a `stop`, or `halt`.
 */
export async function spreadBatches(options: SpreadOptions, send: SendBatch): Promise<void> {
  const { count, concurrency, pauseMs, halt } = options;
  let next = 0;
  let stopped = false;
  const more = () => !stopped && next < count && !halt?.aborted;
  const rate = new RollingRateLimit(options.perSecond ?? MUTATING_CALLS_PER_SECOND);

  const lane = async (pinned: Endpoint | undefined) => {
    let endpoint = pinned;
    for (let sent = 0; more(); sent++) {
      if (sent > 0 && pauseMs > 0) await sleep(pauseMs);
      const release = await rate.acquire(endpoint?.url ?? '', halt);
      if (!release) break;
      if (!more()) {
        release();
        break;
      }
      const result = await send(next++, endpoint).finally(release);
      if (result.stop) stopped = true;
      endpoint = result.endpoint ?? endpoint;
    }
  };

  const lanes = [lane(options.first)];
  const probing = new AbortController();
  if (options.discover && concurrency > 1 && count > 1) {
    for (const found of options.discover(options.first ? [options.first] : [], probing.signal)) {
      found.then(
        (endpoint) => {
          if (lanes.length < concurrency && more()) lanes.push(lane(endpoint));
        },
        () => undefined,
      );
    }
  }
  try {
    // a lane may be added while the others run
    for (let settled = 0; settled < lanes.length;) {
      const now = lanes.length;
      await Promise.all(lanes);
      settled = now;
    }
  } finally {
    probing.abort();
  }
}
