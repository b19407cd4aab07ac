import type { Runbook } from '@arc-failover/shared';
import type { ExecutionReport, StepReport } from '../report/model';

/** The report given to resume is not of an earlier run of this runbook, in this stage, as it is now. */
export class ResumeRefused extends Error {
  override name = 'ResumeRefused';
}

export interface ResumePlan {
  /** The first step to run (0-based); the runbook's length when every step is complete. */
  startAt: number;
  /** The steps before it, copied from the earlier run as 'skipped'. */
  skipped: number[];
}

/**
 * Where a resumed run starts: at the first step the earlier run did not complete (a switch proven or
 * already in place, a wait or approval done, or skipped by it in turn), or earlier, at the approval steps
 * that come just before the first switch step left to run: an approval is asked again for what it
 * approves. Throws ResumeRefused for a report of another runbook or stage, or of the runbook before its
 * steps changed.
 */
export function planResume(runbook: Runbook, previous: ExecutionReport, stage?: string): ResumePlan {
  const id = previous.id;
  if (previous.kind !== 'runbook') {
    throw new ResumeRefused(
      `the report ${id} is of a single switch, not of a runbook run: nothing to resume`,
    );
  }
  if (previous.runbook !== runbook.name) {
    throw new ResumeRefused(
      `the report ${id} is of the runbook ${previous.runbook}, not ${runbook.name}: resume a run of the same runbook`,
    );
  }
  if (stage !== undefined && previous.stage !== stage) {
    throw new ResumeRefused(
      `the report ${id} is of stage ${previous.stage}, not ${stage}: resume a run in the same stage`,
    );
  }
  const changed = changedStep(runbook, previous.steps);
  if (changed !== undefined) {
    throw new ResumeRefused(
      `the runbook ${runbook.name} has changed since the run ${id} (${changed}): start a new run instead`,
    );
  }
  const total = runbook.steps.length;
  const first = previous.steps.findIndex((s) => !complete(s));
  if (first === -1) return { startAt: total, skipped: range(total) };
  let startAt = first;
  const nextSwitch = runbook.steps.findIndex((s, i) => i >= first && s.kind === 'switch');
  for (let i = (nextSwitch === -1 ? total : nextSwitch) - 1; i >= 0; i--) {
    const step = runbook.steps[i]!;
    if (step.kind === 'switch') break;
    if (step.kind === 'approval') startAt = Math.min(startAt, i);
  }
  return { startAt, skipped: range(startAt) };
}

/** The earlier run's step as this run reports it: 'skipped', with a note of the run that completed it. */
export function skippedStep(previous: ExecutionReport, index: number): StepReport {
  const step = previous.steps[index]!;
  const how =
    step.outcome === 'proven'
      ? 'proven'
      : step.outcome === 'already-in-place'
        ? 'already in place'
        : step.outcome === 'done'
          ? 'done'
          : undefined;
  const notes = [...(step.notes ?? []), ...(how ? [`${how} in the run ${previous.id}`] : [])];
  return { ...step, outcome: 'skipped', notes };
}

function complete(step: StepReport): boolean {
  if (step.outcome === 'skipped') return true;
  if (step.kind === 'switch') return step.outcome === 'proven' || step.outcome === 'already-in-place';
  return step.outcome === 'done';
}

/** Where the report's steps differ from the runbook's, or undefined. */
function changedStep(runbook: Runbook, steps: readonly StepReport[]): string | undefined {
  if (steps.length !== runbook.steps.length) {
    return `${steps.length} steps then, ${runbook.steps.length} now`;
  }
  for (const [index, step] of runbook.steps.entries()) {
    const then = steps[index]!;
    const differs =
      then.kind !== step.kind ||
      (step.kind === 'switch' &&
        then.kind === 'switch' &&
        (then.target !== step.to ||
          (then.apis.length > 0 && then.apis.map((a) => a.api).join() !== step.apis.join())));
    if (differs) return `step ${index + 1}`;
  }
  return undefined;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
