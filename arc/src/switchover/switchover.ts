import type { Bookmark } from '../bookmark';
import { applyBatches, type SwitchoverEvent } from './apply';
import { statusOf } from './api-status';
import type { ReadinessOptions } from '../readiness';
import { SwitchoverError, TargetNotReady, updateMayHaveApplied, type ReadFailure } from './errors';
import { SwitchoverFailed } from './failed';
import { readinessGate } from './readiness-step';
import { planSwitch, unmetTargets, type Plan, type States, type Target } from './plan';
import { callRecord, type CallRecord, type SwitchoverProgress } from './progress';
import { readStates, type SwitchoverDataPlane } from './read';
import { DEFAULT_CONCURRENCY } from './scheduler';

export interface PlannedSwitchover {
  plan: Plan;
  /** The read the plan was made from. */
  read: CallRecord;
}

/** Reads the states of the targets' routing controls (theirs only) and plans the change. */
export async function planSwitchover({
  dataPlane,
  bookmark,
  targets,
}: {
  dataPlane: SwitchoverDataPlane;
  bookmark: Bookmark;
  targets: Target[];
}): Promise<PlannedSwitchover> {
  const before = await readStates(
    dataPlane,
    bookmark,
    targets.map((target) => target.api),
  );
  return { plan: planSwitch(targets, before.value), read: callRecord('read', before) };
}

export interface ExecuteOptions {
  dataPlane: SwitchoverDataPlane;
  bookmark: Bookmark;
  planned: PlannedSwitchover;
  /** Safety-rule ARNs the cluster is to bypass (break glass). */
  overrides?: string[];
  /** Aborted: send nothing more, let the update in flight end, read back (outcome 'interrupted'). */
  halt?: AbortSignal;
  /** Told as it goes, with the progress so far, e.g. to record it should the process be killed. */
  onEvent?: (event: SwitchoverEvent, progress: Readonly<SwitchoverProgress>) => void;
  /** Batches in flight at once, each on its own endpoint; default 5, 1 sends them one after another. */
  concurrency?: number;
  /** Between two batches on one endpoint lane; default 0 (the client keeps ARC's rate per endpoint). */
  pauseMs?: number;
  /**
   * The readiness gate's timeouts: before any update, every API that moves must answer 2xx in its target
   * Region, or the switch stops with TargetNotReady. Absent: no gate (break glass, --skip-readiness).
   */
  readiness?: ReadinessOptions;
}

/**
 * - `switched`: the read back shows every target;
 * - `already-in-place`: nothing to change, nothing sent;
 * - `already-in-place-by-someone-else`: this switch's update was surely not applied (refused, e.g. by the wait
 *   period another operator's same change started, or unanswered before reaching the cluster), yet the
 *   read back shows every target;
 * - `interrupted`: `halt` came once updates had begun; `verified` and `unmet` say where it stands.
 */
export type SwitchoverOutcome =
  'switched' | 'already-in-place' | 'already-in-place-by-someone-else' | 'interrupted';

export interface SwitchoverResult extends SwitchoverProgress {
  outcome: SwitchoverOutcome;
  /** APIs at their target whose batch this switch surely did not apply: someone else moved them. */
  bySomeoneElse: string[];
  /** An update that failed although every target holds (surely not applied, or its answer was lost). */
  updateError?: unknown;
}

/**
 * Applies a plan: whole-panel batches of at most 10 entries (On entries first), spread over the endpoints
 * that answer (at most 3 mutating calls per second on each), then reads
 * the states back. Resolves with the outcomes above; any failure once an update was sent is a
 * SwitchoverFailed carrying the progress. Nothing is printed or asked.
 */
export async function executeSwitchover(options: ExecuteOptions): Promise<SwitchoverResult> {
  const { dataPlane, bookmark, planned, overrides = [], halt, onEvent } = options;
  const { plan } = planned;
  const progress = progressOf(planned);
  if (plan.batches.length === 0) return { ...progress, outcome: 'already-in-place', bySomeoneElse: [] };
  const emit = (event: SwitchoverEvent) => onEvent?.(event, progress);

  if (options.readiness) {
    try {
      progress.readiness = await readinessGate(plan, options.readiness);
    } catch (error) {
      if (error instanceof TargetNotReady) progress.readiness = error.answers;
      throw error;
    }
    emit({ type: 'readiness' });
  }
  progress.updateSentAt = Date.now();
  const updateError = await applyBatches(progress, {
    dataPlane,
    overrides,
    halt,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    pauseMs: options.pauseMs ?? 0,
    onEvent: emit,
  });

  const apis = plan.apis.map((a) => a.api);
  let after: States;
  try {
    const answer = await readStates(dataPlane, bookmark, apis);
    progress.calls.push(callRecord('read back', answer));
    after = answer.value;
  } catch (error) {
    if (!(error instanceof SwitchoverError)) throw error;
    progress.interrupted = Boolean(halt?.aborted);
    const mayHaveChanged = changedBySwitch(progress, updateError);
    throw new SwitchoverFailed('unverified', mayHaveChanged, progress, updateError, error as ReadFailure);
  }
  progress.readBack = statusOf(apis, after);
  progress.unmet = unmetTargets(plan, after);
  progress.verified = progress.unmet.length === 0;
  progress.interrupted = Boolean(halt?.aborted);
  emit({ type: 'read-back' });

  if (progress.interrupted) return { ...progress, outcome: 'interrupted', bySomeoneElse: [], updateError };
  if (progress.unmet.length > 0) {
    if (updateError === undefined) throw new SwitchoverFailed('changed-by-someone-else', true, progress);
    const partial = progress.batches.some((b) => b.applied);
    const mayHaveChanged = changedBySwitch(progress, updateError) || movedSincePlan(plan, after);
    throw new SwitchoverFailed(partial ? 'partial' : 'update-failed', mayHaveChanged, progress, updateError);
  }
  const notOurs = updateError !== undefined && !updateMayHaveApplied(updateError);
  const bySomeoneElse = notOurs ? progress.batches.filter((b) => !b.applied).flatMap((b) => b.apis) : [];
  const noneApplied = !progress.batches.some((b) => b.applied);
  return {
    ...progress,
    outcome: notOurs && noneApplied ? 'already-in-place-by-someone-else' : 'switched',
    bySomeoneElse,
    updateError,
  };
}

/** Where a planned switchover starts: every batch planned, none applied, the read it was planned from. */
export function progressOf(planned: PlannedSwitchover): SwitchoverProgress {
  const { plan } = planned;
  return {
    plan,
    batches: plan.batches.map((batch) => ({ ...batch, applied: false })),
    calls: [planned.read],
    unmet: [],
    interrupted: false,
  };
}

/** Plans and applies in one go, for callers that need no confirmation between the two. */
export async function switchover(
  options: Omit<ExecuteOptions, 'planned'> & { targets: Target[] },
): Promise<SwitchoverResult> {
  const planned = await planSwitchover(options);
  return executeSwitchover({ ...options, planned });
}

/** A batch was applied, or the failed update may have been. */
function changedBySwitch(progress: SwitchoverProgress, updateError: unknown): boolean {
  if (progress.batches.some((b) => b.applied)) return true;
  return updateError !== undefined && updateMayHaveApplied(updateError);
}

/** Some control of the plan no longer reads as it did when planned: someone changed it. */
function movedSincePlan(plan: Plan, after: States): boolean {
  return plan.apis.some((api) => api.controls.some((c) => after.get(c.routingControlArn) !== c.from));
}
