import { GetHostedZoneCommand, ListHostedZonesByNameCommand } from '@aws-sdk/client-route-53';
import { fakeAws, withZones } from '@arc-failover/testing';
import { findPublicHostedZone, hostedZoneProblem } from '../../src/preflight/hosted-zone';

const aws = fakeAws();
afterEach(() => aws.route53.reset());
afterAll(() => aws.restore());

describe('finding the public hosted zone of a domain', () => {
  it('finds the one public zone named exactly the domain, among private and longer-named ones', async () => {
    withZones(aws, [
      { id: 'ZPRIVATE', name: 'example.com', private: true },
      { id: 'ZPUBLIC', name: 'example.com' },
      { id: 'ZSUB', name: 'api.example.com' },
      { id: 'ZOTHER', name: 'example.org' },
    ]);
    expect(await findPublicHostedZone(aws.clients.route53, 'example.com')).toEqual({ zoneId: 'ZPUBLIC' });
    expect(aws.route53.commandCalls(ListHostedZonesByNameCommand)[0]!.args[0].input).toEqual({
      DNSName: 'example.com',
    });
  });

  it('follows the pages while they still hold zones of that name', async () => {
    aws.route53
      .on(ListHostedZonesByNameCommand, { DNSName: 'example.com' })
      .resolves({
        HostedZones: [
          {
            Id: '/hostedzone/ZPRIV',
            Name: 'example.com.',
            CallerReference: 'a',
            Config: { PrivateZone: true },
          },
        ],
        IsTruncated: true,
        NextDNSName: 'example.com.',
        NextHostedZoneId: 'ZPUB',
        MaxItems: 1,
      })
      .on(ListHostedZonesByNameCommand, { DNSName: 'example.com.', HostedZoneId: 'ZPUB' })
      .resolves({
        HostedZones: [{ Id: '/hostedzone/ZPUB', Name: 'example.com.', CallerReference: 'b' }],
        IsTruncated: false,
        MaxItems: 1,
      });
    expect(await findPublicHostedZone(aws.clients.route53, 'example.com')).toEqual({ zoneId: 'ZPUB' });
  });

  it.each([
    [
      'no zone at all',
      [{ id: 'ZOTHER', name: 'example.org' }],
      'no public hosted zone named example.com in this account: create a public hosted zone for example.com in Route 53 and delegate the domain to its name servers',
    ],
    [
      'only a private zone',
      [{ id: 'ZPRIVATE', name: 'example.com', private: true }],
      'example.com has only a private hosted zone (ZPRIVATE): create a public hosted zone for example.com in Route 53 and delegate the domain to its name servers',
    ],
    [
      'two public zones',
      [
        { id: 'ZONE1', name: 'example.com' },
        { id: 'ZONE2', name: 'example.com' },
      ],
      '2 public hosted zones are named example.com (ZONE1, ZONE2): pick the one the domain is delegated to with --zone-id',
    ],
  ])('refuses in one line naming what to create: %s', async (_case, zones, problem) => {
    withZones(aws, zones);
    expect(await findPublicHostedZone(aws.clients.route53, 'example.com')).toEqual({ problem });
  });

  it('says which call AWS refused', async () => {
    aws.route53.on(ListHostedZonesByNameCommand).rejects(
      Object.assign(new Error('User is not authorized to perform route53:ListHostedZonesByName'), {
        name: 'AccessDenied',
      }),
    );
    expect(await findPublicHostedZone(aws.clients.route53, 'example.com')).toEqual({
      problem:
        'could not read the hosted zones named example.com (AccessDenied: User is not authorized to perform route53:ListHostedZonesByName): allow the read-only call for these credentials, or try again',
    });
  });
});

describe('checking a given hosted zone', () => {
  beforeEach(() =>
    withZones(aws, [
      { id: 'ZPUBLIC', name: 'example.com' },
      { id: 'ZPRIVATE', name: 'example.com', private: true },
      { id: 'ZOTHER', name: 'example.org' },
    ]),
  );

  it('accepts a public zone of the domain', async () => {
    expect(await hostedZoneProblem(aws.clients.route53, 'ZPUBLIC', 'example.com')).toBeUndefined();
    expect(aws.route53.commandCalls(GetHostedZoneCommand)[0]!.args[0].input).toEqual({ Id: 'ZPUBLIC' });
  });

  it.each([
    [
      'ZMISSING',
      'hosted zone ZMISSING does not exist in this account: create a public hosted zone for example.com and set hostedZoneId to its id',
    ],
    [
      'ZPRIVATE',
      'hosted zone ZPRIVATE (example.com) is private, so the internet cannot resolve its records: create a public hosted zone for example.com and set hostedZoneId to its id',
    ],
    [
      'ZOTHER',
      'hosted zone ZOTHER is for example.org, not example.com: set hostedZoneId to the public hosted zone of example.com',
    ],
  ])('refuses %s in one line', async (zoneId, problem) => {
    expect(await hostedZoneProblem(aws.clients.route53, zoneId, 'example.com')).toBe(problem);
  });

  it('names the setting the id came from', async () => {
    expect(await hostedZoneProblem(aws.clients.route53, 'ZOTHER', 'example.com', '--zone-id')).toMatch(
      /set --zone-id to the public hosted zone of example.com$/,
    );
  });
});
