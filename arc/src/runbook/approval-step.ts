import { GateHalted, GateTimeout, waitForGates } from '../approval';
import type { ApprovalStepReport } from '../report/model';
import type { ApprovalAnswer, RunbookContext } from './context';
import { seconds, stepLabel, type Emit } from './events';
import { untilHalted } from './halt';
import type { StepResult } from './model';
import { approvalApis, gatedOf, type ApprovalStep } from './steps';

/**
 * An approval step, for the APIs of the next switch step: with an approval gate it waits (bounded by the
 * step's timeout) until the approver has turned their gates On, turning nothing On itself; without one it
 * asks a person (`askApproval`). A decline, a timeout or Ctrl-C stops the run before anything more changes.
 */
export async function runApprovalStep(
  context: RunbookContext,
  index: number,
  emit: Emit,
): Promise<StepResult> {
  const { bookmark, dataPlane, runbook, report, halt } = context;
  const step = runbook.steps[index] as ApprovalStep;
  const label = stepLabel(index, runbook.steps.length);
  const apis = approvalApis(runbook, index);
  const gated = gatedOf(bookmark, apis);
  const slot = report.steps[index] as ApprovalStepReport;
  slot.via = gated.length > 0 ? 'gate' : 'terminal';
  const started = performance.now();
  const waited = () => Math.round(performance.now() - started);
  const end = (outcome: StepResult['outcome'], error?: string): StepResult => {
    Object.assign(slot, { outcome, waitedMs: waited(), ...(error && { error }) });
    return { outcome, ...(error && { error }), changed: false };
  };
  emit('step-start', `${label} approval${step.note ? `: ${step.note}` : ''}`, index);

  if (gated.length > 0) {
    emit(
      'approval-wait',
      `${label} approval: waiting for the approval gate of ${gated.join(', ')} (up to ${step.timeoutSeconds} s)`,
      index,
    );
    try {
      await waitForGates(dataPlane, bookmark, gated, {
        timeoutMs: step.timeoutSeconds * 1000,
        ...(halt && { halt }),
        pollMs: context.gatePollMs ?? 1000,
      });
    } catch (error) {
      if (error instanceof GateHalted)
        return end('interrupted', `${label} interrupted while ${error.message.replace(/^stopped /, '')}`);
      if (error instanceof GateTimeout) {
        return end(
          'failed',
          `${label} approval: ${error.message.replace(/after \d+ ms$/, `after ${step.timeoutSeconds} s`)}; nothing more changed (the approver runs npm run switch -- approve ${gated.join(' ')}, then resume the run)`,
        );
      }
      return end(
        'failed',
        `${label} approval: could not read the approval gates: ${(error as Error).message}`,
      );
    }
    emit(
      'approved',
      `${label} approval: the approval gate of ${gated.join(', ')} is On after ${seconds(waited())}`,
      index,
    );
    return end('done');
  }

  emit(
    'approval-wait',
    `${label} approval: asking on the terminal (no approval gate for ${apis.join(', ')})`,
    index,
  );
  let answer: ApprovalAnswer | 'halted' | 'timeout';
  try {
    const asked = context.askApproval(
      {
        index,
        total: runbook.steps.length,
        ...(step.note && { note: step.note }),
        timeoutSeconds: step.timeoutSeconds,
      },
      apis,
    );
    answer = await untilHalted(asked, halt, step.timeoutSeconds * 1000);
  } catch (error) {
    return end('failed', `${label} approval: ${(error as Error).message}`);
  }
  if (answer === 'halted') return end('interrupted', `${label} interrupted while waiting for an approval`);
  if (answer === 'timeout') {
    return end(
      'failed',
      `${label} approval: no answer within ${step.timeoutSeconds} s; nothing more changed`,
    );
  }
  slot.approvedBy = answer.by;
  if (!answer.approved)
    return end('refused', `${label} approval: declined by ${answer.by}; nothing more changed`);
  emit('approved', `${label} approval: approved by ${answer.by} after ${seconds(waited())}`, index);
  return end('done');
}
