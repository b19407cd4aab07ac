export { awsClients, type AwsClients } from './aws-clients';
export { nameCovers, namesToRequest, uncoveredHostnames } from './coverage';
export { certificateProblem, MIN_DAYS_BEFORE_EXPIRY, type CertificateFacts } from './certificate';
export { findCoveringCertificate, type CertificateLookup } from './covering-certificate';
export { certificateCheck } from './certificate-check';
export { CLUSTERS_PER_ACCOUNT, clusterProblem, clusterQuotaProblem } from './cluster';
export { findPublicHostedZone, hostedZoneProblem, type ZoneLookup } from './hosted-zone';
export { stackStateProblem, stackStatusProblem } from './stack-state';
export {
  packageTarget,
  requirementsOf,
  stageTargets,
  type PreflightTarget,
  type Requirements,
} from './requirements';
export { assertPreflight, preflightProblems, PreflightError } from './preflight';
