import type {
  ExecutionReport,
  ReportOutcome,
  StepOutcome,
  StepReport,
  SwitchStepReport,
} from '../report/model';
import { switchStepFrom } from '../report/model';
import { runApprovalStep } from './approval-step';
import type { RunbookContext } from './context';
import { evaluateRunbook } from './evaluate';
import { seconds, stepLabel, stepTitle, type Emit } from './events';
import type { StepResult } from './model';
import { planResume, skippedStep, type ResumePlan } from './resume';
import { approvalApis, gatedOf } from './steps';
import { runSwitchStep } from './switch-step';
import { runWaitStep } from './wait-step';

/** Exit statuses of a run, as every command of the CLI gives them. */
export const RUN_EXIT = {
  done: 0,
  unchanged: 1,
  routingMayHaveChanged: 3,
  notProven: 4,
  /** Ctrl-C; the caller gives 143 for SIGTERM, 129 for SIGHUP. */
  interrupted: 130,
} as const;

const COMPLETE: readonly StepOutcome[] = ['proven', 'already-in-place', 'done', 'skipped'];

/**
 * Runs a runbook: the evaluation first (any failed check: outcome 'refused', nothing changed), then its
 * steps in order until one does not complete. Fills `context.report` in place as it goes (each step's
 * times and outcome, the evaluation, the run's outcome, exit status and one-line error), so that a report
 * written at any event tells how far a killed run got, and resolves with it. Rejects only with
 * ResumeRefused (the resumed report does not fit) or an unexpected error.
 */
export async function runRunbook(context: RunbookContext): Promise<ExecutionReport> {
  const { bookmark, runbook, report } = context;
  const total = runbook.steps.length;
  const emit: Emit = (type, message, step) =>
    context.onEvent({ at: new Date().toISOString(), ...(step !== undefined && { step }), type, message });
  const resume: ResumePlan = context.resume
    ? planResume(runbook, context.resume, bookmark.stage)
    : { startAt: 0, skipped: [] };
  const started = performance.now();

  Object.assign(report, {
    kind: 'runbook',
    runbook: runbook.name,
    skippedReadiness: context.readiness === undefined,
    // until it ends: a report read from a run that was killed is one that did not finish
    outcome: 'interrupted',
  });
  report.steps = runbook.steps.map((_, index) =>
    resume.skipped.includes(index) ? skippedStep(context.resume!, index) : pendingStep(context, index),
  );
  for (const index of resume.skipped) {
    const notes = report.steps[index]!.notes ?? [];
    emit('step-done', `${stepTitle(runbook, index)}: skipped (${notes.at(-1) ?? 'completed before'})`, index);
  }

  const finish = (outcome: ReportOutcome, exitCode: number, error?: string, at?: number) => {
    Object.assign(report, { outcome, exitCode, finishedAt: new Date().toISOString() });
    if (error) report.error = error;
    else delete report.error;
    const where = at === undefined ? '' : ` at ${stepLabel(at, total)}`;
    const status = exitCode === 0 ? '' : ` (exit ${exitCode})`;
    emit(
      'run-done',
      `runbook ${runbook.name}: ${outcome}${where}${status} after ${seconds(performance.now() - started)}`,
    );
    return report;
  };

  if (resume.startAt >= total) {
    return finish('proven', RUN_EXIT.done);
  }

  const evaluation = await evaluateRunbook({ ...context, from: resume.startAt });
  report.evaluation = evaluation.checks;
  for (const c of evaluation.checks) {
    emit('evaluation', `evaluation: ${c.ok ? 'ok' : 'FAILED'} ${c.check}: ${c.detail}`);
  }
  if (!evaluation.ok) {
    const failed = evaluation.checks.filter((c) => !c.ok).map((c) => c.detail);
    return finish(
      'refused',
      RUN_EXIT.unchanged,
      `runbook ${runbook.name} refused before its first step, nothing changed: ${failed.join('; ')}`,
    );
  }
  for (const { index, to, plan } of evaluation.steps) {
    const predicted = switchStepFrom(
      index,
      to,
      { plan, batches: [], calls: [], unmet: [], interrupted: false },
      context.overrides ?? [],
    );
    (report.steps[index] as SwitchStepReport).apis = predicted.apis;
  }

  let changed = false;
  for (let index = resume.startAt; index < total; index++) {
    if (context.halt?.aborted) {
      return finish(
        'interrupted',
        RUN_EXIT.interrupted,
        `interrupted before ${stepTitle(runbook, index)}: it and the steps after it were not run`,
        index,
      );
    }
    const slot = report.steps[index]!;
    slot.startedAt = new Date().toISOString();
    const stepStarted = performance.now();
    const result = await runStep(context, index, emit);
    const done = report.steps[index]!;
    Object.assign(done, { outcome: result.outcome, finishedAt: new Date().toISOString() });
    changed ||= result.changed;
    if (!COMPLETE.includes(result.outcome)) {
      emit('step-failed', result.error ?? `${stepLabel(index, total)} ${result.outcome}`, index);
      // 'refused' says nothing changed: once an earlier step switched, the run as a whole failed midway
      const outcome = changed && result.outcome === 'refused' ? 'failed' : runOutcome(result.outcome);
      return finish(outcome, exitCode(outcome, changed), result.error, index);
    }
    const how = result.outcome === 'already-in-place' ? 'already in place' : result.outcome;
    emit(
      'step-done',
      `${stepLabel(index, total)} ${how} after ${seconds(performance.now() - stepStarted)}`,
      index,
    );
  }
  return finish('proven', RUN_EXIT.done);
}

function runStep(context: RunbookContext, index: number, emit: Emit): Promise<StepResult> {
  const step = context.runbook.steps[index]!;
  if (step.kind === 'switch') return runSwitchStep(context, index, emit, context.resume?.steps[index]);
  if (step.kind === 'approval') return runApprovalStep(context, index, emit);
  return runWaitStep(context, index, emit);
}

/** A step before it has run: what it will do, as far as the runbook and the bookmark tell. */
function pendingStep(context: RunbookContext, index: number): StepReport {
  const step = context.runbook.steps[index]!;
  switch (step.kind) {
    case 'switch':
      return {
        kind: 'switch',
        index,
        target: step.to,
        outcome: 'pending',
        apis: [],
        batches: [],
        endpoints: [],
        overrides: context.overrides ?? [],
      };
    case 'approval': {
      const apis = approvalApis(context.runbook, index);
      return {
        kind: 'approval',
        index,
        outcome: 'pending',
        ...(step.note !== undefined && { note: step.note }),
        apis,
        via: gatedOf(context.bookmark, apis).length > 0 ? 'gate' : 'terminal',
      };
    }
    case 'wait':
      return { kind: 'wait', index, outcome: 'pending', seconds: step.seconds };
  }
}

/**
 * The run's outcome is that of the step that stopped it: 'refused' (readiness, a safety rule, a declined
 * approval) says that step changed nothing; whether earlier steps did is the exit status (3, not 1).
 */
function runOutcome(step: StepOutcome): ReportOutcome {
  if (step === 'refused' || step === 'not-proven' || step === 'interrupted') return step;
  return 'failed';
}

function exitCode(outcome: ReportOutcome, changed: boolean): number {
  if (outcome === 'interrupted') return RUN_EXIT.interrupted;
  if (outcome === 'not-proven') return RUN_EXIT.notProven;
  return changed ? RUN_EXIT.routingMayHaveChanged : RUN_EXIT.unchanged;
}
