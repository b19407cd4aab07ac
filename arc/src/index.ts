export * from './bookmark';
export {
  DataPlane,
  EndpointRejection,
  NoEndpointAnswered,
  type Answer,
  type DataPlaneOptions,
  type Endpoint,
  type FailedAttempt,
} from './dataplane/client';
export { DEFAULT_TIMEOUTS } from './dataplane/timeouts';
// the sandbox's first deploy plans and reads as the CLI does (until the switchover core is one module)
export { planSwitch, resolveTargets, selectApis } from './cli/plan';
export { readStates } from './cli/cluster-state';
