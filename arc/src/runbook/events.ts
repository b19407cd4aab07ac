import type { Runbook, RunbookStep } from '@arc-failover/shared';
import type { ProofResult } from '../proof';
import type { ReadinessAnswer } from '../readiness';
import type { ApiStatus, Plan } from '../switchover';

/**
 * One thing that happened in a run, as the one line the CLI prints after the timestamp. `step` is the
 * step's 0-based index (as in the report); the message numbers steps from 1 ("step 2/3").
 */
export interface RunbookEvent {
  at: string;
  step?: number;
  type:
    | 'evaluation'
    | 'step-start'
    | 'readiness'
    | 'update'
    | 'read-back'
    | 'dns'
    | 'http'
    | 'approval-wait'
    | 'approved'
    | 'wait'
    | 'step-done'
    | 'step-failed'
    | 'run-done';
  message: string;
}

export type Emit = (type: RunbookEvent['type'], message: string, step?: number) => void;

/** "step 2/3". */
export function stepLabel(index: number, total: number): string {
  return `step ${index + 1}/${total}`;
}

/** What a step does, in words: "switch service1, service2 -> us-west-2", "approval", "wait 30 s". */
export function describeStep(step: RunbookStep): string {
  switch (step.kind) {
    case 'switch':
      return `switch ${step.apis.join(', ')} -> ${step.to}`;
    case 'approval':
      return 'approval';
    case 'wait':
      return `wait ${step.seconds} s`;
  }
}

/** "step 1/3 switch service1, service2 -> us-west-2". */
export function stepTitle(runbook: Runbook, index: number): string {
  return `${stepLabel(index, runbook.steps.length)} ${describeStep(runbook.steps[index]!)}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A plan in one line: "service1 us-east-1 -> us-west-2, service2 already on us-west-2 (one atomic call)". */
export function planLine(plan: Plan): string {
  const apis = plan.apis.map((a) =>
    !a.changes
      ? `${a.api.name} already on ${a.region}`
      : a.servingBefore === a.region
        ? `${a.api.name} stays on ${a.region} (its controls set to ${a.region} On, the other Off)`
        : `${a.api.name} ${a.servingBefore} -> ${a.region}`,
  );
  const calls = plan.batches.length;
  const how =
    calls === 0
      ? 'nothing to send'
      : calls === 1
        ? 'one atomic call'
        : `${calls} calls, not atomic across calls`;
  return `${apis.join(', ')} (${how})`;
}

/** "readiness ok (service1 us-west-2 HTTP 200 12 ms, ...)". */
export function readinessLine(answers: readonly ReadinessAnswer[]): string {
  if (answers.length === 0) return 'readiness: nothing moves to another Region';
  return `readiness ${answers.every((a) => a.ready) ? 'ok' : 'FAILED'} (${answerList(answers)})`;
}

/** "service1 us-west-2 HTTP 200 12 ms, external-api us-west-2 HTTP 503 3 ms". */
export function answerList(answers: readonly ReadinessAnswer[]): string {
  return answers.map((a) => `${a.api} ${a.region} ${a.answer} ${a.elapsedMs} ms`).join(', ');
}

/** "read back: service1 on us-west-2 (secondary), service2 on us-west-2 (primary)". */
export function readBackLine(readBack: readonly ApiStatus[], unmet: readonly string[]): string {
  const each = readBack.map((a) => `${a.name} on ${a.servingRegion} (${a.servingRole})`).join(', ');
  return unmet.length === 0
    ? `read back: ${each}`
    : `read back: ${each}; NOT at the target: ${unmet.join(', ')}`;
}

/**
 * "DNS shows us-west-2 after 0.4 s, HTTP after 0.6 s": the slowest API of the step, counted from its
 * update. APIs of one step bound for different Regions are named.
 */
export function proofLine(proof: ProofResult): string {
  const regions = [...new Set(proof.apis.map((p) => p.region))];
  const where =
    regions.length === 1 ? regions[0]! : proof.apis.map((p) => `${p.api} on ${p.region}`).join(', ');
  const slowest = (ms: (p: ProofResult['apis'][number]) => number | undefined) =>
    seconds(Math.max(0, ...proof.apis.map((p) => ms(p) ?? 0)));
  return `DNS shows ${where} after ${slowest((p) => p.dnsMs)}, HTTP after ${slowest((p) => p.httpMs)}`;
}
