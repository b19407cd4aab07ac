/**
 * Reading the deployed stacks (CloudFormation, a control-plane call): the ARC stack, and what the API stacks
 * say about where each API answers in its Regions. Its own face, so that what imports the rest of shared
 * (the switch CLI above all) does not load the CloudFormation client.
 */
export {
  API_URL_OUTPUT,
  apiRegionOutputsOf,
  apiResourcesOf,
  apiStackName,
  ApiStackOutputError,
  deployApiCommand,
  deployArcCommand,
  describeArcStack,
  describeStack,
  outputsOf,
  type ApiRegionOutputs,
} from './arc-stack';
