import { checkReadiness, type ReadinessAnswer, type ReadinessOptions } from '../readiness';
import { TargetNotReady } from './errors';
import type { ApiPlan, Plan } from './plan';

/** The APIs whose traffic this plan moves to another Region: the ones readiness must check. */
export function readinessTargets(plan: Plan): ApiPlan[] {
  return plan.apis.filter((a) => a.changes && a.servingBefore !== a.region);
}

/** The readiness gate: every moving API answers 2xx in its target Region, or nothing is sent. */
export async function readinessGate(plan: Plan, options: ReadinessOptions): Promise<ReadinessAnswer[]> {
  const answers = await checkReadiness(readinessTargets(plan), options);
  const notReady = answers.filter((a) => !a.ready);
  if (notReady.length > 0) throw new TargetNotReady(answers);
  return answers;
}
