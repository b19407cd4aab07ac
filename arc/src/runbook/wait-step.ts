import type { RunbookContext } from './context';
import { sleep, untilHalted } from './halt';
import { seconds, stepLabel, stepTitle, type Emit } from './events';
import type { StepResult } from './model';
import type { WaitStep } from './steps';

/** A wait step: sleeps its seconds; `halt` ends it at once ('interrupted'). */
export async function runWaitStep(context: RunbookContext, index: number, emit: Emit): Promise<StepResult> {
  const { runbook, report, halt } = context;
  const step = runbook.steps[index] as WaitStep;
  const label = stepLabel(index, runbook.steps.length);
  emit('step-start', stepTitle(runbook, index), index);
  const until = new Date(Date.now() + step.seconds * 1000).toISOString();
  emit('wait', `${label} wait: ${step.seconds} s, until ${until}`, index);
  const started = performance.now();
  const slept = await untilHalted(sleep(step.seconds * 1000, halt), halt);
  const slot = report.steps[index]!;
  if (slept === 'halted') {
    const error = `${label} interrupted during its wait, after ${seconds(performance.now() - started)} of ${step.seconds} s`;
    Object.assign(slot, { outcome: 'interrupted', error });
    return { outcome: 'interrupted', error, changed: false };
  }
  slot.outcome = 'done';
  return { outcome: 'done', changed: false };
}
