import { loadTopology } from '@arc-failover/shared';
import {
  certificateArn,
  fakeAws,
  withCertificates,
  withClusters,
  withStacks,
  withZones,
  TEST_CREDENTIALS,
} from '@arc-failover/testing';
import { deployablePackages } from '../src/deployables';
import { packagePreflight, stagePreflight } from '../src/preflight';

const topology = loadTopology('prod');
const aws = fakeAws();
afterAll(() => aws.restore());

const saved = { ...process.env };
beforeEach(() => {
  // Credentials from the environment: the default chain finds them without asking anything over the network.
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  withZones(aws, [{ id: topology.hostedZoneId, name: 'example.com' }]);
  for (const region of ['us-east-1', 'us-west-2']) {
    withCertificates(aws, region, [
      {
        arn: certificateArn(region, 'wildcard'),
        domainName: '*.example.com',
        alternativeNames: ['example.com'],
        notAfter: new Date(Date.now() + 90 * 86_400_000),
      },
    ]);
    withStacks(aws, region, {});
  }
  withClusters(aws, {});
});
afterEach(() => {
  process.env = { ...saved };
});

describe('the preflight of npm run deploy and of one package', () => {
  it('says what it checked for the whole stage', async () => {
    expect(await stagePreflight(topology, aws.clients)).toBe(
      'preflight: hosted zone Z0123456789EXAMPLE0AB, certificates in us-east-1, us-west-2, ARC cluster quota, 7 stack states: ready to deploy stage prod',
    );
  });

  it('checks only what one package needs', async () => {
    const [arc, entry] = deployablePackages(topology);
    expect(await packagePreflight(arc!, topology, aws.clients)).toBe(
      'preflight: ARC cluster quota, 1 stack state: ready to deploy stage prod',
    );
    expect(await packagePreflight(entry!, topology, aws.clients)).toBe(
      'preflight: hosted zone Z0123456789EXAMPLE0AB, certificates in us-east-1, us-west-2, 2 stack states: ready to deploy stage prod',
    );
  });

  it('refuses with the first problem as the error and the rest as also: lines', async () => {
    withStacks(aws, 'us-west-2', { 'arc-failover-arc-prod': 'UPDATE_IN_PROGRESS' });
    withZones(aws, []);
    await expect(stagePreflight(topology, aws.clients)).rejects.toThrow(
      [
        'hosted zone Z0123456789EXAMPLE0AB does not exist in this account: create a public hosted zone for example.com and set hostedZoneId to its id',
        'also: stack arc-failover-arc-prod in us-west-2 is UPDATE_IN_PROGRESS: another change is under way: wait for it to finish and deploy again',
      ].join('\n'),
    );
  });

  it('asks AWS nothing without credentials', async () => {
    process.env = {
      PATH: saved.PATH,
      HOME: '/nonexistent',
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    aws.route53.resetHistory();
    await expect(stagePreflight(topology, aws.clients)).rejects.toThrow(/^no AWS credentials found/);
    expect(aws.route53.calls()).toHaveLength(0);
  });
});
