import { describeDataPlaneFailure, SwitchoverError, type ReadFailure } from './errors';
import type { SwitchoverProgress } from './progress';

/**
 * How a switch that sent at least one update failed:
 * - `update-failed`: the first update was refused or got no answer, and the states read back are not the
 *   target (`routingMayHaveChanged` unless it was surely not applied and nothing else changed);
 * - `partial`: earlier batches were applied, a later one failed;
 * - `changed-by-someone-else`: every update was accepted, but the states read back are not the target;
 * - `unverified`: the states could not be read back after an update was sent (`readBackError`).
 */
export type FailedOutcome = 'update-failed' | 'partial' | 'changed-by-someone-else' | 'unverified';

export class SwitchoverFailed extends SwitchoverError {
  override name = 'SwitchoverFailed';
  constructor(
    readonly outcome: FailedOutcome,
    readonly routingMayHaveChanged: boolean,
    /** How far it got: plan, batches (applied or not), every call's endpoints, the read back if any. */
    readonly progress: SwitchoverProgress,
    /** The error of the update that failed (EndpointRejection, NoEndpointAnswered), if one did. */
    readonly updateError?: unknown,
    readonly readBackError?: ReadFailure,
  ) {
    super(failedMessage(outcome, progress, updateError, readBackError));
  }
}

function failedMessage(
  outcome: FailedOutcome,
  progress: SwitchoverProgress,
  updateError: unknown,
  readBackError: ReadFailure | undefined,
): string {
  const update = updateError ? describeDataPlaneFailure(updateError, 'update the routing controls') : '';
  const applied = progress.batches.filter((b) => b.applied).flatMap((b) => b.apis);
  switch (outcome) {
    case 'update-failed':
      return update;
    case 'partial':
      return `PARTIAL SWITCH: ${applied.join(', ')} switched, the rest not: ${update}`;
    case 'changed-by-someone-else':
      return `the cluster accepted the change but reads back other states for ${progress.unmet.map((a) => a.api.name).join(', ')}`;
    case 'unverified':
      return `${update || 'the cluster accepted the change'}; the states could not be read back (${readBackError?.message})`;
  }
}
