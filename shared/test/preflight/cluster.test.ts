import { ListClustersCommand } from '@aws-sdk/client-route53-recovery-control-config';
import { clusterArn, fakeAws, withClusters, withStacks } from '@arc-failover/testing';
import { clusterProblem, clusterQuotaProblem } from '../../src/preflight/cluster';

const aws = fakeAws();
afterEach(() => {
  aws.controlConfig.reset();
  aws.cloudFormation('us-west-2').reset();
});
afterAll(() => aws.restore());

const MINE = clusterArn('mine');
const STACK = 'arc-failover-arc-prod';

describe('an existing cluster named by arc.clusterArn', () => {
  it('passes when it is DEPLOYED', async () => {
    withClusters(aws, { [MINE]: 'DEPLOYED' });
    expect(await clusterProblem(aws.clients.controlConfig, MINE)).toBeUndefined();
  });

  it.each([
    ['PENDING', `ARC cluster ${MINE} is PENDING, not DEPLOYED: wait until it is DEPLOYED and try again`],
    [
      'PENDING_DELETION',
      `ARC cluster ${MINE} is PENDING_DELETION, not DEPLOYED: it is being deleted: set arc.clusterArn to another cluster, or leave it out so the ARC stack creates one`,
    ],
  ])('refuses a cluster that is %s', async (status, problem) => {
    withClusters(aws, { [MINE]: status });
    expect(await clusterProblem(aws.clients.controlConfig, MINE)).toBe(problem);
  });

  it('refuses a cluster that does not exist', async () => {
    withClusters(aws, {});
    expect(await clusterProblem(aws.clients.controlConfig, MINE, '--cluster-arn')).toBe(
      `ARC cluster ${MINE} does not exist: create it (about $2.50/hour), set --cluster-arn to an existing one, or leave --cluster-arn out so the ARC stack creates one`,
    );
  });
});

describe('room for the cluster the ARC stack creates (no arc.clusterArn)', () => {
  const quota = () =>
    clusterQuotaProblem(aws.clients.controlConfig, aws.clients.cloudFormation('us-west-2'), STACK, 'prod');

  it('passes with fewer than 2 clusters in the account', async () => {
    withStacks(aws, 'us-west-2', {});
    withClusters(aws, { [clusterArn('other')]: 'DEPLOYED' });
    expect(await quota()).toBeUndefined();
  });

  it('refuses with 2 clusters already, naming them to share one', async () => {
    withStacks(aws, 'us-west-2', {});
    withClusters(aws, { [clusterArn('a')]: 'DEPLOYED', [clusterArn('b')]: 'DEPLOYED' });
    expect(await quota()).toBe(
      `the account already has 2 ARC clusters (${clusterArn('a')}, ${clusterArn('b')}), ARC's quota is 2: set stages.prod.arc.clusterArn to one of them to share it, or delete one`,
    );
  });

  it('passes at 2 clusters when one of them is already the ARC stack’s own (an update creates none)', async () => {
    withStacks(aws, 'us-west-2', { [STACK]: 'UPDATE_COMPLETE' }, [STACK]);
    withClusters(aws, { [clusterArn('a')]: 'DEPLOYED', [clusterArn('b')]: 'DEPLOYED' });
    expect(await quota()).toBeUndefined();
    expect(aws.controlConfig.commandCalls(ListClustersCommand as never)).toHaveLength(0);
  });

  it('counts the clusters when the deployed ARC stack used a shared one (removing clusterArn creates one)', async () => {
    withStacks(aws, 'us-west-2', { [STACK]: 'UPDATE_COMPLETE' });
    withClusters(aws, { [clusterArn('a')]: 'DEPLOYED', [clusterArn('b')]: 'DEPLOYED' });
    expect(await quota()).toMatch(/^the account already has 2 ARC clusters/);
  });

  it('follows ListClusters pages', async () => {
    withStacks(aws, 'us-west-2', {});
    aws.controlConfig
      .on(ListClustersCommand as never)
      .resolvesOnce({ Clusters: [{ ClusterArn: clusterArn('a') }], NextToken: 'n' } as never)
      .resolvesOnce({ Clusters: [{ ClusterArn: clusterArn('b') }] } as never);
    expect(await quota()).toMatch(/^the account already has 2 ARC clusters/);
  });
});
