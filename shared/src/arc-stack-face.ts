/**
 * Reading the deployed ARC stack (CloudFormation, a control-plane call): its own face, so that what imports
 * the rest of shared (the switch CLI above all) does not load the CloudFormation client.
 */
export { apiResourcesOf, deployArcCommand, describeArcStack, describeStack, outputsOf } from './arc-stack';
