import { ARC_CONTROL_PLANE_REGION } from '@arc-failover/shared';
import { ARC_STACK, type StackContext } from '@arc-failover/shared/serverless';
import { arcStack } from './src/stack/template';

/** The stage's ARC resources, built from the topology; `${topology:resources}` below resolves to them. */
export const resources = ({ topology }: StackContext) => arcStack(topology);

export default {
  service: ARC_STACK,
  frameworkVersion: '3 || 4',
  configValidationMode: 'error',
  plugins: ['@arc-failover/shared/serverless-plugin'],
  provider: {
    name: 'aws',
    // The ARC control-plane API, and so every ARC resource of CloudFormation, exists only there.
    region: ARC_CONTROL_PLANE_REGION,
    stackName: '${topology:stackName}',
  },
  resources: '${topology:resources}',
};
