import { isApprovalGate, readGates } from '../approval';
import type { Bookmark } from '../bookmark';
import type { SwitchoverDataPlane } from '../switchover';
import type { EvaluationContext } from './context';
import type { Check, StepPlan } from './model';
import { approvalApis, approvalBefore, gatedOf } from './steps';

/**
 * The evaluation's safety-rule checks: would the cluster refuse a step? The bookmark names each rule, its
 * API and kind, not its criteria: assertion rules are checked as the stack makes them (at least one of the
 * API's two controls On), the approval gate's own gating rule by reading the gates.
 */

/** Every moving API keeps a control On after its step; rules the bookmark cannot tell more of are named. */
export function assertionCheck(bookmark: Bookmark, steps: readonly StepPlan[], overrides: string[]): Check {
  const moving = steps.flatMap((s) => s.plan.apis.filter((a) => a.changes).map((a) => ({ step: s, api: a })));
  const ruleOf = (service: string, kind: 'assertion' | 'gating') =>
    bookmark.safetyRules.filter(
      (r) => r.service === service && (r.kind ?? 'assertion') === kind && !overrides.includes(r.arn),
    );
  const broken = moving.filter(
    ({ api }) => ruleOf(api.api.name, 'assertion').length > 0 && !api.controls.some((c) => c.to === 'On'),
  );
  if (broken.length > 0) {
    return {
      check: 'safety rules',
      ok: false,
      detail: broken
        .map(
          ({ step, api }) => `step ${step.index + 1} would leave ${api.api.name} with no routing control On`,
        )
        .join('; '),
    };
  }
  const names = [
    ...new Set(moving.flatMap(({ api }) => ruleOf(api.api.name, 'assertion').map((r) => r.name))),
  ];
  const others = [
    ...new Set(
      moving.flatMap(({ api }) =>
        ruleOf(api.api.name, 'gating')
          .filter((r) => !isApprovalGate(r))
          .map((r) => `${r.name} (${r.service})`),
      ),
    ),
  ];
  const asserted =
    names.length === 0
      ? 'no assertion rule in the bookmark for the APIs that move'
      : `assertion rules ${names.join(', ')} hold after every step: each moving API keeps one routing control On (the bookmark holds no rule criteria: checked as the stack makes them, at least 1 of 2 On; wait periods cannot be known ahead)`;
  const unchecked =
    others.length > 0
      ? `; not checkable ahead (the bookmark holds no criteria): gating rules ${others.join(', ')}`
      : '';
  return { check: 'safety rules', ok: true, detail: `${asserted}${unchecked}` };
}

/**
 * The approval gate: a switch step that changes a gated API needs an approval step just before it (it
 * waits for the gate), its gate already On, or its gating rule overridden; else the cluster would refuse.
 * No check when no moving API has a gate.
 */
export async function gateCheck(
  context: Pick<EvaluationContext, 'bookmark' | 'runbook' | 'overrides' | 'from'> & {
    dataPlane: Pick<SwitchoverDataPlane, 'getRoutingControlStates'>;
  },
  steps: readonly StepPlan[],
): Promise<Check | undefined> {
  const { bookmark, runbook, overrides = [], from = 0 } = context;
  const overridden = (api: string) =>
    bookmark.safetyRules.some((r) => r.service === api && isApprovalGate(r) && overrides.includes(r.arn));
  const gated = steps
    .map((s) => ({
      step: s,
      apis: gatedOf(
        bookmark,
        s.plan.apis.filter((a) => a.changes).map((a) => a.api.name),
      ),
      approval: approvalBefore(runbook, s.index, from),
    }))
    .filter((s) => s.apis.length > 0);
  if (gated.length === 0) return undefined;

  const lines: string[] = [];
  const failures: string[] = [];
  const unapproved = gated.filter((s) => s.approval === undefined);
  const names = [...new Set(unapproved.flatMap((s) => s.apis.filter((api) => !overridden(api))))];
  let states = new Map<string, string>();
  if (names.length > 0) {
    try {
      states = await readGates(context.dataPlane, bookmark, names);
    } catch (error) {
      return {
        check: 'approval gate',
        ok: false,
        detail: `could not read the approval gates of ${names.join(', ')}: ${(error as Error).message}`,
      };
    }
  }
  for (const { step, apis, approval } of gated) {
    const label = `step ${step.index + 1} (${apis.join(', ')})`;
    if (approval !== undefined) {
      lines.push(`${label}: approval step ${approval + 1} waits for its gate`);
      continue;
    }
    const off = apis.filter((api) => !overridden(api) && states.get(api) !== 'On');
    if (off.length > 0) {
      const stage = bookmark.stage === 'local' ? '' : ` --stage ${bookmark.stage}`;
      failures.push(
        `step ${step.index + 1} (${off.join(', ')}): the approval gate is Off and no approval step comes before it: the cluster would refuse; the approver must run npm run switch -- approve ${off.join(' ')}${stage}`,
      );
    } else {
      lines.push(
        `${label}: ${apis.some(overridden) ? 'its gating rule overridden' : 'the approval gate is already On'}`,
      );
    }
  }
  return failures.length > 0
    ? { check: 'approval gate', ok: false, detail: failures.join('; ') }
    : { check: 'approval gate', ok: true, detail: lines.join('; ') };
}

/**
 * Each approval step from `from` on: it waits for the gates of the next switch's APIs, or, with no gate,
 * asks a person, which needs someone to ask (`canAskApproval`).
 */
export function approvalsCheck(
  context: Pick<EvaluationContext, 'bookmark' | 'runbook' | 'canAskApproval' | 'from'>,
): Check | undefined {
  const { bookmark, runbook, canAskApproval = true, from = 0 } = context;
  const lines: string[] = [];
  const failures: string[] = [];
  runbook.steps.forEach((step, index) => {
    if (step.kind !== 'approval' || index < from) return;
    const apis = approvalApis(runbook, index);
    const gated = gatedOf(bookmark, apis);
    if (gated.length > 0) {
      lines.push(
        `approval step ${index + 1}: waits up to ${step.timeoutSeconds} s for the approval gate of ${gated.join(', ')}`,
      );
    } else if (canAskApproval) {
      lines.push(
        `approval step ${index + 1}: asked on the terminal (no approval gate for ${apis.join(', ')})`,
      );
    } else {
      failures.push(
        `approval step ${index + 1} needs an approver: run on a terminal or turn on the approval gate`,
      );
    }
  });
  if (lines.length + failures.length === 0) return undefined;
  return failures.length > 0
    ? { check: 'approvals', ok: false, detail: failures.join('; ') }
    : { check: 'approvals', ok: true, detail: lines.join('; ') };
}
