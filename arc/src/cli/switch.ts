import { setTimeout as sleep } from 'node:timers/promises';
import type { Bookmark } from '../bookmark';
import { EndpointRejection, NoEndpointAnswered } from '../dataplane/client';
import type { Command } from './args';
import { dataPlaneFailure, readStates } from './cluster-state';
import { canAsk, confirm } from './confirm';
import { CliError, UsageError } from './errors';
import type { InterruptTrap } from './interrupt';
import { endpointReport, failedList, type EndpointReport, type Output } from './output';
import {
  planSwitch,
  resolveTargets,
  selectApis,
  unmetTargets,
  type ApiPlan,
  type Plan,
  type Target,
} from './plan';
import { explainConflict, overrideArns } from './safety-rules';
import type { Session } from './session';
import { renderStatus, statusOf, type ApiStatus } from './status';

/** About 3 mutating calls per second per endpoint are allowed; only matters between batches. */
const MUTATING_CALL_INTERVAL_MS = 350;

type SwitchCommand = Extract<Command, { kind: 'switch' }>;

export interface SwitchRequest {
  targets: Target[];
  overrides: string[];
}

/** Everything about the command line that can be checked against the bookmark alone, before any call. */
export function prepareSwitch(command: SwitchCommand, bookmark: Bookmark): SwitchRequest {
  return {
    targets: resolveTargets(selectApis(bookmark, command.apis), command.to),
    overrides: overrideArns(bookmark, command.overrides),
  };
}

export interface SwitchReport {
  outcome: 'switched' | 'already-in-place' | 'dry-run' | 'declined' | 'failed' | 'interrupted';
  to: string;
  plan?: ReturnType<typeof planView>;
  batches?: {
    apis: string[];
    entries: Plan['batches'][number]['entries'];
    applied: boolean;
    endpoint?: string;
  }[];
  overrides: string[];
  endpoints: EndpointReport[];
  verified?: boolean;
  /** The switched APIs as read back after the update: states and where traffic goes. */
  readBack?: ApiStatus[];
  error?: string;
}

/**
 * Read, plan, confirm, apply, read back. The report is filled as it goes, so the audit log and --json
 * show how far a failed switch got. From the first update on, `interrupt` is armed: a Ctrl-C then sends
 * nothing more, lets the update in flight end, and still reads the states back.
 */
export async function runSwitch(
  command: SwitchCommand,
  request: SwitchRequest,
  session: Session,
  out: Output,
  report: SwitchReport,
  interrupt: InterruptTrap,
): Promise<void> {
  const { bookmark, dataPlane } = session;
  // the controls of the APIs asked for, no others: the plan and the read back need nothing else
  const apis = request.targets.map((target) => target.api);
  const before = await readStates(dataPlane, bookmark, apis);
  report.endpoints.push(endpointReport('read', before));
  const plan = planSwitch(request.targets, before.value);
  report.plan = planView(plan);
  report.batches = plan.batches.map((b) => ({ ...b, applied: false }));

  for (const line of renderPlan(plan, request.overrides)) out.line(line);
  if (plan.batches.length === 0) {
    report.outcome = 'already-in-place';
    out.line('Nothing to do: every API asked is already in the target state. No call made.');
    return;
  }
  if (command.dryRun) {
    report.outcome = 'dry-run';
    out.line('Dry run: nothing changed.');
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

  interrupt.arm();
  const interrupted = interrupt.signal;
  let failure: unknown;
  for (const [index, batch] of plan.batches.entries()) {
    if (index > 0) await sleep(MUTATING_CALL_INTERVAL_MS);
    if (interrupted.aborted) break;
    try {
      const answer = await dataPlane.updateRoutingControlStates(batch.entries, request.overrides, {
        halt: interrupted,
      });
      report.endpoints.push(endpointReport(`update ${index + 1}/${plan.batches.length}`, answer));
      Object.assign(report.batches[index]!, { applied: true, endpoint: answer.endpoint.region });
    } catch (error) {
      if (error instanceof EndpointRejection || error instanceof NoEndpointAnswered) {
        report.endpoints.push({
          call: `update ${index + 1}/${plan.batches.length}`,
          ...(error instanceof EndpointRejection ? { rejectedBy: error.endpoint } : {}),
          failed: failedList(error.failures),
        });
      }
      failure = error;
      break;
    }
  }

  const after = await readStates(dataPlane, bookmark, apis).catch((readError: Error) => {
    if (interrupted.aborted) {
      report.outcome = 'interrupted';
      throw new CliError(
        `interrupted; the states could not be read back (${readError.message}): run status to see where traffic is`,
        interrupt.exitCode,
      );
    }
    const sofar = failure
      ? updateFailure(failure, plan, report, bookmark)
      : 'the cluster accepted the change';
    throw new CliError(`${sofar}; the states could not be read back (${readError.message}): run status`);
  });
  report.endpoints.push(endpointReport('read back', after));
  report.readBack = statusOf(apis, after.value);
  const unmet = unmetTargets(plan, after.value);
  report.verified = unmet.length === 0;
  if (interrupted.aborted) {
    report.outcome = 'interrupted';
    out.line();
    out.line('Interrupted. Read back from the cluster:');
    for (const line of renderStatus(report.readBack, bookmark.stage)) out.line(`  ${line}`.trimEnd());
    throw new CliError(interruptedOutcome(plan, unmet), interrupt.exitCode);
  }
  if (unmet.length > 0) {
    if (failure) throw new CliError(updateFailure(failure, plan, report, bookmark));
    throw new CliError(
      `the cluster accepted the change but reads back ${unmet.map(describeStates(after.value)).join(', ')}: run status, and switch again if needed`,
    );
  }
  if (failure) {
    out.note(
      'note: the update got no clear answer, but the cluster holds the target states (applied by an attempt whose answer was lost, or by someone else)',
    );
  }
  report.outcome = 'switched';
  for (const api of plan.apis.filter((a) => a.changes)) {
    out.line(
      `Switched ${api.api.name}: traffic now on ${api.region} (${api.role}); verified by reading the states back.`,
    );
  }
  for (const r of report.endpoints) out.endpoints(r);
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
      `${batches.length} UpdateRoutingControlStates calls (at most 10 entries each, whole control panels): NOT atomic across calls; if one fails, the earlier ones stay applied.`,
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

function describeStates(states: ReadonlyMap<string, string>) {
  return (api: ApiPlan) =>
    `${api.api.name} ${api.controls.map((c) => `${c.region} ${states.get(c.routingControlArn)}`).join('/')}`;
}

/** One line for a batch that failed: which rule or endpoint, and how much of a multi-batch switch was applied. */
function updateFailure(error: unknown, plan: Plan, report: SwitchReport, bookmark: Bookmark): string {
  let reason: string;
  if (error instanceof EndpointRejection && error.error.name === 'ConflictException') {
    reason = explainConflict(bookmark, error.error as Error & { resourceId?: string });
  } else if (error instanceof NoEndpointAnswered) {
    const outcome = error.mayHaveApplied
      ? 'an attempt timed out, so the change may or may not be applied: run status'
      : 'nothing was changed';
    reason = `${dataPlaneFailure(error, 'update the routing controls')}; ${outcome}`;
  } else {
    reason = dataPlaneFailure(error, 'update the routing controls');
  }
  const applied = (report.batches ?? []).filter((b) => b.applied).flatMap((b) => b.apis);
  if (applied.length === 0 || plan.batches.length === 1) return reason;
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
