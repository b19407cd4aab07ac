import { CloudFormationClient, DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { outputKeys } from '../../src/naming';
import { findService, loadTopology } from '../../src/topology';
import { deployWatchingHealthChecks, replacedHealthChecksWarning } from '../../src/serverless/health-checks';
import { arcResources, arcStackOutputs } from '@arc-failover/testing';

const cloudFormation = mockClient(CloudFormationClient);
afterEach(() => cloudFormation.reset());

const topology = loadTopology('prod');

/** DescribeStacks of the ARC stack with these outputs. */
const arcStack = (outputs: Output[]) => ({
  Stacks: [
    {
      StackName: 'arc-failover-arc-prod',
      StackStatus: 'UPDATE_COMPLETE' as const,
      CreationTime: new Date(),
      Outputs: outputs,
    },
  ],
});
/** The outputs of a stack whose health checks are of this generation. */
const ids = (generation: string) => arcStackOutputs(topology, { generation });

describe('deploying the ARC stack, watching its health checks', () => {
  it('reads the stack before and after the deploy, in the ARC Region, around the deploy itself', async () => {
    const steps: string[] = [];
    cloudFormation.on(DescribeStacksCommand).callsFake(async () => {
      steps.push('read');
      return arcStack(ids('a'));
    });
    const replaced = await deployWatchingHealthChecks(topology, async () => void steps.push('deploy'));
    expect(replaced).toEqual([]);
    expect(steps).toEqual(['read', 'deploy', 'read']);
    const regions = await Promise.all(
      cloudFormation.commandCalls(DescribeStacksCommand).map((call) => call.thisValue.config.region()),
    );
    expect(regions).toEqual(['us-west-2', 'us-west-2']);
    expect(cloudFormation.commandCalls(DescribeStacksCommand)[0]!.args[0].input).toEqual({
      StackName: 'arc-failover-arc-prod',
    });
  });

  it('names every health check the deploy replaced (a new cluster), old id and new', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .resolvesOnce(arcStack(ids('a')))
      .resolves(arcStack(ids('b')));
    const replaced = await deployWatchingHealthChecks(topology, async () => {});
    expect(replaced).toHaveLength(6);
    const service1 = findService(topology, 'service1');
    expect(replaced[2]).toEqual({
      api: 'service1',
      region: 'us-east-1',
      from: arcResources(service1, 'a').regions['us-east-1']!.healthCheckId,
      to: arcResources(service1, 'b').regions['us-east-1']!.healthCheckId,
    });
  });

  it('finds nothing replaced on a first deploy (no stack before), and skips an API added since', async () => {
    const before = ids('a').filter((o) => o.OutputKey !== outputKeys.api(findService(topology, 'service2')));
    cloudFormation
      .on(DescribeStacksCommand)
      .rejectsOnce(
        Object.assign(new Error('Stack with id arc-failover-arc-prod does not exist'), {
          name: 'ValidationError',
        }),
      )
      .resolves(arcStack(ids('a')));
    expect(await deployWatchingHealthChecks(topology, async () => {})).toEqual([]);

    cloudFormation.reset();
    cloudFormation
      .on(DescribeStacksCommand)
      .resolvesOnce(arcStack(before))
      .resolves(arcStack(ids('b')));
    expect(await deployWatchingHealthChecks(topology, async () => {})).toHaveLength(4);
  });

  it('finds nothing replaced when the stack before had the outputs of an older template', async () => {
    const older = [{ OutputKey: 'HealthCheckIdService1UsEast1', OutputValue: 'old-format-id' }];
    cloudFormation
      .on(DescribeStacksCommand)
      .resolvesOnce(arcStack(older))
      .resolves(arcStack(ids('b')));
    expect(await deployWatchingHealthChecks(topology, async () => {})).toEqual([]);
  });

  it('does not deploy when the stack cannot be read', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const deploy = jest.fn(async () => {});
    await expect(deployWatchingHealthChecks(topology, deploy)).rejects.toThrow('denied');
    expect(deploy).not.toHaveBeenCalled();
  });

  it('warns what is at risk and what to do now', () => {
    const lines = replacedHealthChecksWarning(
      [{ api: 'service1', region: 'us-east-1', from: 'old-id', to: 'new-id' }],
      topology,
    );
    expect(lines).toEqual([
      'warning: this deploy replaced 1 health check of the ARC stack (their routing controls moved to another cluster) and deleted the old ones:',
      '  service1 us-east-1: old-id (deleted) -> new-id',
      "warning: each API's failover records still name a deleted health check, so Route 53's answers for them are unpredictable until its stack is deployed: deploy every API now (npm run deploy -- --stage prod, run from the repository root, deploys them right after the ARC stack).",
      "warning: the new routing controls start Off (Route 53 then answers each API's primary): once the APIs are deployed, run npm run switch -- sync --stage prod, then put each API where it should be (e.g. npm run switch -- --all --to primary --stage prod).",
    ]);
  });
});
