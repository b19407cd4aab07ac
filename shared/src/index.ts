export * from './regions';
export * from './topology';
export * from './naming';
export * from './failover';
export * from './process';
export { projectCommand, REPO_ROOT, runProjectCommand } from './project-command';
export {
  apiOutputValue,
  ApiOutputError,
  formatApiOutput,
  parseApiOutput,
  type ApiArcResources,
} from './arc-outputs';
export {
  ARC_QUOTAS,
  arcStackCounts,
  GATED_POLICY_APIS_PER_PART,
  policyCounts,
  policyParts,
  CLOUDFORMATION_QUOTAS,
  MAX_APIS_PER_CLUSTER,
  type StackCounts,
} from './quotas';
export { CLI_RESERVED_NAMES } from './reserved-names';
export { isUsableStackStatus, unusableStackFix } from './stack-status';
export {
  DEFAULT_APPROVAL_TIMEOUT_SECONDS,
  findRunbook,
  runbookApis,
  targetRegionOf,
  type Runbook,
  type RunbookStep,
  type RunbookTarget,
} from './runbooks';
