import { CloudFormationSchema, generatedTopology } from '@arc-failover/testing';
import { parseTopology, type Topology } from '../../src/topology';
import { failoverRecord } from '../../src/serverless/failover-record';

// The failover record in each mode, checked against the CloudFormation resource schema.
const target = { dnsName: 'd-abc123.execute-api.us-west-2.amazonaws.com', hostedZoneId: 'Z2OJLYMUO9EFXC' };
const schema = CloudFormationSchema.load();

function topology(records?: unknown): Topology {
  const doc = generatedTopology(1);
  if (records) Object.assign(doc.stages.prod!, { records });
  return parseTopology(doc, 'prod');
}

function record(t: Topology, name: string) {
  const api = t.all.find((a) => a.name === name)!;
  return failoverRecord({
    topology: t,
    api,
    region: 'us-west-2',
    role: 'secondary',
    target,
    healthCheckId: 'hc-1',
  });
}

const valid = (resource: unknown) => schema.validate({ Resources: { FailoverAliasRecord: resource } });

describe('the failover record', () => {
  it('is an alias A record to the Regional target by default, with no TTL of its own', () => {
    const resource = record(topology(), 'service1');
    expect(resource.Properties).toEqual({
      HostedZoneId: 'Z0123456789EXAMPLE0AB',
      Name: 'service1.example.com',
      Type: 'A',
      SetIdentifier: 'service1-us-west-2',
      Failover: 'SECONDARY',
      HealthCheckId: 'hc-1',
      AliasTarget: {
        DNSName: target.dnsName,
        HostedZoneId: target.hostedZoneId,
        EvaluateTargetHealth: false,
      },
    });
    expect(valid(resource)).toEqual([]);
  });

  it('is a CNAME failover record with the stage TTL in cname mode', () => {
    const resource = record(topology({ type: 'cname', ttlSeconds: 30 }), 'service1');
    expect(resource.Properties).toEqual({
      HostedZoneId: 'Z0123456789EXAMPLE0AB',
      Name: 'service1.example.com',
      Type: 'CNAME',
      TTL: '30',
      ResourceRecords: [target.dnsName],
      SetIdentifier: 'service1-us-west-2',
      Failover: 'SECONDARY',
      HealthCheckId: 'hc-1',
    });
    expect(valid(resource)).toEqual([]);
  });

  it('keeps the apex (the entry API) an alias in cname mode: an apex cannot be a CNAME', () => {
    const resource = record(topology({ type: 'cname', ttlSeconds: 30 }), 'external-api');
    expect(resource.Properties).toMatchObject({ Name: 'example.com', Type: 'A' });
    expect(resource.Properties).not.toHaveProperty('TTL');
    expect(valid(resource)).toEqual([]);
  });
});
