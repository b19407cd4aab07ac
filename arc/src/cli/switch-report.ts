import type { Bookmark } from '../bookmark';
import {
  switchStepFrom,
  writeReport,
  type ExecutionReport,
  type ReportOutcome,
  type StepOutcome,
} from '../report';
import { actor } from './audit';
import type { SwitchReport, SwitchTrace } from './switch';

/** The outcome of the switch as the report names it, and as its one step's. */
const OUTCOMES: Record<SwitchReport['outcome'], [ReportOutcome, StepOutcome]> = {
  switched: ['switched', 'done'],
  'already-in-place': ['already-in-place', 'already-in-place'],
  'already-in-place-by-someone-else': ['already-in-place', 'already-in-place'],
  'not-proven': ['not-proven', 'not-proven'],
  refused: ['refused', 'refused'],
  declined: ['refused', 'refused'],
  'dry-run': ['dry-run', 'pending'],
  failed: ['failed', 'failed'],
  interrupted: ['interrupted', 'interrupted'],
};

export interface SwitchReportInput {
  id: string;
  argv: string[];
  bookmark: Bookmark;
  accessKeyId?: string;
  startedAt: Date;
  to: string;
  report: SwitchReport;
  trace: SwitchTrace;
  exitCode: number;
}

/** A switch with --wait as an execution report of one step; undefined when it never got to a plan. */
export function executionReportOf(input: SwitchReportInput): ExecutionReport | undefined {
  const { report, trace, bookmark } = input;
  if (!trace.progress) return undefined;
  const proven = report.outcome === 'switched' && report.proof?.proven === true;
  const [outcome, stepOutcome] = proven ? (['proven', 'proven'] as const) : OUTCOMES[report.outcome];
  const finishedAt = new Date().toISOString();
  const step = {
    ...switchStepFrom(0, input.to, trace.progress, report.overrides),
    startedAt: input.startedAt.toISOString(),
    finishedAt,
    outcome: stepOutcome,
    ...(report.skippedReadiness && { readinessSkipped: true }),
    ...(report.proof && { proof: report.proof }),
    ...(report.error && { error: report.error }),
  };
  return {
    version: 1,
    id: input.id,
    kind: 'switch',
    stage: bookmark.stage,
    clusterArn: bookmark.clusterArn,
    who: actor(input.accessKeyId),
    argv: input.argv,
    startedAt: input.startedAt.toISOString(),
    finishedAt,
    outcome,
    exitCode: input.exitCode,
    ...(report.error && { error: report.error }),
    skippedReadiness: report.skippedReadiness,
    steps: [step],
  };
}

/** Writes the report of a switch with --wait; returns its files, or why it could not be written. */
export function writeSwitchReport(
  input: SwitchReportInput,
): { files: { json: string; markdown: string; svg: string } } | { warning: string } | undefined {
  const execution = executionReportOf(input);
  if (!execution) return undefined;
  try {
    return { files: writeReport(execution) };
  } catch (error) {
    return { warning: `the execution report could not be written: ${(error as Error).message}` };
  }
}
