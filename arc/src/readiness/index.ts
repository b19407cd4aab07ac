/** Readiness: the target Region's own endpoint answers before traffic is sent to it. */
export { httpGet, regionOfBody, type HttpProbeOptions, type HttpProbeResult } from './probe';
export {
  checkReadiness,
  checkReadinessFacts,
  DEFAULT_READINESS,
  healthUrl,
  notReadyLine,
  readinessAnswer,
  ReadinessUnavailable,
  type ReadinessAnswer,
  type ReadinessOptions,
} from './readiness';
