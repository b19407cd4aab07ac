import type { Runbook, RunbookStep } from '@arc-failover/shared';
import type { Bookmark, BookmarkService } from '../bookmark';
import { resolveTargets, type Plan, type States, type Target } from '../switchover';

/** The runbook's structure as the engine walks it: which switch an approval is for, what moves where. */

export type SwitchStep = Extract<RunbookStep, { kind: 'switch' }>;
export type ApprovalStep = Extract<RunbookStep, { kind: 'approval' }>;
export type WaitStep = Extract<RunbookStep, { kind: 'wait' }>;

/** The bookmark's APIs of a switch step, resolved to their target Regions (every API checked present). */
export function switchTargets(bookmark: Bookmark, step: SwitchStep): Target[] {
  const apis = step.apis.map((name) => {
    const api = bookmark.services.find((s) => s.name === name);
    if (!api) throw new Error(`${name} is not in the bookmark`);
    return api;
  });
  return resolveTargets(apis, step.to);
}

/** The index of the first switch step after `index`; an approval step always has one (validated). */
export function nextSwitchIndex(runbook: Runbook, index: number): number | undefined {
  const found = runbook.steps.findIndex((step, i) => i > index && step.kind === 'switch');
  return found === -1 ? undefined : found;
}

/**
 * The approval step that answers for the switch step at `index`: one between the previous switch step
 * and it, not before `from` (a resumed run does not run earlier steps again).
 */
export function approvalBefore(runbook: Runbook, index: number, from = 0): number | undefined {
  for (let i = index - 1; i >= from; i--) {
    const step = runbook.steps[i]!;
    if (step.kind === 'switch') return undefined;
    if (step.kind === 'approval') return i;
  }
  return undefined;
}

/** The APIs an approval step approves: those of the next switch step. */
export function approvalApis(runbook: Runbook, index: number): string[] {
  const next = nextSwitchIndex(runbook, index);
  return next === undefined ? [] : (runbook.steps[next] as SwitchStep).apis;
}

/** The APIs of `names` that have an approval gate in the bookmark. */
export function gatedOf(bookmark: Bookmark, names: readonly string[]): string[] {
  return names.filter((name) => bookmark.services.find((s) => s.name === name)?.approvalControlArn);
}

/** Every API the switch steps from `from` on name, once each, in the bookmark's order. */
export function switchedApis(bookmark: Bookmark, runbook: Runbook, from = 0): BookmarkService[] {
  const names = new Set(
    runbook.steps.slice(from).flatMap((step) => (step.kind === 'switch' ? step.apis : [])),
  );
  return bookmark.services.filter((s) => names.has(s.name));
}

/** The states once a plan is applied: what the next step will find. */
export function statesAfter(states: States, plan: Plan): States {
  const after = new Map(states);
  for (const api of plan.apis)
    for (const control of api.controls) after.set(control.routingControlArn, control.to);
  return after;
}
