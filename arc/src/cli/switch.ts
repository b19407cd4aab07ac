import type { Bookmark } from '../bookmark';
import { NoEndpointAnswered } from '../dataplane/client';
import { notProvenLine, type ProofResult } from '../proof';
import type { ReadinessAnswer } from '../readiness';
import {
  describeDataPlaneFailure,
  executeSwitchover,
  explainConflict,
  planSwitchover,
  progressOf,
  resolveTargets,
  safetyRuleConflict,
  selectApis,
  SwitchoverFailed,
  SwitchoverRequestError,
  TargetNotReady,
  type ApiPlan,
  type ApiStatus,
  type BatchRecord,
  type CallRecord,
  type Plan,
  type SwitchoverProgress,
  type SwitchoverResult,
  type Target,
  MAX_BATCH_ENTRIES,
} from '../switchover';
import type { Command } from './args';
import { readFailureLine } from './cluster-state';
import { canAsk, confirm } from './confirm';
import { CliError, NOT_PROVEN, ROUTING_MAY_HAVE_CHANGED, UsageError } from './errors';
import { proofServers, proveResult, renderProof } from './proof';
import {
  askReadiness,
  READINESS_SKIPPED,
  readinessFailure,
  readinessOptions,
  renderReadiness,
} from './readiness';
import type { InterruptTrap } from './interrupt';
import type { Output } from './output';
import { overrideArns } from './safety-rules';
import type { Session } from './session';
import { renderStatus } from './status';

type SwitchCommand = Extract<Command, { kind: 'switch' }>;

export interface SwitchRequest {
  targets: Target[];
  overrides: string[];
}

/** Everything about the command line that can be checked against the bookmark alone, before any call. */
export function prepareSwitch(command: SwitchCommand, bookmark: Bookmark): SwitchRequest {
  try {
    return {
      targets: resolveTargets(selectApis(bookmark, command.apis), command.to),
      overrides: overrideArns(bookmark, command.overrides),
    };
  } catch (error) {
    if (error instanceof SwitchoverRequestError) throw new UsageError(error.message);
    throw error;
  }
}

export interface SwitchReport {
  outcome:
    | 'switched'
    | 'already-in-place'
    | 'already-in-place-by-someone-else'
    | 'dry-run'
    | 'refused'
    | 'not-proven'
    | 'declined'
    | 'failed'
    | 'interrupted';
  to: string;
  plan?: ReturnType<typeof planView>;
  batches?: BatchRecord[];
  overrides: string[];
  endpoints: CallRecord[];
  verified?: boolean;
  /** The switched APIs as read back after the update: states and where traffic goes. */
  readBack?: ApiStatus[];
  /** --skip-readiness: the target Regions were not checked (break glass). */
  skippedReadiness: boolean;
  /** What each moving API's target Region answered before the update. */
  readiness?: ReadinessAnswer[];
  /** --wait: when DNS and HTTP showed the target Region. */
  proof?: ProofResult;
  /** --wait: the execution report's files. */
  report?: { json: string; markdown: string; svg: string };
  /** Set when it failed after sending an update: whether routing may have changed (exit 3), and how. */
  routingMayHaveChanged?: boolean;
  failure?: SwitchoverFailed['outcome'];
  error?: string;
}

/** What the execution report is made from: the core's progress as it goes, and the proof. */
export interface SwitchTrace {
  progress?: Readonly<SwitchoverProgress>;
}

/**
 * Read and plan, show the plan and the readiness answers, confirm, then the switchover core checks
 * readiness again, applies and reads back; with --wait, the proof. The report is kept up to date as it
 * goes, so the audit log and --json show how far a failed or killed switch got. `interrupt` is armed and
 * `recordIntent` called just before the first update.
 */
export async function runSwitch(
  command: SwitchCommand,
  request: SwitchRequest,
  session: Session,
  out: Output,
  report: SwitchReport,
  interrupt: InterruptTrap,
  recordIntent: () => void = () => undefined,
  trace: SwitchTrace = {},
): Promise<void> {
  const { bookmark, dataPlane } = session;
  const planned = await planSwitchover({ dataPlane, bookmark, targets: request.targets }).catch(
    (error: unknown) => {
      throw new CliError(readFailureLine(error, bookmark));
    },
  );
  const { plan } = planned;
  const progress = progressOf(planned);
  trace.progress = progress;
  report.plan = planView(plan);
  follow(report, progress, trace);

  for (const line of renderPlan(plan, request.overrides)) out.line(line);
  if (plan.batches.length === 0) {
    report.outcome = 'already-in-place';
    out.line('Nothing to do: every API asked is already in the target state. No call made.');
    return;
  }
  // refusals before any update: nothing was sent
  report.outcome = 'refused';
  if (command.wait) proofServers(bookmark);
  let notReady: ReadinessAnswer[] = [];
  if (command.skipReadiness) out.line(READINESS_SKIPPED);
  else if (command.dryRun || !command.yes) {
    // shown before the question; the core asks again just before the update
    const answers = await askReadiness(plan);
    Object.assign(report, { readiness: answers });
    Object.assign(progress, { readiness: answers });
    for (const line of renderReadiness(answers)) out.line(line);
    notReady = answers.filter((a) => !a.ready);
    if (notReady.length > 0 && !command.dryRun) {
      report.outcome = 'refused';
      throw readinessFailure(new TargetNotReady(answers));
    }
  }
  if (command.dryRun) {
    report.outcome = 'dry-run';
    out.line(
      notReady.length > 0
        ? 'Dry run: nothing changed. This switch would be refused now: a target is not ready.'
        : 'Dry run: nothing changed.',
    );
    return;
  }
  if (!command.yes) {
    if (!canAsk()) {
      throw new UsageError(
        'not switching without confirmation: no terminal to ask on; pass --yes (automation) or --dry-run (plan only)',
      );
    }
    if (!(await confirm('Apply this plan? [y/N] '))) {
      report.outcome = 'declined';
      throw new CliError('not confirmed: nothing changed');
    }
  }

  report.outcome = 'failed';
  interrupt.arm();
  recordIntent();
  let result: SwitchoverResult;
  try {
    result = await executeSwitchover({
      dataPlane,
      bookmark,
      planned,
      overrides: request.overrides,
      halt: interrupt.signal,
      readiness: readinessOptions(command.skipReadiness),
      onEvent: (_event, progress) => follow(report, progress, trace),
    });
  } catch (error) {
    if (error instanceof TargetNotReady) {
      Object.assign(report, { readiness: error.answers, outcome: 'refused' });
      Object.assign(progress, { readiness: error.answers });
    }
    if (!(error instanceof SwitchoverFailed)) throw readinessFailure(error);
    follow(report, error.progress, trace);
    Object.assign(report, { routingMayHaveChanged: error.routingMayHaveChanged, failure: error.outcome });
    throw failureError(error, bookmark, interrupt);
  }
  follow(report, result, trace);
  if (result.outcome === 'interrupted') {
    report.outcome = 'interrupted';
    out.line();
    out.line('Interrupted. Read back from the cluster:');
    for (const line of renderStatus(result.readBack!, bookmark.stage)) out.line(`  ${line}`.trimEnd());
    throw new CliError(interruptedOutcome(plan, result.unmet), interrupt.exitCode);
  }
  report.outcome = result.outcome === 'switched' ? 'switched' : 'already-in-place-by-someone-else';
  renderSwitched(result, out);
  for (const r of report.endpoints) out.endpoints(r);
  if (command.wait) await prove(command, bookmark, result, report, out, interrupt);
}

/** --wait: until the name servers and the public URL show every moved API in its target Region. */
async function prove(
  command: SwitchCommand,
  bookmark: Bookmark,
  result: SwitchoverResult,
  report: SwitchReport,
  out: Output,
  interrupt: InterruptTrap,
): Promise<void> {
  out.line(
    `Waiting up to ${command.waitTimeoutMs / 1000} s for the zone's name servers and the public URLs to show the target Regions...`,
  );
  const proof = await proveResult(bookmark, result, command.waitTimeoutMs, interrupt.signal);
  report.proof = proof;
  for (const line of renderProof(proof)) out.line(line);
  if (proof.halted) {
    report.outcome = 'interrupted';
    throw new CliError(
      'interrupted while waiting for the proof: the switch was applied and read back; run status --probe to see DNS and HTTP',
      interrupt.exitCode,
    );
  }
  if (!proof.proven) {
    report.outcome = 'not-proven';
    throw new CliError(notProvenLine(proof), NOT_PROVEN);
  }
}

/** Copies the core's progress into the report. */
function follow(report: SwitchReport, progress: Readonly<SwitchoverProgress>, trace: SwitchTrace): void {
  trace.progress = progress;
  report.batches = progress.batches;
  report.endpoints = progress.calls;
  if (progress.readiness) report.readiness = progress.readiness;
  if (progress.verified !== undefined) report.verified = progress.verified;
  if (progress.readBack) report.readBack = progress.readBack;
}

function renderSwitched(result: SwitchoverResult, out: Output): void {
  if (result.bySomeoneElse.length > 0) {
    out.note(
      `note: this switch's own update was not applied (${describeDataPlaneFailure(result.updateError, 'update the routing controls')}): another operator made the same change first`,
    );
  } else if (result.updateError !== undefined) {
    out.note(
      'note: the update got no clear answer, but the cluster holds the target states (applied by an attempt whose answer was lost, or by someone else)',
    );
  }
  for (const api of result.plan.apis.filter((a) => a.changes)) {
    const where = `${api.region} (${api.role})`;
    out.line(
      result.bySomeoneElse.includes(api.api.name)
        ? `Already in place: ${api.api.name} on ${where}, changed by someone else; verified by reading the states back.`
        : `Switched ${api.api.name}: traffic now on ${where}; verified by reading the states back.`,
    );
  }
}

/** The plan as the user sees it: one line per API, then how it will be sent. */
export function renderPlan(plan: Plan, overrides: string[]): string[] {
  const width = Math.max(...plan.apis.map((a) => a.api.name.length));
  const lines = ['Plan:'];
  for (const api of plan.apis) {
    const name = api.api.name.padEnd(width);
    if (!api.changes) {
      lines.push(`  ${name}  already on ${api.region} (${api.role}): no change`);
      continue;
    }
    const controls = api.controls.map((c) => `${c.region} ${c.from}${c.from === c.to ? '' : ` -> ${c.to}`}`);
    const traffic =
      api.servingBefore === api.region
        ? `traffic stays on ${api.region} (${api.role})`
        : `traffic ${api.servingBefore} -> ${api.region} (${api.role})`;
    lines.push(`  ${name}  ${controls.join(', ')}   ${traffic}`);
  }
  const { batches } = plan;
  if (batches.length === 1) {
    lines.push(
      `One UpdateRoutingControlStates call of ${batches[0]!.entries.length} entries: applied all together or not at all.`,
    );
  } else if (batches.length > 1) {
    lines.push(
      `${batches.length} UpdateRoutingControlStates calls (at most ${MAX_BATCH_ENTRIES} entries each, whole control panels): NOT atomic across calls; if one fails, the earlier ones stay applied.`,
    );
  }
  if (overrides.length > 0) lines.push(`Overriding safety rules: ${overrides.join(', ')}`);
  return lines;
}

function planView(plan: Plan) {
  return plan.apis.map((a: ApiPlan) => ({
    api: a.api.name,
    targetRegion: a.region,
    targetRole: a.role,
    servingBefore: a.servingBefore,
    changes: a.changes,
    controls: a.controls,
  }));
}

/** A switch that failed after its first update as the CLI's one line, with its exit status. */
function failureError(error: SwitchoverFailed, bookmark: Bookmark, interrupt: InterruptTrap): CliError {
  const { progress } = error;
  const exitCode = error.routingMayHaveChanged ? ROUTING_MAY_HAVE_CHANGED : 1;
  switch (error.outcome) {
    case 'unverified': {
      const reason = readFailureLine(error.readBackError, bookmark);
      if (progress.interrupted) {
        return new CliError(
          `interrupted; the states could not be read back (${reason}): run status to see where traffic is`,
          interrupt.exitCode,
        );
      }
      const sofar = error.updateError
        ? updateFailure(error.updateError, progress, bookmark)
        : 'the cluster accepted the change';
      return new CliError(`${sofar}; the states could not be read back (${reason}): run status`, exitCode);
    }
    case 'changed-by-someone-else':
      return new CliError(
        `the cluster accepted the change but reads back ${progress.unmet.map(describeStates(progress.readBack!)).join(', ')}: run status, and switch again if needed`,
        exitCode,
      );
    case 'update-failed':
    case 'partial':
      return new CliError(updateFailure(error.updateError, progress, bookmark), exitCode);
  }
}

function describeStates(readBack: ApiStatus[]) {
  return (api: ApiPlan) => {
    const controls = readBack.find((row) => row.name === api.api.name)!.controls;
    const stateIn = (region: string) => controls.find((c) => c.region === region)!.state;
    return `${api.api.name} ${api.controls.map((c) => `${c.region} ${stateIn(c.region)}`).join('/')}`;
  };
}

/** Why an update failed: which rule or endpoint. */
function updateReason(error: unknown, bookmark: Bookmark): string {
  const conflict = safetyRuleConflict(error);
  if (conflict) return explainConflict(bookmark, conflict);
  if (error instanceof NoEndpointAnswered) {
    const outcome = error.mayHaveApplied
      ? 'an attempt timed out, so the change may or may not be applied: run status'
      : 'nothing was changed';
    return `${describeDataPlaneFailure(error, 'update the routing controls')}; ${outcome}`;
  }
  return describeDataPlaneFailure(error, 'update the routing controls');
}

/** One line for a batch that failed: why, and how much of a multi-batch switch was applied. */
function updateFailure(error: unknown, progress: SwitchoverProgress, bookmark: Bookmark): string {
  const reason = updateReason(error, bookmark);
  const applied = progress.batches.filter((b) => b.applied).flatMap((b) => b.apis);
  if (applied.length === 0 || progress.batches.length === 1) return reason;
  return `PARTIAL SWITCH: ${applied.join(', ')} switched, the rest not (run the same command again to finish): ${reason}`;
}

/** One line for a switch interrupted after its first update was sent, from the states read back. */
function interruptedOutcome(plan: Plan, unmet: ApiPlan[]): string {
  const changing = plan.apis.filter((a) => a.changes).map((a) => a.api.name);
  const notSwitched = unmet.map((a) => a.api.name);
  const switched = changing.filter((name) => !notSwitched.includes(name));
  if (notSwitched.length === 0) {
    return `interrupted, but the switch took effect: ${switched.join(', ')} as planned, read back from the cluster`;
  }
  if (switched.length === 0) {
    return `interrupted: ${notSwitched.join(', ')} not switched, as read back from the cluster; run status before switching again`;
  }
  return `interrupted: PARTIAL SWITCH: ${switched.join(', ')} switched, ${notSwitched.join(', ')} not, as read back from the cluster; run status, then the same command again to finish`;
}
