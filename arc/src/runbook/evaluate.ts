import type { Bookmark } from '../bookmark';
import { nameServersOf } from '../proof';
import { checkReadiness, notReadyLine, ReadinessUnavailable, type ReadinessAnswer } from '../readiness';
import { callRecord, planSwitch, readinessTargets, readStates } from '../switchover';
import type { EvaluationContext } from './context';
import { answerList } from './events';
import type { Check, Evaluation, StepPlan } from './model';
import { approvalsCheck, assertionCheck, gateCheck } from './rules';
import { statesAfter, switchedApis, switchTargets, type SwitchStep } from './steps';

/**
 * Everything checkable before the first step, with nothing changed: the runbook's APIs are in the
 * bookmark, there are credentials, the routing-control states are readable (one read of every control the
 * runbook switches), every target that will move answers in its Region (all at once), no safety rule
 * would refuse a step, each approval step has a gate or someone to ask, and the bookmark holds what the
 * proof needs. Checks that need an earlier one (the states need the APIs and credentials) are left out
 * when it fails.
 */
export async function evaluateRunbook(context: EvaluationContext): Promise<Evaluation> {
  const { bookmark, runbook, dataPlane, from = 0 } = context;
  const checks: Check[] = [
    bookmarkCheck(bookmark, context.runbook.steps.slice(from)),
    credentialsCheck(context),
  ];
  const result = (steps: StepPlan[] = [], extra: Partial<Evaluation> = {}): Evaluation => ({
    ok: checks.every((c) => c.ok),
    checks,
    steps,
    ...extra,
  });
  if (!checks.every((c) => c.ok)) return result();

  const apis = switchedApis(bookmark, runbook, from);
  let read: Awaited<ReturnType<typeof readStates>>;
  try {
    read = await readStates(dataPlane, bookmark, apis);
  } catch (error) {
    checks.push({ check: 'states', ok: false, detail: (error as Error).message });
    return result();
  }
  checks.push({
    check: 'states',
    ok: true,
    detail: `${apis.length * 2} routing controls of ${apis.map((a) => a.name).join(', ')} read from the ${read.endpoint.region} endpoint (${read.endpoint.url})`,
  });

  const steps: StepPlan[] = [];
  let states = read.value;
  runbook.steps.forEach((step, index) => {
    if (step.kind !== 'switch' || index < from) return;
    const plan = planSwitch(switchTargets(bookmark, step), states);
    steps.push({ index, apis: step.apis, to: step.to, plan });
    states = statesAfter(states, plan);
  });

  const [readiness, gate] = await Promise.all([readinessCheck(steps, context), gateCheck(context, steps)]);
  checks.push(readiness.check, assertionCheck(bookmark, steps, context.overrides ?? []));
  if (gate) checks.push(gate);
  const approvals = approvalsCheck(context);
  if (approvals) checks.push(approvals);
  checks.push(proofCheck(bookmark, steps));
  return result(steps, {
    read: callRecord('read', read),
    ...(readiness.answers && { readiness: readiness.answers }),
  });
}

function bookmarkCheck(bookmark: Bookmark, steps: EvaluationContext['runbook']['steps']): Check {
  const named = [...new Set(steps.flatMap((s) => (s.kind === 'switch' ? s.apis : [])))];
  const missing = named.filter((name) => !bookmark.services.some((s) => s.name === name));
  if (missing.length > 0) {
    return {
      check: 'bookmark',
      ok: false,
      detail: `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in the bookmark of stage ${bookmark.stage} (it has ${bookmark.services.map((s) => s.name).join(', ')}): write it again with npm run switch -- sync`,
    };
  }
  for (const step of steps) {
    if (step.kind !== 'switch') continue;
    try {
      switchTargets(bookmark, step as SwitchStep);
    } catch (error) {
      return { check: 'bookmark', ok: false, detail: `${(error as Error).message}: the bookmark is stale` };
    }
  }
  return {
    check: 'bookmark',
    ok: true,
    detail: `${named.join(', ')} ${named.length === 1 ? 'is' : 'are'} in the bookmark of stage ${bookmark.stage}`,
  };
}

function credentialsCheck({ credentials }: EvaluationContext): Check {
  return credentials?.accessKeyId
    ? { check: 'credentials', ok: true, detail: `access key ${credentials.accessKeyId}` }
    : {
        check: 'credentials',
        ok: false,
        detail:
          "no credentials to sign with: set AWS_PROFILE to the failover operator's profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
      };
}

/** Every API that some step moves to another Region answers 2xx there: all GETs at once. */
async function readinessCheck(
  steps: readonly StepPlan[],
  { readiness }: EvaluationContext,
): Promise<{ check: Check; answers?: ReadinessAnswer[] }> {
  if (!readiness) {
    return { check: { check: 'readiness', ok: true, detail: 'readiness skipped (--skip-readiness)' } };
  }
  const targets = steps.flatMap((s) => readinessTargets(s.plan));
  if (targets.length === 0) {
    return { check: { check: 'readiness', ok: true, detail: 'no API moves to another Region' }, answers: [] };
  }
  let answers: ReadinessAnswer[];
  try {
    answers = await checkReadiness(targets, readiness);
  } catch (error) {
    if (!(error instanceof ReadinessUnavailable)) throw error;
    return { check: { check: 'readiness', ok: false, detail: error.message } };
  }
  const notReady = answers.filter((a) => !a.ready);
  return {
    check:
      notReady.length > 0
        ? { check: 'readiness', ok: false, detail: notReady.map(notReadyLine).join('; ') }
        : {
            check: 'readiness',
            ok: true,
            detail: `every API that will move answers: ${answerList(answers)}`,
          },
    answers,
  };
}

/**
 * The proof asks the zone's name servers and tells the Regions' records apart by their facts: a bookmark
 * without them could switch but never prove it.
 */
function proofCheck(bookmark: Bookmark, steps: readonly StepPlan[]): Check {
  let servers: ReturnType<typeof nameServersOf>;
  try {
    servers = nameServersOf(bookmark);
  } catch (error) {
    return { check: 'proof', ok: false, detail: (error as Error).message };
  }
  const unknown = steps.flatMap((s) =>
    s.plan.apis
      .filter((a) => a.changes)
      .filter((a) => {
        const facts = a.api.regions?.[a.region];
        return !facts?.address && !facts?.domainTarget;
      })
      .map((a) => `${a.api.name} in ${a.region}`),
  );
  if (unknown.length > 0) {
    return {
      check: 'proof',
      ok: false,
      detail: `the bookmark cannot tell ${unknown.join(', ')}'s record from the other Region's (no address or domain target): write it again with npm run switch -- sync`,
    };
  }
  return {
    check: 'proof',
    ok: true,
    detail: `DNS asked of the zone's name servers ${servers.map((s) => `${s.host}:${s.port}`).join(', ')}`,
  };
}
