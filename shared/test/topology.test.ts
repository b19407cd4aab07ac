import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findService, loadTopology, parseTopology, roleOf, TopologyError } from '../src/topology';

const valid = () => ({
  project: 'arc-failover',
  entry: { name: 'external-api', primaryRegion: 'us-east-1', secondaryRegion: 'us-west-2' },
  services: [
    { name: 'service1', primaryRegion: 'us-east-1', secondaryRegion: 'us-west-2' },
    { name: 'service2', primaryRegion: 'us-west-2', secondaryRegion: 'us-east-1' },
  ],
  stages: {
    prod: {
      domain: 'example.com',
      hostedZoneId: 'Z0123456789EXAMPLE0AB',
      certificateName: '*.example.com',
      arc: { stackName: 'arc-failover-arc-prod', region: 'us-west-2' },
    },
  },
});

type Doc = ReturnType<typeof valid> & Record<string, unknown>;
const prod = (doc: Doc) => doc.stages.prod as Record<string, unknown>;

function errorOf(mutate: (doc: Doc) => void, stage = 'prod'): string {
  const doc = valid() as Doc;
  mutate(doc);
  try {
    parseTopology(doc, stage);
  } catch (error) {
    expect(error).toBeInstanceOf(TopologyError);
    return (error as Error).message;
  }
  throw new Error('expected a TopologyError');
}

describe('the topology of a stage', () => {
  it('derives host names, roles and the Region set', () => {
    const t = parseTopology(valid(), 'prod');
    expect(t.entry.hostname).toBe('example.com');
    expect(t.services.map((s) => s.hostname)).toEqual(['service1.example.com', 'service2.example.com']);
    expect(t.all.map((s) => s.name)).toEqual(['external-api', 'service1', 'service2']);
    expect(t.regions).toEqual(['us-east-1', 'us-west-2']);
    expect(roleOf(findService(t, 'service2'), 'us-west-2')).toBe('primary');
    expect(roleOf(findService(t, 'service2'), 'us-east-1')).toBe('secondary');
    expect(t.sandbox.recordTtlSeconds).toBe(2);
    expect(t.certificate).toEqual({ name: '*.example.com' });
  });

  it('keeps the approval gate off unless the stage turns it on', () => {
    expect(parseTopology(valid(), 'prod').arc.approvalGate).toBe(false);
    const doc = valid() as Doc;
    prod(doc).arc = { stackName: 'a', region: 'us-west-2', approvalGate: true };
    expect(parseTopology(doc, 'prod').arc.approvalGate).toBe(true);
    expect(loadTopology('local').arc.approvalGate).toBe(false);
  });

  it('takes a service3 from one more entry', () => {
    const doc = valid();
    doc.services.push({ name: 'service3', primaryRegion: 'eu-west-1', secondaryRegion: 'eu-central-1' });
    const t = parseTopology(doc, 'prod');
    expect(findService(t, 'service3').hostname).toBe('service3.example.com');
    expect(t.regions).toEqual(['eu-central-1', 'eu-west-1', 'us-east-1', 'us-west-2']);
  });

  it('reads the repository topology for every stage', () => {
    for (const stage of ['local', 'prod']) expect(loadTopology(stage).stage).toBe(stage);
  });

  it.each([
    [
      'an unknown Region',
      (d: Doc) => (d.services[0]!.primaryRegion = 'us-east-9'),
      /services\[0\]\.primaryRegion: "us-east-9" is not an AWS Region/,
    ],
    [
      'the same Region twice',
      (d: Doc) => (d.services[1]!.secondaryRegion = 'us-west-2'),
      /services\[1\]\.secondaryRegion: same Region as primaryRegion \(us-west-2\)/,
    ],
    ['a missing domain', (d: Doc) => delete prod(d).domain, /stages\.prod\.domain: missing/],
    [
      'a malformed domain',
      (d: Doc) => (prod(d).domain = 'Example..com'),
      /stages\.prod\.domain: "Example\.\.com" is not a lower-case DNS name/,
    ],
    [
      'a duplicate service',
      (d: Doc) => (d.services[1]!.name = 'service1'),
      /services\[1\]\.name: duplicate service "service1" \(already used by services\[0\]\.name\)/,
    ],
    [
      'a service named like the entry',
      (d: Doc) => (d.services[0]!.name = 'external-api'),
      /duplicate service "external-api" \(already used by entry\.name\)/,
    ],
    [
      'a typo in a key',
      (d: Doc) => ((d.services[0] as Record<string, unknown>).primaryRegoin = 'x'),
      /services\[0\]\.primaryRegoin: unknown key/,
    ],
    [
      'an ARC stack outside us-west-2',
      (d: Doc) => (prod(d).arc = { stackName: 'a', region: 'us-east-1' }),
      /stages\.prod\.arc\.region: must be us-west-2/,
    ],
    [
      'a malformed cluster ARN',
      (d: Doc) => (prod(d).arc = { stackName: 'a', region: 'us-west-2', clusterArn: 'cluster-1' }),
      /stages\.prod\.arc\.clusterArn: "cluster-1" is not an ARC cluster ARN/,
    ],
    [
      'an approval gate that is not a boolean',
      (d: Doc) => (prod(d).arc = { stackName: 'a', region: 'us-west-2', approvalGate: 'yes' }),
      /^topology: stages\.prod\.arc\.approvalGate: "yes" is not true or false$/,
    ],
    [
      'a bad hosted zone id',
      (d: Doc) => (prod(d).hostedZoneId = 'example.com'),
      /stages\.prod\.hostedZoneId: "example\.com" is not a Route 53 hosted zone id/,
    ],
    [
      'no certificate',
      (d: Doc) => delete prod(d).certificateName,
      /stages\.prod\.certificateName: give exactly one of/,
    ],
    [
      'a certificate missing for a Region',
      (d: Doc) => {
        delete prod(d).certificateName;
        prod(d).certificateArns = { 'us-east-1': 'arn:aws:acm:us-east-1:123456789012:certificate/abc' };
      },
      /stages\.prod\.certificateArns\.us-west-2: missing/,
    ],
    [
      'a certificate from another Region',
      (d: Doc) => {
        delete prod(d).certificateName;
        prod(d).certificateArns = {
          'us-east-1': 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
          'us-west-2': 'arn:aws:acm:us-east-1:123456789012:certificate/def',
        };
      },
      /stages\.prod\.certificateArns\.us-west-2: the certificate is in us-east-1/,
    ],
    ['no services', (d: Doc) => (d.services = []), /services: must be a non-empty list/],
    [
      'a negative sandbox TTL',
      (d: Doc) => (prod(d).sandbox = { recordTtlSeconds: -1 }),
      /stages\.prod\.sandbox\.recordTtlSeconds: -1 is not a whole number/,
    ],
  ])('rejects %s with one line naming the key', (_case, mutate, expected) => {
    const message = errorOf(mutate);
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });

  it('validates every stage, not only the one asked for', () => {
    const message = errorOf((d) => {
      (d.stages as Record<string, unknown>).dev = { ...prod(d), hostedZoneId: 'example.com' };
    });
    expect(message).toBe(
      'topology: stages.dev.hostedZoneId: "example.com" is not a Route 53 hosted zone id such as Z0123456789ABC',
    );
    expect(
      errorOf((d) => {
        (d.stages as Record<string, unknown>)['Dev_1'] = prod(d);
      }),
    ).toBe(
      'topology: stages.Dev_1: "Dev_1" is not a valid stage name (lower-case letters, digits and dashes, 2 to 32 long)',
    );
  });

  it.each(['status', 'sync', 'runbook', 'approve', 'revoke', 'stage', 'help'])(
    'refuses an API named %s, a command of the switch CLI',
    (name) => {
      expect(errorOf((d) => (d.services[1]!.name = name))).toBe(
        `topology: services[1].name: "${name}" is a command of npm run switch (reserved: status, sync, runbook, approve, revoke, stage, help): pick another name`,
      );
      expect(errorOf((d) => (d.entry.name = name))).toMatch(/^topology: entry\.name: ".+" is a command/);
    },
  );

  it('rejects an unknown stage, listing the known ones', () => {
    expect(errorOf(() => undefined, 'staging')).toBe('topology: stages.staging: unknown stage (known: prod)');
  });

  it('says which file is unreadable or not JSON', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'topology-'));
    const file = path.join(dir, 'topology.json');
    expect(() => loadTopology('prod', file)).toThrow(`${file}: cannot read the topology file`);
    writeFileSync(file, '{ "project": ');
    expect(() => loadTopology('prod', file)).toThrow(new RegExp(`^${file}: not valid JSON`));
  });

  it('names the Regions of a service when asked for another', () => {
    const t = parseTopology(valid(), 'prod');
    expect(() => roleOf(findService(t, 'service1'), 'eu-west-1')).toThrow(
      'service1 does not run in eu-west-1 (its Regions: us-east-1 primary, us-west-2 secondary)',
    );
    expect(() => findService(t, 'service9')).toThrow(
      'unknown service "service9" (known: external-api, service1, service2)',
    );
  });
});

describe('the failover record option of a stage', () => {
  const withRecords = (records: unknown) => {
    const doc = valid() as Doc;
    prod(doc).records = records;
    return parseTopology(doc, 'prod');
  };

  it('defaults to alias records, as the design', () => {
    expect(parseTopology(valid(), 'prod').records).toEqual({ type: 'alias' });
    expect(withRecords({ type: 'alias' }).records).toEqual({ type: 'alias' });
  });

  it('takes cname records with their TTL', () => {
    expect(withRecords({ type: 'cname', ttlSeconds: 60 }).records).toEqual({ type: 'cname', ttlSeconds: 60 });
    expect(withRecords({ type: 'cname', ttlSeconds: 0 }).records).toEqual({ type: 'cname', ttlSeconds: 0 });
  });

  it.each([
    ['an unknown type', { type: 'a' }, /^topology: stages\.prod\.records\.type: "a" is not alias or cname$/],
    ['a cname without TTL', { type: 'cname' }, /^topology: stages\.prod\.records\.ttlSeconds: missing: /],
    [
      'a fractional TTL',
      { type: 'cname', ttlSeconds: 1.5 },
      /records\.ttlSeconds: 1.5 is not a whole number/,
    ],
    ['a negative TTL', { type: 'cname', ttlSeconds: -1 }, /records\.ttlSeconds: -1 is not a whole number/],
    [
      "a TTL over Route 53's",
      { type: 'cname', ttlSeconds: 2147483648 },
      /records\.ttlSeconds: 2147483648 is not/,
    ],
    [
      'a TTL on an alias',
      { type: 'alias', ttlSeconds: 5 },
      /records\.ttlSeconds: an alias record has no TTL/,
    ],
    ['an unknown key', { type: 'cname', ttlSeconds: 5, ttl: 5 }, /stages\.prod\.records\.ttl: unknown key/],
    ['not an object', 'cname', /stages\.prod\.records: must be an object/],
  ])('refuses %s with one line naming the key', (_what, records, message) => {
    const error = errorOf((d) => (prod(d).records = records));
    expect(error).toMatch(message);
    expect(error).not.toContain('\n');
  });
});
