import { setTimeout as sleep } from 'node:timers/promises';
import { EndpointRejection, NoEndpointAnswered } from '../dataplane/client';
import { callRecord, failedList, type SwitchoverProgress } from './progress';
import type { SwitchoverDataPlane } from './read';

/** About 3 mutating calls per second per endpoint are allowed; only matters between batches. */
export const MUTATING_CALL_INTERVAL_MS = 350;

export type SwitchoverEvent =
  | { type: 'readiness' }
  | { type: 'sending'; batch: number }
  | { type: 'applied'; batch: number }
  | { type: 'failed'; batch: number; error: unknown }
  | { type: 'read-back' };

export interface ApplyOptions {
  dataPlane: SwitchoverDataPlane;
  /** Safety-rule ARNs the cluster is to bypass. */
  overrides: string[];
  halt?: AbortSignal;
  pauseMs: number;
  onEvent: (event: SwitchoverEvent) => void;
}

/**
 * Sends the batches in order, `pauseMs` apart, recording each in `progress`; stops at the first that fails
 * and returns its error. Once `halt` is aborted nothing more is sent; the update in flight still runs to its
 * answer or its timeout, so that a read afterwards sees whether it was applied.
 */
export async function applyBatches(
  progress: SwitchoverProgress,
  { dataPlane, overrides, halt, pauseMs, onEvent }: ApplyOptions,
): Promise<unknown> {
  const { batches } = progress;
  for (const [index, batch] of batches.entries()) {
    if (index > 0) await sleep(pauseMs);
    if (halt?.aborted) break;
    const call = `update ${index + 1}/${batches.length}`;
    onEvent({ type: 'sending', batch: index });
    try {
      const answer = await dataPlane.updateRoutingControlStates(batch.entries, overrides, { halt });
      progress.calls.push(callRecord(call, answer));
      Object.assign(batch, { applied: true, endpoint: answer.endpoint.region });
      onEvent({ type: 'applied', batch: index });
    } catch (error) {
      if (error instanceof EndpointRejection || error instanceof NoEndpointAnswered) {
        progress.calls.push({
          call,
          ...(error instanceof EndpointRejection ? { rejectedBy: error.endpoint } : {}),
          failed: failedList(error.failures),
        });
      }
      onEvent({ type: 'failed', batch: index, error });
      return error;
    }
  }
  return undefined;
}
