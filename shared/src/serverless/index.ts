export { apiConfig } from './api-config';
export { serviceProxies } from './service-proxies';
export { missingCredentials } from './credentials';
export { ARC_STACK, stackContext, stackName, type StackContext } from './stack';
export { default as TopologyPlugin, PREFLIGHT_CHECKED_ENV } from './plugin';
export type {
  AwsProvider,
  CloudFormationOutput,
  CloudFormationResource,
  CloudFormationTemplate,
  Serverless,
  ServerlessLog,
  StackResources,
} from './types';
export { deployWatchingHealthChecks, replacedHealthChecksWarning } from './health-checks';
