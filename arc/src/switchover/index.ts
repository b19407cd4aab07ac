/** The switchover: read, plan, apply in batches, read back; typed results and errors, no terminal. */
export { statusOf, type ApiStatus } from './api-status';
export { MUTATING_CALL_INTERVAL_MS, type SwitchoverEvent } from './apply';
export {
  describeDataPlaneFailure,
  StaleBookmark,
  StatesUnreadable,
  SwitchoverError,
  SwitchoverRequestError,
  TargetNotReady,
  updateMayHaveApplied,
  type ReadFailure,
} from './errors';
export { explainConflict, SAFETY_RULE_ARN, safetyRuleConflict } from './conflict';
export { SwitchoverFailed, type FailedOutcome } from './failed';
export {
  batchesFor,
  MAX_BATCH_ENTRIES,
  planSwitch,
  resolveTargets,
  selectApis,
  stateOf,
  unmetTargets,
  type ApiPlan,
  type Batch,
  type ControlChange,
  type Plan,
  type States,
  type Target,
} from './plan';
export { callRecord, type BatchRecord, type CallRecord, type SwitchoverProgress } from './progress';
export { readStates, type SwitchoverDataPlane } from './read';
export { readinessGate, readinessTargets } from './readiness-step';
export {
  executeSwitchover,
  planSwitchover,
  progressOf,
  switchover,
  type ExecuteOptions,
  type PlannedSwitchover,
  type SwitchoverOutcome,
  type SwitchoverResult,
} from './switchover';
