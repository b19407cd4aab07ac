import type { FailoverRole } from '@arc-failover/shared';
import type { ProofResult } from '../proof';
import type { ReadinessAnswer } from '../readiness';
import type { ApiStatus, BatchRecord, CallRecord, SwitchoverProgress } from '../switchover';

/**
 * The execution report of one switch (`--wait`) or one runbook run: one JSON document, rendered as
 * Markdown with an SVG timeline beside it. A single switch is a report with one switch step. Times are ISO
 * strings, except the proof's, which count milliseconds from the step's update (`updateSentAt`).
 */
export interface ExecutionReport {
  version: 1;
  /** Shared with the audit lines of the same run. */
  id: string;
  kind: 'switch' | 'runbook';
  /** The runbook's name (kind 'runbook'). */
  runbook?: string;
  stage: string;
  clusterArn: string;
  who: { user: string; host: string; accessKeyId?: string };
  argv: string[];
  startedAt: string;
  finishedAt?: string;
  /**
   * 'proven' (every step done and proven), 'switched' (done, no proof asked), 'already-in-place',
   * 'not-proven' (switched, proof ran out of time), 'refused' (stopped before any change: readiness,
   * evaluation, a safety rule), 'failed', 'interrupted', 'dry-run'.
   */
  outcome: ReportOutcome;
  exitCode?: number;
  /** The one line a failure printed. */
  error?: string;
  /** --skip-readiness: the break-glass path, recorded. */
  skippedReadiness: boolean;
  /** A runbook resumed from an earlier run's report (its path). */
  resumedFrom?: string;
  /** The runbook's evaluation before its first step: one line per check, ok or not. */
  evaluation?: { check: string; ok: boolean; detail: string }[];
  steps: StepReport[];
}

export type ReportOutcome =
  | 'proven'
  | 'switched'
  | 'already-in-place'
  | 'not-proven'
  | 'refused'
  | 'failed'
  | 'interrupted'
  | 'dry-run';

export type StepOutcome =
  | 'pending'
  | 'done'
  | 'proven'
  | 'already-in-place'
  | 'skipped'
  | 'refused'
  | 'not-proven'
  | 'failed'
  | 'interrupted';

interface StepBase {
  /** 0-based position in the runbook (0 for a single switch). */
  index: number;
  startedAt?: string;
  finishedAt?: string;
  outcome: StepOutcome;
  error?: string;
  /** What else a reader should know: skipped as proven in an earlier run, a step sent in several calls. */
  notes?: string[];
}

export interface SwitchStepApi {
  api: string;
  hostname: string;
  /** Where its traffic went before the step. */
  from: string;
  to: string;
  role: FailoverRole;
  /** False when it already had the target states. */
  changes: boolean;
}

export interface SwitchStepReport extends StepBase {
  kind: 'switch';
  /** As asked: a Region, 'primary' or 'secondary'. */
  target: string;
  apis: SwitchStepApi[];
  /** The readiness gate's answers, one per moving API; absent when skipped or nothing moved. */
  readiness?: ReadinessAnswer[];
  readinessSkipped?: boolean;
  batches: BatchRecord[];
  /** Every data-plane call: which endpoint answered, which failed and why. */
  endpoints: CallRecord[];
  overrides: string[];
  updateSentAt?: string;
  readBack?: ApiStatus[];
  verified?: boolean;
  proof?: ProofResult;
}

export interface ApprovalStepReport extends StepBase {
  kind: 'approval';
  note?: string;
  /** The APIs of the next switch step, whose gates it waits for. */
  apis: string[];
  /** 'gate': the cluster's approval controls; 'terminal': asked on the terminal (no gate). */
  via: 'gate' | 'terminal';
  /** Who answered on the terminal, or whose approval the gate showed (as far as known). */
  approvedBy?: string;
  waitedMs?: number;
}

export interface WaitStepReport extends StepBase {
  kind: 'wait';
  seconds: number;
}

export type StepReport = SwitchStepReport | ApprovalStepReport | WaitStepReport;

/** A switch step's report from the switchover core's progress; `proof` is added once it ran. */
export function switchStepFrom(
  index: number,
  target: string,
  progress: Readonly<SwitchoverProgress>,
  overrides: string[],
): SwitchStepReport {
  return {
    kind: 'switch',
    index,
    target,
    outcome: 'pending',
    apis: progress.plan.apis.map((a) => ({
      api: a.api.name,
      hostname: a.api.hostname,
      from: a.servingBefore,
      to: a.region,
      role: a.role,
      changes: a.changes,
    })),
    ...(progress.readiness && { readiness: progress.readiness }),
    batches: progress.batches,
    endpoints: progress.calls,
    overrides,
    ...(progress.updateSentAt !== undefined && {
      updateSentAt: new Date(progress.updateSentAt).toISOString(),
    }),
    ...(progress.readBack && { readBack: progress.readBack }),
    ...(progress.verified !== undefined && { verified: progress.verified }),
  };
}
