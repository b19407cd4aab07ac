import type { RunbookTarget } from '@arc-failover/shared';
import type { ReadinessAnswer } from '../readiness';
import type { StepOutcome } from '../report/model';
import type { CallRecord, Plan } from '../switchover';

/** One check of the evaluation: what was checked, whether it passed, and one line naming what it found. */
export interface Check {
  check: string;
  ok: boolean;
  detail: string;
}

/** A switch step's plan, made against the states the step will find (after the earlier steps). */
export interface StepPlan {
  /** 0-based position in the runbook. */
  index: number;
  apis: string[];
  to: RunbookTarget;
  plan: Plan;
}

export interface Evaluation {
  /** Every check passed: the run may start. */
  ok: boolean;
  checks: Check[];
  /** Per switch step (from `from` on) its plan; empty when the states could not be read. */
  steps: StepPlan[];
  /** The one read every plan was made from. */
  read?: CallRecord;
  /** The readiness answers, one per API that moves to another Region (absent when skipped). */
  readiness?: ReadinessAnswer[];
}

/** How one step ended, as the run needs it to go on or stop. */
export interface StepResult {
  outcome: StepOutcome;
  /** The one line of a step that stopped the run. */
  error?: string;
  /** This step changed routing, or may have: a later failure is then exit 3. */
  changed: boolean;
}
