/** Runbooks: evaluate before the first step, run the steps in order, resume from a report; no terminal. */
export type { ApprovalAnswer, ApprovalRequest, EvaluationContext, RunbookContext } from './context';
export { evaluateRunbook } from './evaluate';
export { describeStep, stepLabel, stepTitle, type RunbookEvent } from './events';
export type { Check, Evaluation, StepPlan } from './model';
export { planResume, ResumeRefused, type ResumePlan } from './resume';
export { RUN_EXIT, runRunbook } from './run';
