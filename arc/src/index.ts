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
