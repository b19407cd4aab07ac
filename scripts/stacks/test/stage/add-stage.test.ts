import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListHostedZonesByNameCommand } from '@aws-sdk/client-route-53';
import { DEFAULT_TOPOLOGY_FILE, loadTopology, TopologyError } from '@arc-failover/shared';
import { PreflightError } from '@arc-failover/shared/preflight';
import {
  certificateArn,
  clusterArn,
  fakeAws,
  withCertificates,
  withClusters,
  withZones,
  type FakeCertificate,
} from '@arc-failover/testing';
import { addStage } from '../../src/stage/add-stage';
import { parseStageArgs, type StageAddOptions } from '../../src/stage/args';

const NOW = new Date('2026-12-01T12:00:00Z');
const inDays = (days: number) => new Date(NOW.getTime() + days * 86_400_000);
const REGIONS = ['us-east-1', 'us-west-2'];
const ZONE = 'Z07ACMEDEV0000000000';
const CLUSTER = clusterArn('shared-cluster');
const good = (region: string): FakeCertificate => ({
  arn: certificateArn(region, `acme-${region}`),
  domainName: 'acme.dev',
  alternativeNames: ['*.acme.dev'],
  notAfter: inDays(300),
});

const aws = fakeAws(REGIONS);
afterAll(() => aws.restore());

let dir: string;
let file: string;
let original: string;
const savedEnv = process.env.ARC_FAILOVER_TOPOLOGY;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'arc-failover-stage-'));
  file = path.join(dir, 'topology.json');
  copyFileSync(DEFAULT_TOPOLOGY_FILE, file);
  original = readFileSync(file, 'utf8');
  process.env.ARC_FAILOVER_TOPOLOGY = file;
  aws.route53.reset();
  REGIONS.forEach((r) => aws.acm(r).reset());
  aws.controlConfig.reset();
  withZones(aws, [
    { id: 'ZOTHERPRIVATE', name: 'acme.dev', private: true },
    { id: ZONE, name: 'acme.dev' },
    { id: 'ZEXAMPLE', name: 'example.com' },
  ]);
  REGIONS.forEach((r) => withCertificates(aws, r, [good(r)]));
  withClusters(aws, { [CLUSTER]: 'DEPLOYED' });
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (savedEnv === undefined) delete process.env.ARC_FAILOVER_TOPOLOGY;
  else process.env.ARC_FAILOVER_TOPOLOGY = savedEnv;
});

/** The command's main function as `npm run stage -- <argv>` runs it, with the mocked clients. */
const run = (argv: string[]) =>
  addStage(parseStageArgs(argv) as StageAddOptions, { clients: aws.clients, now: NOW });
const failure = (argv: string[]) =>
  run(argv).then(
    () => Promise.reject(new Error('expected a refusal')),
    (e: Error) => e,
  );
const text = () => readFileSync(file, 'utf8');
/** The text of `"<stage>": {...}` as it stands in the file. */
const stageText = (t: string, stage: string) => {
  const start = t.indexOf(`    "${stage}": {`);
  return t.slice(start, t.indexOf('\n    }', start) + 6);
};

describe('npm run stage -- add', () => {
  it('writes the stage it found, the other stages byte for byte as they were, and the topology validates', async () => {
    const lines = await run(['add', 'dev', '--domain', 'acme.dev']);

    const after = text();
    expect(stageText(after, 'local')).toBe(stageText(original, 'local'));
    expect(stageText(after, 'prod')).toBe(stageText(original, 'prod'));
    expect(after.slice(0, after.indexOf('    "dev"'))).toBe(
      original.slice(0, original.lastIndexOf('\n  }')) + ',\n',
    );
    expect(stageText(after, 'dev')).toBe(
      [
        '    "dev": {',
        '      "domain": "acme.dev",',
        `      "hostedZoneId": "${ZONE}",`,
        '      "certificateArns": {',
        `        "us-east-1": "${certificateArn('us-east-1', 'acme-us-east-1')}",`,
        `        "us-west-2": "${certificateArn('us-west-2', 'acme-us-west-2')}"`,
        '      },',
        '      "arc": { "stackName": "arc-failover-arc-dev", "region": "us-west-2" }',
        '    }',
      ].join('\n'),
    );
    const dev = loadTopology('dev');
    expect(dev.hostedZoneId).toBe(ZONE);
    expect(dev.all.map((api) => api.hostname)).toEqual([
      'acme.dev',
      'service1.acme.dev',
      'service2.acme.dev',
    ]);
    expect(loadTopology('prod')).toEqual(loadTopology('prod', DEFAULT_TOPOLOGY_FILE));
    expect(readdirSync(dir)).toEqual(['topology.json']);
    expect(lines).toEqual([
      `added stage dev in ${file}:`,
      `  hosted zone ${ZONE} (public, acme.dev)`,
      `  certificate in us-east-1: ${certificateArn('us-east-1', 'acme-us-east-1')}`,
      `  certificate in us-west-2: ${certificateArn('us-west-2', 'acme-us-west-2')}`,
      '  ARC stack arc-failover-arc-dev in us-west-2, creating its own cluster (about $2.50/hour; 2 per account)',
      'next: npm run deploy -- --stage dev',
    ]);
  });

  it('with --zone-id and --cluster-arn checks them instead of searching, and writes the cluster', async () => {
    await run(['add', 'dev', '--domain', 'acme.dev', '--zone-id', ZONE, '--cluster-arn', CLUSTER]);
    expect(aws.route53.commandCalls(ListHostedZonesByNameCommand)).toHaveLength(0);
    expect(loadTopology('dev').arc).toEqual({
      stackName: 'arc-failover-arc-dev',
      region: 'us-west-2',
      clusterArn: CLUSTER,
      approvalGate: false,
    });
  });

  it('refuses to overwrite an existing stage, asking AWS nothing; --force replaces it and keeps its other keys', async () => {
    const refused = await failure(['add', 'local', '--domain', 'acme.dev']);
    expect(refused).toBeInstanceOf(TopologyError);
    expect(refused.message).toBe('topology.json: stages.local: already exists: pass --force to replace it');
    expect(aws.route53.calls()).toHaveLength(0);
    expect(text()).toBe(original);

    await run(['add', 'local', '--domain', 'acme.dev', '--force']);
    const local = loadTopology('local');
    expect(local.domain).toBe('acme.dev');
    expect(local.sandbox).toEqual({ recordTtlSeconds: 2 });
    expect(local.arc.stackName).toBe('arc-failover-arc-local');
    expect(stageText(text(), 'prod')).toBe(stageText(original, 'prod'));
  });

  describe('refuses in one line naming what to create, writing nothing, when', () => {
    const ADVICE = (region: string) => `request an ACM certificate in ${region} for acme.dev and *.acme.dev`;
    it.each<[string, () => void, string[], string]>([
      [
        'there is no hosted zone for the domain',
        () => withZones(aws, [{ id: 'ZEXAMPLE', name: 'example.com' }]),
        [],
        'no public hosted zone named acme.dev in this account: create a public hosted zone for acme.dev in Route 53 and delegate the domain to its name servers',
      ],
      [
        'there is only a private zone',
        () => withZones(aws, [{ id: 'ZPRIV', name: 'acme.dev', private: true }]),
        [],
        'acme.dev has only a private hosted zone (ZPRIV): create a public hosted zone for acme.dev in Route 53 and delegate the domain to its name servers',
      ],
      [
        '--zone-id names a private zone',
        () => withZones(aws, [{ id: 'ZPRIV', name: 'acme.dev', private: true }]),
        ['--zone-id', 'ZPRIV'],
        'hosted zone ZPRIV (acme.dev) is private, so the internet cannot resolve its records: create a public hosted zone for acme.dev and set --zone-id to its id',
      ],
      [
        '--zone-id names a zone of another domain',
        () => {},
        ['--zone-id', 'ZEXAMPLE'],
        'hosted zone ZEXAMPLE is for example.com, not acme.dev: set --zone-id to the public hosted zone of acme.dev',
      ],
      [
        "a Region's only certificate is a wildcard, which does not cover the apex",
        () =>
          withCertificates(aws, 'us-west-2', [
            { ...good('us-west-2'), domainName: '*.acme.dev', alternativeNames: [] },
          ]),
        [],
        `no ISSUED ACM certificate in us-west-2 covers every API hostname (the closest, ${certificateArn('us-west-2', 'acme-us-west-2')}, leaves out acme.dev): ${ADVICE('us-west-2')}`,
      ],
      [
        "a Region's certificate is a wildcard one level too deep",
        () =>
          withCertificates(aws, 'us-east-1', [
            { ...good('us-east-1'), alternativeNames: ['*.api.acme.dev'] },
          ]),
        [],
        `no ISSUED ACM certificate in us-east-1 covers every API hostname (the closest, ${certificateArn('us-east-1', 'acme-us-east-1')}, leaves out service1.acme.dev, service2.acme.dev): ${ADVICE('us-east-1')}`,
      ],
      [
        "a Region's covering certificate is still PENDING_VALIDATION",
        () => withCertificates(aws, 'us-west-2', [{ ...good('us-west-2'), status: 'PENDING_VALIDATION' }]),
        [],
        `there is no ISSUED ACM certificate in us-west-2: ${ADVICE('us-west-2')}`,
      ],
      [
        "a Region's covering certificate expires in 10 days",
        () => withCertificates(aws, 'us-east-1', [{ ...good('us-east-1'), notAfter: inDays(10) }]),
        [],
        `certificate ${certificateArn('us-east-1', 'acme-us-east-1')} expires on 2026-12-11 (in 10 days, under 14): renew it (check its validation records) or ${ADVICE('us-east-1')}`,
      ],
      [
        'one Region has no certificate at all',
        () => withCertificates(aws, 'us-west-2', []),
        [],
        `there is no ISSUED ACM certificate in us-west-2: ${ADVICE('us-west-2')}`,
      ],
      [
        'the --cluster-arn cluster is PENDING',
        () => withClusters(aws, { [CLUSTER]: 'PENDING' }),
        ['--cluster-arn', CLUSTER],
        `ARC cluster ${CLUSTER} is PENDING, not DEPLOYED: wait until it is DEPLOYED and try again`,
      ],
      [
        'the --cluster-arn cluster does not exist',
        () => withClusters(aws, {}),
        ['--cluster-arn', CLUSTER],
        `ARC cluster ${CLUSTER} does not exist: create it (about $2.50/hour), set --cluster-arn to an existing one, or leave --cluster-arn out so the ARC stack creates one`,
      ],
    ])('%s', async (_case, arrange, flags, message) => {
      arrange();
      const error = await failure(['add', 'dev', '--domain', 'acme.dev', ...flags]);
      expect(error).toBeInstanceOf(PreflightError);
      expect(error.message).toBe(message);
      expect(text()).toBe(original);
      expect(readdirSync(dir)).toEqual(['topology.json']);
    });

    it('several things are missing: the first is the error, the others also: lines', async () => {
      withZones(aws, []);
      withCertificates(aws, 'us-east-1', []);
      const error = await failure(['add', 'dev', '--domain', 'acme.dev']);
      expect(error.message.split('\n')).toEqual([
        expect.stringMatching(/^no public hosted zone named acme.dev/),
        `also: there is no ISSUED ACM certificate in us-east-1: ${ADVICE('us-east-1')}`,
      ]);
    });
  });
});
