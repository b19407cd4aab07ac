import { notProvenLine, proveSwitch, type ProofResult, type ProveOptions } from '../proof';
import { ReadinessUnavailable } from '../readiness';
import { switchStepFrom, type StepReport, type SwitchStepReport } from '../report/model';
import {
  describeDataPlaneFailure,
  executeSwitchover,
  explainConflict,
  planSwitchover,
  progressOf,
  safetyRuleConflict,
  SwitchoverFailed,
  TargetNotReady,
  type PlannedSwitchover,
  type SwitchoverEvent,
  type SwitchoverProgress,
  type SwitchoverResult,
} from '../switchover';
import type { RunbookContext } from './context';
import { planLine, proofLine, readBackLine, readinessLine, stepLabel, stepTitle, type Emit } from './events';
import type { StepResult } from './model';
import { switchTargets, type SwitchStep } from './steps';
import { untilHalted } from './halt';

/**
 * One switch step: a fresh read and plan, the switchover core (its readiness gate, batches, read back),
 * then the proof from the update. `report.steps[index]` follows every event. A step with nothing to
 * change sends nothing, and is proven only when an earlier run moved it without proving it (`previous`).
 */
export async function runSwitchStep(
  context: RunbookContext,
  index: number,
  emit: Emit,
  previous?: StepReport,
): Promise<StepResult> {
  const { bookmark, dataPlane, runbook, report, overrides = [] } = context;
  const step = runbook.steps[index] as SwitchStep;
  const label = stepLabel(index, runbook.steps.length);
  const title = stepTitle(runbook, index);
  const slot = report.steps[index] as SwitchStepReport;
  const kept = { startedAt: slot.startedAt, ...(slot.notes && { notes: [...slot.notes] }) };
  let last: Readonly<SwitchoverProgress> | undefined;
  const follow = (progress: Readonly<SwitchoverProgress>, extra: Partial<SwitchStepReport> = {}) => {
    last = progress;
    const proof = (report.steps[index] as SwitchStepReport).proof;
    report.steps[index] = {
      ...switchStepFrom(index, step.to, progress, overrides),
      ...(context.readiness === undefined && { readinessSkipped: true }),
      ...(proof && { proof }),
      ...kept,
      ...extra,
    } as SwitchStepReport;
  };
  const fail = (outcome: StepResult['outcome'], error: string, changed: boolean): StepResult => {
    Object.assign(report.steps[index]!, { outcome, error });
    return { outcome, error, changed };
  };

  let planned: PlannedSwitchover;
  try {
    planned = await planSwitchover({ dataPlane, bookmark, targets: switchTargets(bookmark, step) });
  } catch (error) {
    emit('step-start', title, index);
    return fail('failed', `${label}: ${(error as Error).message}; nothing changed`, false);
  }
  const { plan } = planned;
  if (plan.batches.length > 1) {
    kept.notes = [
      ...(kept.notes ?? []),
      `${plan.batches.length} UpdateRoutingControlStates calls (at most 10 entries each, whole control panels): not atomic across calls`,
    ];
  }
  const before = progressOf(planned);
  follow(before);
  emit('step-start', `${title}: ${planLine(plan)}`, index);

  if (plan.batches.length === 0) {
    if (!movedUnproven(previous)) return { outcome: 'already-in-place', changed: false };
    emit('dns', `${label}: the earlier run moved it without proving it: proving it now`, index);
    // the APIs the earlier run changed, as its report says (all of the step's if it does not say)
    const moved = new Set(
      previous!.kind === 'switch' ? previous!.apis.filter((a) => a.changes).map((a) => a.api) : [],
    );
    const moves = plan.apis.filter((a) => moved.size === 0 || moved.has(a.api.name));
    return prove(context, index, emit, moves, Date.now(), 'already-in-place', false);
  }

  if (context.readiness === undefined) {
    emit('readiness', `${title}: readiness skipped (--skip-readiness)`, index);
  }
  let result: SwitchoverResult;
  try {
    result = await executeSwitchover({
      dataPlane,
      bookmark,
      planned,
      overrides,
      ...(context.halt && { halt: context.halt }),
      ...(context.readiness && { readiness: context.readiness }),
      onEvent: (event, progress) => {
        follow(progress);
        const line = eventLine(event, progress);
        // the readiness line names the step in full: it is what decides whether the step goes ahead
        if (line) emit(line.type, `${line.type === 'readiness' ? title : label}: ${line.message}`, index);
      },
    });
  } catch (error) {
    if (error instanceof TargetNotReady) {
      follow(last ?? before, { readiness: error.answers });
      emit('readiness', `${title}: ${readinessLine(error.answers)}`, index);
      return fail('refused', `${label} refused, nothing changed: ${error.message}`, false);
    }
    if (error instanceof ReadinessUnavailable) {
      return fail('refused', `${label} refused, nothing changed: ${error.message}`, false);
    }
    if (error instanceof SwitchoverFailed) {
      follow(error.progress);
      return fail(...failedStep(context, label, error));
    }
    const changed = Boolean(last?.updateSentAt !== undefined);
    return fail('failed', `${label}: unexpected failure: ${(error as Error).message}`, changed);
  }
  follow(result);
  if (result.outcome === 'interrupted') {
    const unmet = result.unmet.map((a) => a.api.name);
    const reached = result.plan.apis.filter((a) => a.changes && !unmet.includes(a.api.name));
    const changed = result.batches.some((b) => b.applied) || reached.length > 0;
    const where = unmet.length === 0 ? 'the switch took effect' : `${unmet.join(', ')} not switched`;
    return fail('interrupted', `${label} interrupted: ${where}, as read back from the cluster`, changed);
  }
  // each API the update changed, to its target Region
  const moves = result.plan.apis.filter((a) => a.changes);
  return prove(context, index, emit, moves, result.updateSentAt ?? Date.now(), 'proven', true);
}

/** The earlier run sent this step's update (or may have) but did not prove it. */
function movedUnproven(previous: StepReport | undefined): boolean {
  if (previous?.kind !== 'switch' || previous.outcome === 'proven') return false;
  return previous.updateSentAt !== undefined || previous.batches.some((b) => b.applied);
}

async function prove(
  context: RunbookContext,
  index: number,
  emit: Emit,
  moves: ProveOptions['moves'],
  since: number,
  success: 'proven' | 'already-in-place',
  changed: boolean,
): Promise<StepResult> {
  const { bookmark, runbook, report } = context;
  const label = stepLabel(index, runbook.steps.length);
  const slot = report.steps[index] as SwitchStepReport;
  const run = (context.prove ?? proveSwitch)({
    bookmark,
    moves,
    since,
    timeoutMs: context.proof.timeoutMs,
    ...(context.proof.intervalMs !== undefined && { intervalMs: context.proof.intervalMs }),
  });
  let proof: ProofResult | 'halted';
  try {
    proof = await untilHalted(run, context.halt);
  } catch (error) {
    const line = `${label}: switched, but the proof failed: ${(error as Error).message}`;
    Object.assign(slot, { outcome: 'not-proven', error: line });
    return { outcome: 'not-proven', error: line, changed };
  }
  if (proof === 'halted') {
    const line = `${label} interrupted: switched, the proof stopped before DNS and HTTP showed the target`;
    Object.assign(slot, { outcome: 'interrupted', error: line });
    return { outcome: 'interrupted', error: line, changed };
  }
  slot.proof = proof;
  if (!proof.proven) {
    const line = `${label}: ${notProvenLine(proof)}`;
    Object.assign(slot, { outcome: 'not-proven', error: line });
    return { outcome: 'not-proven', error: line, changed };
  }
  emit('dns', `${label}: ${proofLine(proof)}`, index);
  slot.outcome = success;
  return { outcome: success, changed };
}

/** A SwitchoverFailed as the step's outcome: a safety rule's refusal is 'refused' when nothing changed. */
function failedStep(
  context: RunbookContext,
  label: string,
  error: SwitchoverFailed,
): [StepResult['outcome'], string, boolean] {
  const changed = error.routingMayHaveChanged;
  if (error.progress.interrupted) {
    return [
      'interrupted',
      `${label} interrupted: ${error.message}: run status to see where traffic is`,
      changed,
    ];
  }
  const update = error.updateError;
  const conflict = safetyRuleConflict(update);
  if (conflict) {
    const line = explainConflict(context.bookmark, conflict);
    const applied = error.progress.batches.filter((b) => b.applied).flatMap((b) => b.apis);
    const partial =
      applied.length > 0 ? `PARTIAL SWITCH: ${applied.join(', ')} switched, the rest not: ` : '';
    return [changed ? 'failed' : 'refused', `${label}: ${partial}${line}`, changed];
  }
  const why =
    error.outcome === 'update-failed' && update
      ? describeDataPlaneFailure(update, 'update the routing controls')
      : error.message;
  const tail = changed ? '; routing may have changed: run status' : '; nothing changed';
  return ['failed', `${label}: ${why}${tail}`, changed];
}

/** The core's event as a runbook event, or nothing (the readiness gate's own line comes from here too). */
function eventLine(
  event: SwitchoverEvent,
  progress: Readonly<SwitchoverProgress>,
): { type: 'readiness' | 'update' | 'read-back'; message: string } | undefined {
  const total = progress.batches.length;
  switch (event.type) {
    case 'readiness':
      return { type: 'readiness', message: readinessLine(progress.readiness ?? []) };
    case 'sending': {
      const batch = progress.batches[event.batch]!;
      return {
        type: 'update',
        message: `update ${event.batch + 1}/${total} sent (${batch.apis.join(', ')}: ${batch.entries.length} entries)`,
      };
    }
    case 'applied': {
      const batch = progress.batches[event.batch]!;
      return {
        type: 'update',
        message: `update ${event.batch + 1}/${total} applied by the ${batch.endpoint} endpoint`,
      };
    }
    case 'failed':
      return {
        type: 'update',
        message: `update ${event.batch + 1}/${total} failed: ${describeDataPlaneFailure(event.error, 'update the routing controls')}`,
      };
    case 'read-back':
      return {
        type: 'read-back',
        message: readBackLine(
          progress.readBack ?? [],
          progress.unmet.map((a) => a.api.name),
        ),
      };
  }
}
