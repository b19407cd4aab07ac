import { EndpointRejection, HaltedBeforeSending, NoEndpointAnswered } from '../dataplane/client';
import { callRecord, failedList, type CallRecord, type SwitchoverProgress } from './progress';
import type { SwitchoverDataPlane } from './read';
import { spreadBatches } from './scheduler';

/**
 * The pause of the one-batch-at-a-time apply, under ARC's 3 mutating calls per second per endpoint. The
 * client keeps that rate itself now; this stays as the baseline's pause (concurrency 1).
 */
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
  /** Batches in flight at once, each on its own endpoint (see spreadBatches); 1: one after another. */
  concurrency: number;
  /** Between two batches sent on one endpoint lane. */
  pauseMs: number;
  onEvent: (event: SwitchoverEvent) => void;
}

/**
 * Sends the batches (each whole control panels, so independent of one another) spread over the endpoints
 * that answer, recording each in `progress`, the update calls kept in batch order. Once one fails no further
 * batch is sent; the error returned is that of the first failed batch in order. Once `halt` is aborted
 * nothing more is sent; updates in flight still run to their answer or their timeout, so that a read
 * afterwards sees whether they were applied.
 */
export async function applyBatches(
  progress: SwitchoverProgress,
  { dataPlane, overrides, halt, concurrency, pauseMs, onEvent }: ApplyOptions,
): Promise<unknown> {
  const { batches } = progress;
  const first = progress.calls.length;
  const records: CallRecord[] = [];
  const errors: unknown[] = [];
  const record = (index: number, call: CallRecord) => {
    records[index] = call;
    progress.calls.splice(first, Infinity, ...records.filter(Boolean));
  };
  const probe = dataPlane.probe?.bind(dataPlane);
  const probeArn = batches[0]?.entries[0]?.RoutingControlArn;

  await spreadBatches(
    {
      count: batches.length,
      concurrency,
      pauseMs,
      halt,
      first: dataPlane.firstEndpoint?.(),
      discover: probe && probeArn ? (except, signal) => probe(probeArn, except, signal) : undefined,
    },
    async (index, endpoint) => {
      const batch = batches[index]!;
      const call = `update ${index + 1}/${batches.length}`;
      let sending = false;
      const onAttempt = () => {
        if (!sending) onEvent({ type: 'sending', batch: index });
        sending = true;
      };
      try {
        const answer = await dataPlane.updateRoutingControlStates(batch.entries, overrides, {
          halt,
          onAttempt,
          ...(endpoint ? { endpoint } : {}),
        });
        record(index, callRecord(call, answer));
        Object.assign(batch, { applied: true, endpoint: answer.endpoint.region });
        onEvent({ type: 'applied', batch: index });
        return { stop: false, endpoint: answer.endpoint };
      } catch (error) {
        if (error instanceof HaltedBeforeSending) return { stop: true };
        if (error instanceof EndpointRejection || error instanceof NoEndpointAnswered) {
          record(index, {
            call,
            ...(error instanceof EndpointRejection ? { rejectedBy: error.endpoint } : {}),
            failed: failedList(error.failures),
          });
        }
        errors[index] = error;
        onEvent({ type: 'failed', batch: index, error });
        return { stop: true };
      }
    },
  );
  return errors.find((error) => error !== undefined);
}
