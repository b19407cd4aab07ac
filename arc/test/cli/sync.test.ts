import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  type Output,
  type Stack,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import { GetHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import {
  DescribeClusterCommand,
  Route53RecoveryControlConfigClient,
} from '@aws-sdk/client-route53-recovery-control-config';
import { mockClient } from 'aws-sdk-client-mock';
import { loadTopology, outputKeys, type Service } from '@arc-failover/shared';
import { arcResources, arcStackOutputs, CLUSTER } from '@arc-failover/testing';
import { readBookmark } from '../../src/bookmark';
import { sync } from '../../src/cli/sync';
import { CliError } from '../../src/cli/errors';
import { Output as CliOutput } from '../../src/cli/output';
import { bookmarkFromStack, SyncError, syncClients } from '../../src/sync/bookmark-from-stack';

const topology = loadTopology('prod');
const ENDPOINTS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'ap-southeast-2'].map(
  (region) => ({
    Region: region,
    Endpoint: `https://host-${region}.route53-recovery-cluster.${region}.amazonaws.com/v1`,
  }),
);
const stackOutputs = arcStackOutputs;

/** API Gateway's Regional hosted zones of the topology's two Regions (shared/src/apigateway-zones.ts). */
const API_GATEWAY_ZONES: Record<string, string> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8',
  'us-west-2': 'Z2OJLYMUO9EFXC',
};
const apiId = (api: Service, region: string) => `${api.name}${region}`.replace(/[^a-z0-9]/g, '');
const apiUrl = (api: Service, region: string) =>
  `https://${apiId(api, region)}.execute-api.${region}.amazonaws.com`;
const domainTarget = (api: Service, region: string) =>
  `d-${apiId(api, region)}.execute-api.${region}.amazonaws.com`;
const apiStackName = (api: Service) => `arc-failover-${api.name}-prod`;

/** The outputs osls and serverless-domain-manager (apiType http) give an API's stack in a Region. */
function apiStackOutputs(api: Service, region: string): Output[] {
  return [
    { OutputKey: 'HttpApiId', OutputValue: apiId(api, region) },
    { OutputKey: 'HttpApiUrl', OutputValue: apiUrl(api, region) },
    { OutputKey: 'DomainNameHttp', OutputValue: api.hostname },
    { OutputKey: 'DistributionDomainNameHttp', OutputValue: domainTarget(api, region) },
    { OutputKey: 'HostedZoneIdHttp', OutputValue: API_GATEWAY_ZONES[region] },
  ];
}

const NAME_SERVERS = [
  'ns-1.awsdns-01.com',
  'ns-512.awsdns-02.net',
  'ns-1024.awsdns-03.org',
  'ns-1536.awsdns-04.co.uk',
];

const cloudFormation = mockClient(CloudFormationClient);
// The control-config client is pinned to 3.332.0, whose types predate the mock's; the runtime is the same.
const controlConfig = mockClient(
  Route53RecoveryControlConfigClient as unknown as typeof CloudFormationClient,
);
const route53 = mockClient(Route53Client);

/** The deployed stacks by `<region>/<stack name>`: what DescribeStacks answers with that Region's client. */
let stacks: Map<string, Stack>;

function stack(name: string, outputs: Output[], status: StackStatus = 'UPDATE_COMPLETE'): Stack {
  return { StackName: name, StackStatus: status, Outputs: outputs, CreationTime: new Date() };
}

function deployed(
  outputs = stackOutputs(topology),
  status: StackStatus = 'UPDATE_COMPLETE',
  clusterStatus = 'DEPLOYED',
) {
  stacks = new Map([
    [`${topology.arc.region}/${topology.arc.stackName}`, stack(topology.arc.stackName, outputs, status)],
    ...topology.all.flatMap((api) =>
      api.regions.map(
        (region) =>
          [`${region}/${apiStackName(api)}`, stack(apiStackName(api), apiStackOutputs(api, region))] as const,
      ),
    ),
  ]);
  cloudFormation.on(DescribeStacksCommand).callsFake(async (input: { StackName: string }, getClient) => {
    const region = await getClient().config.region();
    const found = stacks.get(`${region}/${input.StackName}`);
    if (!found) {
      throw Object.assign(new Error(`Stack with id ${input.StackName} does not exist`), {
        name: 'ValidationError',
      });
    }
    return { Stacks: [found] };
  });
  controlConfig.on(DescribeClusterCommand as never, { ClusterArn: CLUSTER }).resolves({
    Cluster: { ClusterArn: CLUSTER, ClusterEndpoints: ENDPOINTS, Status: clusterStatus, Name: 'c' },
  } as never);
  route53.on(GetHostedZoneCommand, { Id: topology.hostedZoneId }).resolves({
    HostedZone: {
      Id: `/hostedzone/${topology.hostedZoneId}`,
      Name: `${topology.domain}.`,
      CallerReference: 'r',
      Config: { PrivateZone: false },
    },
    DelegationSet: { NameServers: NAME_SERVERS },
  });
}

/** Replaces one deployed stack's outputs (or removes the stack, with undefined). */
function redeployed(region: string, name: string, outputs: (old: Output[]) => Output[] | undefined) {
  const key = `${region}/${name}`;
  const next = outputs(stacks.get(key)!.Outputs ?? []);
  if (next) stacks.set(key, { ...stacks.get(key)!, Outputs: next });
  else stacks.delete(key);
}

beforeEach(() => {
  cloudFormation.reset();
  controlConfig.reset();
  route53.reset();
});

describe('the bookmark from the deployed ARC stack', () => {
  it('holds every API with its panel, both routing controls, its safety rule, and the five endpoints', async () => {
    deployed();
    const bookmark = await bookmarkFromStack(
      topology,
      syncClients(topology),
      'tester',
      new Date('2026-02-03T04:05:06Z'),
    );
    expect(bookmark).toEqual({
      version: 2,
      stage: 'prod',
      clusterArn: CLUSTER,
      endpoints: ENDPOINTS.map((e) => ({ region: e.Region, url: e.Endpoint })),
      services: topology.all.map((s) => ({
        name: s.name,
        hostname: s.hostname,
        primaryRegion: s.primaryRegion,
        secondaryRegion: s.secondaryRegion,
        controlPanelArn: arcResources(s).controlPanelArn,
        routingControls: {
          [s.primaryRegion]: arcResources(s).regions[s.primaryRegion]!.routingControlArn,
          [s.secondaryRegion]: arcResources(s).regions[s.secondaryRegion]!.routingControlArn,
        },
        healthPath: '/',
        regions: {
          [s.primaryRegion]: {
            url: apiUrl(s, s.primaryRegion),
            domainTarget: domainTarget(s, s.primaryRegion),
          },
          [s.secondaryRegion]: {
            url: apiUrl(s, s.secondaryRegion),
            domainTarget: domainTarget(s, s.secondaryRegion),
          },
        },
      })),
      safetyRules: topology.all.map((s) => ({
        name: `${s.name}-at-least-one-on`,
        arn: arcResources(s).safetyRuleArn,
        service: s.name,
        kind: 'assertion',
      })),
      nameServers: NAME_SERVERS.map((host) => ({ host, port: 53 })),
      writtenAt: '2026-02-03T04:05:06.000Z',
      writtenBy: 'tester',
    });
    expect(
      cloudFormation.commandCalls(DescribeStacksCommand, { StackName: topology.arc.stackName }),
    ).toHaveLength(1);
    expect(controlConfig.commandCalls(DescribeClusterCommand as never)[0]!.args[0].input).toEqual({
      ClusterArn: CLUSTER,
    });
  });

  it('takes the cluster ARN from the topology when the stack uses an existing cluster', async () => {
    deployed(stackOutputs(topology, { cluster: false }));
    const withCluster = { ...topology, arc: { ...topology.arc, clusterArn: CLUSTER } };
    const bookmark = await bookmarkFromStack(withCluster, syncClients(withCluster), 'tester');
    expect(bookmark.clusterArn).toBe(CLUSTER);
  });

  it('names a missing output', async () => {
    const key = outputKeys.api(topology.all[1]!);
    deployed(stackOutputs(topology).filter((o) => o.OutputKey !== key));
    await expect(bookmarkFromStack(topology, syncClients(topology), 't')).rejects.toThrow(
      `stack arc-failover-arc-prod output ${key} is missing: deploy the ARC stack of the current topology (stage prod) and run sync again`,
    );
  });

  it("refuses an output whose routing control is not in the API's control panel", async () => {
    const [, api] = topology.all;
    const key = outputKeys.api(api!);
    const other = arcResources(topology.all[2]!).regions[topology.all[2]!.primaryRegion]!.routingControlArn;
    deployed(
      stackOutputs(topology).map((o) =>
        o.OutputKey === key
          ? { ...o, OutputValue: o.OutputValue!.replace(/\|[^|]*\/routingcontrol\/[^|]*\|/, `|${other}|`) }
          : o,
      ),
    );
    await expect(bookmarkFromStack(topology, syncClients(topology), 't')).rejects.toThrow(
      `stack arc-failover-arc-prod output ${key} is not this topology's ${api!.name}: "${other}" is not a routing control of its control panel: deploy the ARC stack of the current topology (stage prod) and run sync again`,
    );
  });

  it('says when the stack is not deployed, or not finished', async () => {
    cloudFormation.on(DescribeStacksCommand).rejectsOnce(
      Object.assign(new Error('Stack with id arc-failover-arc-prod does not exist'), {
        name: 'ValidationError',
      }),
    );
    await expect(bookmarkFromStack(topology, syncClients(topology), 't')).rejects.toThrow(
      'the ARC stack arc-failover-arc-prod is not deployed in us-west-2: deploy it (stage prod) first',
    );
    deployed(stackOutputs(topology), 'UPDATE_IN_PROGRESS');
    await expect(bookmarkFromStack(topology, syncClients(topology), 't')).rejects.toThrow(
      'the ARC stack arc-failover-arc-prod is UPDATE_IN_PROGRESS: an operation on it is under way: wait until it ends; then run sync again',
    );
    for (const status of ['ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_FAILED', 'DELETE_FAILED'] as const) {
      deployed(stackOutputs(topology), status);
      await expect(bookmarkFromStack(topology, syncClients(topology), 't')).rejects.toThrow(
        `the ARC stack arc-failover-arc-prod is ${status}: `,
      );
    }
  });

  it('reads a stack that rolled an update back, as the deploy-time step does', async () => {
    deployed(stackOutputs(topology), 'UPDATE_ROLLBACK_COMPLETE');
    await expect(bookmarkFromStack(topology, syncClients(topology), 't')).resolves.toMatchObject({
      clusterArn: CLUSTER,
    });
  });

  it('refuses a cluster that is not deployed yet', async () => {
    deployed(stackOutputs(topology), 'CREATE_COMPLETE', 'PENDING');
    await expect(bookmarkFromStack(topology, syncClients(topology), 't')).rejects.toThrow(
      `cluster ${CLUSTER} is PENDING, not DEPLOYED: wait for it and run sync again`,
    );
  });
});

describe("the bookmark's readiness and proof facts", () => {
  const bookmarked = () => bookmarkFromStack(topology, syncClients(topology), 't');

  it("holds every API's own URL and domain target in both its Regions, its health path, and the zone's name servers", async () => {
    deployed();
    const bookmark = await bookmarked();
    for (const api of topology.all) {
      const service = bookmark.services.find((s) => s.name === api.name)!;
      expect(service.healthPath).toBe(api.healthPath);
      expect(Object.keys(service.regions!).sort()).toEqual([...api.regions].sort());
      for (const region of api.regions) {
        expect(service.regions![region]).toEqual({
          url: apiUrl(api, region),
          domainTarget: domainTarget(api, region),
        });
      }
    }
    expect(bookmark.nameServers).toEqual(NAME_SERVERS.map((host) => ({ host, port: 53 })));
    expect(route53.commandCalls(GetHostedZoneCommand)[0]!.args[0].input).toEqual({
      Id: topology.hostedZoneId,
    });
  });

  it("reads each API's stack with the client of the stack's Region, the ARC Region's being the ARC stack's", async () => {
    deployed();
    const clients = syncClients(topology);
    await bookmarkFromStack(topology, clients, 't');
    const asked = await Promise.all(
      cloudFormation.commandCalls(DescribeStacksCommand).map(async (call) => {
        const client = call.thisValue as CloudFormationClient;
        return `${await client.config.region()}/${call.args[0].input.StackName}`;
      }),
    );
    expect(asked.sort()).toEqual([...stacks.keys()].sort());
    expect(Object.keys(clients.regionalCloudFormation).sort()).toEqual([...topology.regions].sort());
    expect(clients.regionalCloudFormation[topology.arc.region]).toBe(clients.cloudFormation);
  });

  it('reads a health path other than / from the topology', async () => {
    deployed();
    const [entry, ...rest] = topology.all;
    const custom = { ...entry!, healthPath: '/healthz' };
    const withPath = { ...topology, entry: custom, all: [custom, ...rest] };
    const bookmark = await bookmarkFromStack(withPath, syncClients(withPath), 't');
    expect(bookmark.services.map((s) => s.healthPath)).toEqual(['/healthz', ...rest.map(() => '/')]);
  });

  it('only reads: DescribeStacks, DescribeCluster and GetHostedZone, nothing that changes anything', async () => {
    deployed();
    await bookmarked();
    const sent = [...cloudFormation.calls(), ...controlConfig.calls(), ...route53.calls()].map(
      (call) => (call.args[0] as object).constructor.name,
    );
    expect(new Set(sent)).toEqual(
      new Set(['DescribeStacksCommand', 'DescribeClusterCommand', 'GetHostedZoneCommand']),
    );
    expect(sent.filter((name) => !/^(Describe|Get|List)/.test(name))).toEqual([]);
    // the ARC stack and each API's two stacks, once each
    expect(sent.filter((name) => name === 'DescribeStacksCommand')).toHaveLength(1 + 2 * topology.all.length);
  });

  it('names an API stack missing in one Region, and how to deploy it', async () => {
    deployed();
    const api = topology.all[2]!;
    redeployed(api.secondaryRegion, apiStackName(api), () => undefined);
    await expect(bookmarked()).rejects.toThrow(
      new SyncError(
        `the stack arc-failover-${api.name}-prod of ${api.name} is not deployed in ${api.secondaryRegion}: deploy ${api.name} (npm run deploy -w packages/${api.name} -- --stage prod) and run sync again`,
      ),
    );
  });

  it('names an API stack without its URL output, or with a URL of another Region', async () => {
    deployed();
    const api = topology.all[1]!;
    const region = api.primaryRegion;
    redeployed(region, apiStackName(api), (outputs) => outputs.filter((o) => o.OutputKey !== 'HttpApiUrl'));
    await expect(bookmarked()).rejects.toThrow(
      new SyncError(
        `the stack arc-failover-${api.name}-prod in ${region}: it has no output HttpApiUrl (the HTTP API's URL, from osls): deploy it again (npm run deploy -w packages/${api.name} -- --stage prod); then run sync again`,
      ),
    );
    deployed();
    redeployed(region, apiStackName(api), (outputs) =>
      outputs.map((o) =>
        o.OutputKey === 'HttpApiUrl' ? { ...o, OutputValue: apiUrl(api, api.secondaryRegion) } : o,
      ),
    );
    await expect(bookmarked()).rejects.toThrow(
      `the stack arc-failover-${api.name}-prod in ${region}: its output HttpApiUrl is ${apiUrl(api, api.secondaryRegion)}, not an HTTP API URL in ${region}`,
    );
  });

  it('refuses a domain target that is not the Regional d-… name of the Region, as a deploy does', async () => {
    deployed();
    const api = topology.all[0]!;
    const region = api.secondaryRegion;
    redeployed(region, apiStackName(api), (outputs) =>
      outputs.filter((o) => o.OutputKey !== 'DistributionDomainNameHttp'),
    );
    await expect(bookmarked()).rejects.toThrow(
      `the stack arc-failover-${api.name}-prod in ${region}: it has no output DistributionDomainNameHttp (the custom domain's Regional target, from serverless-domain-manager): deploy it again`,
    );
    deployed();
    redeployed(region, apiStackName(api), (outputs) =>
      outputs.map((o) =>
        o.OutputKey === 'DistributionDomainNameHttp' ? { ...o, OutputValue: api.hostname } : o,
      ),
    );
    await expect(bookmarked()).rejects.toThrow(
      `the stack arc-failover-${api.name}-prod in ${region}: the custom domain's target is ${api.hostname}, the custom domain itself`,
    );
  });

  it('refuses an API stack whose last operation is unfinished or failed', async () => {
    deployed();
    const api = topology.all[1]!;
    const key = `${api.primaryRegion}/${apiStackName(api)}`;
    stacks.set(key, { ...stacks.get(key)!, StackStatus: 'UPDATE_IN_PROGRESS' });
    await expect(bookmarked()).rejects.toThrow(
      `the stack arc-failover-${api.name}-prod in ${api.primaryRegion} is UPDATE_IN_PROGRESS: an operation on it is under way: wait until it ends; then run sync again`,
    );
  });

  it('refuses a zone without name servers, a missing zone, and a zone of another domain', async () => {
    const fix = `set hostedZoneId of stage prod to the public hosted zone of ${topology.domain} and run sync again`;
    deployed();
    route53.on(GetHostedZoneCommand).resolves({
      HostedZone: { Id: topology.hostedZoneId, Name: `${topology.domain}.`, CallerReference: 'r' },
      DelegationSet: { NameServers: [] },
    });
    await expect(bookmarked()).rejects.toThrow(
      new SyncError(
        `hosted zone ${topology.hostedZoneId} (${topology.domain}) lists no name servers, and a switch's proof asks them: ${fix}`,
      ),
    );
    route53.on(GetHostedZoneCommand).resolves({
      HostedZone: {
        Id: topology.hostedZoneId,
        Name: `${topology.domain}.`,
        CallerReference: 'r',
        Config: { PrivateZone: true },
      },
    });
    await expect(bookmarked()).rejects.toThrow(
      `hosted zone ${topology.hostedZoneId} (${topology.domain}) lists no name servers (it is private)`,
    );
    route53.on(GetHostedZoneCommand).resolves({
      HostedZone: { Id: topology.hostedZoneId, Name: 'example.org.', CallerReference: 'r' },
      DelegationSet: { NameServers: NAME_SERVERS },
    });
    await expect(bookmarked()).rejects.toThrow(
      `hosted zone ${topology.hostedZoneId} is for example.org, not ${topology.domain}: ${fix}`,
    );
    route53
      .on(GetHostedZoneCommand)
      .rejects(Object.assign(new Error('No hosted zone found'), { name: 'NoSuchHostedZone' }));
    await expect(bookmarked()).rejects.toThrow(`hosted zone ${topology.hostedZoneId} does not exist: ${fix}`);
  });
});

describe('npm run switch -- sync', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'arc-sync-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const options = (file: string) => ({ stage: 'prod', stageGiven: true, json: true, bookmark: file });

  it('writes a bookmark the CLI reads back', async () => {
    deployed();
    const file = path.join(dir, 'prod.json');
    const { bookmark } = await sync(options(file), new CliOutput(true, { write: () => true } as never));
    expect(readBookmark(file)).toEqual(bookmark);
    expect(bookmark.writtenBy).toMatch(/^npm run switch -- sync \(.+@.+\)$/);
  });

  it('says what it bookmarked for readiness and proof', async () => {
    deployed();
    const printed: string[] = [];
    const stdout = { write: (text: string) => printed.push(text) > 0 };
    const file = path.join(dir, 'printed.json');
    await sync({ ...options(file), json: false }, new CliOutput(false, stdout as never));
    expect(printed.join('').split('\n')).toEqual([
      `Wrote ${file}`,
      `  cluster ${CLUSTER}: 5 endpoints (${ENDPOINTS.map((e) => e.Region).join(', ')})`,
      '  3 APIs (external-api, service1, service2), 3 safety rules',
      '  readiness: 3 APIs × 2 Regions (us-east-1, us-west-2); proof: 4 name servers of example.com',
      '',
    ]);
  });

  it('leaves the previous bookmark as it was when an API stack is missing in a Region', async () => {
    deployed();
    const file = path.join(dir, 'kept.json');
    await sync(options(file), new CliOutput(true, { write: () => true } as never));
    const before = readFileSync(file, 'utf8');
    const api = topology.all[1]!;
    redeployed(api.primaryRegion, apiStackName(api), () => undefined);
    await expect(sync(options(file), new CliOutput(true))).rejects.toThrow(
      new CliError(
        `the stack arc-failover-${api.name}-prod of ${api.name} is not deployed in ${api.primaryRegion}: deploy ${api.name} (npm run deploy -w packages/${api.name} -- --stage prod) and run sync again`,
      ),
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('leaves the previous bookmark as it was when the zone lists no name servers', async () => {
    deployed();
    route53.on(GetHostedZoneCommand).resolves({
      HostedZone: { Id: topology.hostedZoneId, Name: `${topology.domain}.`, CallerReference: 'r' },
    });
    const file = path.join(dir, 'untouched.json');
    writeFileSync(file, 'the previous bookmark\n');
    await expect(sync(options(file), new CliOutput(true))).rejects.toThrow(
      /^hosted zone Z0123456789EXAMPLE0AB \(example\.com\) lists no name servers/,
    );
    expect(readFileSync(file, 'utf8')).toBe('the previous bookmark\n');
  });

  it('names the API stack whose read failed, in its Region', async () => {
    deployed();
    const api = topology.all[2]!;
    const fake = cloudFormation.on(DescribeStacksCommand);
    fake.callsFake(async (input: { StackName: string }, getClient) => {
      const region = await getClient().config.region();
      if (input.StackName === apiStackName(api) && region === api.secondaryRegion) {
        throw Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' });
      }
      return { Stacks: [stacks.get(`${region}/${input.StackName}`)!] };
    });
    await expect(sync(options(path.join(dir, 'denied.json')), new CliOutput(true))).rejects.toThrow(
      new CliError(
        `reading the stack arc-failover-${api.name}-prod in ${api.secondaryRegion} failed (AccessDenied): User is not authorized`,
      ),
    );
  });

  it('leaves no file behind when the stack cannot be read', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const file = path.join(dir, 'failed.json');
    await expect(sync(options(file), new CliOutput(true))).rejects.toThrow(
      new CliError('reading the ARC stack arc-failover-arc-prod failed (Throttling): Rate exceeded'),
    );
    expect(() => readFileSync(file)).toThrow(/ENOENT/);
  });
});
