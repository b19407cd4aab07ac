export { CliHarness, type TerminalRun } from './cli-harness';
export { RegionalTargets, type TargetBehaviour } from './regional-targets';
export { bookmarkFor, topologyWith } from './fixtures';
export { projectCommand, runCommand, runProjectCommand, TSX } from './run-script';
export { fakeServerless, pluginUtils, ServerlessError, TEST_CREDENTIALS } from './fake-serverless';
export { CloudFormationSchema } from './cloudformation-schema';
export { postClaiming, postStreaming, type OversizedAnswer } from './oversized-request';
export { ACCOUNT, arcResources, arcStackOutputs, CLUSTER } from './arc-resources';
export { generatedTopology } from './generated-topology';
export {
  certificateArn,
  clusterArn,
  FAKE_ACCOUNT,
  fakeAws,
  withCertificates,
  withClusters,
  withStacks,
  withZones,
  type FakeAws,
  type FakeCertificate,
  type FakeZone,
} from './fake-aws';
