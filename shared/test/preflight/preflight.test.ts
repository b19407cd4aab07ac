import { ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetHostedZoneCommand } from '@aws-sdk/client-route-53';
import { DescribeClusterCommand, ListClustersCommand } from '@aws-sdk/client-route53-recovery-control-config';
import {
  certificateArn,
  clusterArn,
  fakeAws,
  withCertificates,
  withClusters,
  withStacks,
  withZones,
} from '@arc-failover/testing';
import { findService, parseTopology, type Topology } from '../../src';
import {
  assertPreflight,
  packageTarget,
  PreflightError,
  preflightProblems,
  requirementsOf,
  stageTargets,
} from '../../src/preflight';

const NOW = new Date('2026-12-01T12:00:00Z');
const inDays = (days: number) => new Date(NOW.getTime() + days * 86_400_000);
const ZONE = 'Z0123456789EXAMPLE0AB';
const CLUSTER = clusterArn('shared');

function topology(arc: Record<string, string> = {}): Topology {
  return parseTopology(
    {
      project: 'arc-failover',
      entry: { name: 'external-api', primaryRegion: 'us-east-1', secondaryRegion: 'us-west-2' },
      services: [
        { name: 'service1', primaryRegion: 'us-east-1', secondaryRegion: 'us-west-2' },
        { name: 'service2', primaryRegion: 'us-west-2', secondaryRegion: 'us-east-1' },
      ],
      stages: {
        prod: {
          domain: 'example.com',
          hostedZoneId: ZONE,
          certificateArns: {
            'us-east-1': certificateArn('us-east-1', 'east'),
            'us-west-2': certificateArn('us-west-2', 'west'),
          },
          arc: { stackName: 'arc-failover-arc-prod', region: 'us-west-2', ...arc },
        },
      },
    },
    'prod',
  );
}

const aws = fakeAws();
afterAll(() => aws.restore());

/** An account where a deploy of the stage can go ahead. */
function healthy({ westCertificate = {} } = {}) {
  aws.route53.reset();
  for (const r of ['us-east-1', 'us-west-2']) {
    aws.acm(r).reset();
    aws.cloudFormation(r).reset();
    withStacks(aws, r, {});
  }
  aws.controlConfig.reset();
  withZones(aws, [{ id: ZONE, name: 'example.com' }]);
  const cert = (region: string, id: string) => ({
    arn: certificateArn(region, id),
    domainName: '*.example.com',
    alternativeNames: ['example.com'],
    notAfter: inDays(200),
  });
  withCertificates(aws, 'us-east-1', [cert('us-east-1', 'east')]);
  withCertificates(aws, 'us-west-2', [{ ...cert('us-west-2', 'west'), ...westCertificate }]);
  withClusters(aws, { [CLUSTER]: 'DEPLOYED' });
}

describe('what a deploy needs', () => {
  it('for the whole stage: the zone, a certificate per Region for every API there, the cluster, every stack', () => {
    const t = topology();
    expect(requirementsOf(t, stageTargets(t))).toEqual({
      hostedZone: true,
      certificates: [
        { region: 'us-east-1', hostnames: ['example.com', 'service1.example.com', 'service2.example.com'] },
        { region: 'us-west-2', hostnames: ['example.com', 'service1.example.com', 'service2.example.com'] },
      ],
      cluster: true,
      stacks: [
        { stackName: 'arc-failover-arc-prod', region: 'us-west-2' },
        { stackName: 'arc-failover-external-api-prod', region: 'us-east-1' },
        { stackName: 'arc-failover-external-api-prod', region: 'us-west-2' },
        { stackName: 'arc-failover-service1-prod', region: 'us-east-1' },
        { stackName: 'arc-failover-service1-prod', region: 'us-west-2' },
        { stackName: 'arc-failover-service2-prod', region: 'us-west-2' },
        { stackName: 'arc-failover-service2-prod', region: 'us-east-1' },
      ],
    });
  });

  it('for the ARC stack: its cluster and its own state, no zone or certificate', () => {
    const t = topology();
    expect(requirementsOf(t, [packageTarget(t, 'arc', ['us-west-2'])])).toEqual({
      hostedZone: false,
      certificates: [],
      cluster: true,
      stacks: [{ stackName: 'arc-failover-arc-prod', region: 'us-west-2' }],
    });
  });

  it('for one API in one Region: the zone, that Region’s certificate for its hostname, its stack there', () => {
    const t = topology();
    expect(requirementsOf(t, [packageTarget(t, 'service2', ['us-east-1'])])).toEqual({
      hostedZone: true,
      certificates: [{ region: 'us-east-1', hostnames: ['service2.example.com'] }],
      cluster: false,
      stacks: [{ stackName: 'arc-failover-service2-prod', region: 'us-east-1' }],
    });
  });
});

describe('the deploy preflight', () => {
  it('finds nothing wrong in a ready account, asking AWS only read-only questions', async () => {
    healthy();
    const t = topology();
    expect(await preflightProblems(t, stageTargets(t), aws.clients, NOW)).toEqual([]);
    expect(aws.route53.commandCalls(GetHostedZoneCommand)).toHaveLength(1);
    expect(aws.acm('us-east-1').commandCalls(DescribeCertificateCommand)).toHaveLength(1);
    expect(aws.cloudFormation('us-east-1').commandCalls(DescribeStacksCommand)).toHaveLength(3);
    expect(aws.cloudFormation('us-west-2').commandCalls(DescribeStacksCommand)).toHaveLength(4);
    const described = aws.acm('us-west-2').commandCalls(DescribeCertificateCommand);
    expect(described.map((c) => c.args[0].input.CertificateArn)).toEqual([
      certificateArn('us-west-2', 'west'),
    ]);
    // Only Describe*, Get* and List* calls were made.
    const names = [
      ...aws.route53.calls(),
      ...['us-east-1', 'us-west-2'].flatMap((r) => [...aws.acm(r).calls(), ...aws.cloudFormation(r).calls()]),
      ...aws.controlConfig.calls(),
    ].map((call) => (call.args[0] as object).constructor.name);
    expect(names.every((n) => /^(Describe|Get|List)/.test(n))).toBe(true);
  });

  it('checks an existing arc.clusterArn instead of the quota', async () => {
    healthy();
    const t = topology({ clusterArn: CLUSTER });
    expect(await preflightProblems(t, stageTargets(t), aws.clients, NOW)).toEqual([]);
    expect(aws.controlConfig.commandCalls(DescribeClusterCommand as never)).toHaveLength(1);
    expect(aws.controlConfig.commandCalls(ListClustersCommand as never)).toHaveLength(0);
  });

  it('collects every problem, in a fixed order, the first one as the error and the others as also: lines', async () => {
    healthy({ westCertificate: { status: 'PENDING_VALIDATION' } });
    withZones(aws, [{ id: ZONE, name: 'example.com', private: true }]);
    withStacks(aws, 'us-east-1', { 'arc-failover-service1-prod': 'UPDATE_ROLLBACK_FAILED' });
    withClusters(aws, { [CLUSTER]: 'PENDING' });
    const t = topology({ clusterArn: CLUSTER });
    const error = await assertPreflight(t, stageTargets(t), aws.clients, NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreflightError);
    const lines = (error as PreflightError).message.split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^hosted zone Z0123456789EXAMPLE0AB \(example.com\) is private/),
      expect.stringMatching(/^also: certificate arn:aws:acm:us-west-2:\S+ is PENDING_VALIDATION, not ISSUED/),
      expect.stringMatching(/^also: ARC cluster \S+ is PENDING, not DEPLOYED/),
      expect.stringMatching(/^also: stack arc-failover-service1-prod in us-east-1 is UPDATE_ROLLBACK_FAILED/),
    ]);
    expect((error as PreflightError).problems).toHaveLength(4);
  });

  it('for one package checks only what it needs', async () => {
    healthy({ westCertificate: { notAfter: inDays(10) } });
    const t = topology();
    const service1 = findService(t, 'service1');
    await expect(
      assertPreflight(t, [{ kind: 'api', api: service1, regions: ['us-east-1'] }], aws.clients, NOW),
    ).resolves.toBeUndefined();
    await expect(
      assertPreflight(t, [{ kind: 'api', api: service1, regions: service1.regions }], aws.clients, NOW),
    ).rejects.toThrow(/^certificate \S+us-west-2\S+ expires on 2026-12-11 \(in 10 days, under 14\)/);
  });

  it('refuses a certificate missing in one Region', async () => {
    healthy();
    withCertificates(aws, 'us-west-2', []);
    const t = topology();
    expect(await preflightProblems(t, stageTargets(t), aws.clients, NOW)).toEqual([
      `certificate ${certificateArn('us-west-2', 'west')} does not exist in us-west-2: request an ACM certificate in us-west-2 for example.com and *.example.com and set certificateArns.us-west-2 to it`,
    ]);
  });

  it('refuses when the account already has 2 clusters and the stage would create a third', async () => {
    healthy();
    withClusters(aws, { [clusterArn('a')]: 'DEPLOYED', [clusterArn('b')]: 'DEPLOYED' });
    const t = topology();
    expect(await preflightProblems(t, stageTargets(t), aws.clients, NOW)).toEqual([
      expect.stringMatching(/^the account already has 2 ARC clusters/),
    ]);
  });

  it('uses the Region’s own ACM client for each certificate', async () => {
    healthy();
    const t = topology();
    await preflightProblems(t, stageTargets(t), aws.clients, NOW);
    for (const r of ['us-east-1', 'us-west-2']) {
      const [call] = aws.acm(r).commandCalls(DescribeCertificateCommand);
      expect(await (call!.thisValue as ACMClient).config.region()).toBe(r);
    }
  });
});
