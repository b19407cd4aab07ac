import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  type Output,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeClusterCommand,
  Route53RecoveryControlConfigClient,
} from '@aws-sdk/client-route53-recovery-control-config';
import { mockClient } from 'aws-sdk-client-mock';
import { loadTopology, type Topology, CLUSTER_ARN_OUTPUT, outputKeys } from '@arc-failover/shared';
import { readBookmark } from '../../src/bookmark';
import { sync } from '../../src/cli/sync';
import { CliError } from '../../src/cli/errors';
import { Output as CliOutput } from '../../src/cli/output';
import { bookmarkFromStack, syncClients } from '../../src/sync/bookmark-from-stack';

const topology = loadTopology('prod');
const ACCOUNT = '123456789012';
const CLUSTER = `arn:aws:route53-recovery-control::${ACCOUNT}:cluster/abcd-1234`;
const panel = (api: string) => `arn:aws:route53-recovery-control::${ACCOUNT}:controlpanel/${api}-panel`;
const ENDPOINTS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'ap-southeast-2'].map(
  (region) => ({
    Region: region,
    Endpoint: `https://host-${region}.route53-recovery-cluster.${region}.amazonaws.com/v1`,
  }),
);

/** The outputs the ARC stack of `t` declares, with recognisable ARNs. */
function stackOutputs(t: Topology): Output[] {
  return [
    { OutputKey: CLUSTER_ARN_OUTPUT, OutputValue: CLUSTER },
    ...t.all.flatMap((s) => [
      { OutputKey: outputKeys.controlPanelArn(s), OutputValue: panel(s.name) },
      { OutputKey: outputKeys.safetyRuleArn(s), OutputValue: `${panel(s.name)}/safetyrule/${s.name}-rule` },
      { OutputKey: outputKeys.healthCheckId(s, s.primaryRegion), OutputValue: 'not-needed' },
      ...s.regions.map((r) => ({
        OutputKey: outputKeys.routingControlArn(s, r),
        OutputValue: `${panel(s.name)}/routingcontrol/${s.name}-${r}`,
      })),
    ]),
  ];
}

const cloudFormation = mockClient(CloudFormationClient);
// The control-config client is pinned to 3.332.0, whose types predate the mock's; the runtime is the same.
const controlConfig = mockClient(
  Route53RecoveryControlConfigClient as unknown as typeof CloudFormationClient,
);

function deployed(
  outputs = stackOutputs(topology),
  status: StackStatus = 'UPDATE_COMPLETE',
  clusterStatus = 'DEPLOYED',
) {
  cloudFormation.on(DescribeStacksCommand, { StackName: topology.arc.stackName }).resolves({
    Stacks: [
      {
        StackName: topology.arc.stackName,
        StackStatus: status,
        Outputs: outputs,
        CreationTime: new Date(),
      },
    ],
  });
  controlConfig.on(DescribeClusterCommand as never, { ClusterArn: CLUSTER }).resolves({
    Cluster: { ClusterArn: CLUSTER, ClusterEndpoints: ENDPOINTS, Status: clusterStatus, Name: 'c' },
  } as never);
}

beforeEach(() => {
  cloudFormation.reset();
  controlConfig.reset();
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
      version: 1,
      stage: 'prod',
      clusterArn: CLUSTER,
      endpoints: ENDPOINTS.map((e) => ({ region: e.Region, url: e.Endpoint })),
      services: topology.all.map((s) => ({
        name: s.name,
        hostname: s.hostname,
        primaryRegion: s.primaryRegion,
        secondaryRegion: s.secondaryRegion,
        controlPanelArn: panel(s.name),
        routingControls: {
          [s.primaryRegion]: `${panel(s.name)}/routingcontrol/${s.name}-${s.primaryRegion}`,
          [s.secondaryRegion]: `${panel(s.name)}/routingcontrol/${s.name}-${s.secondaryRegion}`,
        },
      })),
      safetyRules: topology.all.map((s) => ({
        name: `${s.name}-at-least-one-on`,
        arn: `${panel(s.name)}/safetyrule/${s.name}-rule`,
        service: s.name,
      })),
      writtenAt: '2026-02-03T04:05:06.000Z',
      writtenBy: 'tester',
    });
    expect(cloudFormation.commandCalls(DescribeStacksCommand)).toHaveLength(1);
    expect(controlConfig.commandCalls(DescribeClusterCommand as never)[0]!.args[0].input).toEqual({
      ClusterArn: CLUSTER,
    });
  });

  it('takes the cluster ARN from the topology when the stack uses an existing cluster', async () => {
    deployed(stackOutputs(topology).filter((o) => o.OutputKey !== CLUSTER_ARN_OUTPUT));
    const withCluster = { ...topology, arc: { ...topology.arc, clusterArn: CLUSTER } };
    const bookmark = await bookmarkFromStack(withCluster, syncClients(withCluster), 'tester');
    expect(bookmark.clusterArn).toBe(CLUSTER);
  });

  it('names a missing output', async () => {
    const key = outputKeys.routingControlArn(topology.all[1]!, topology.all[1]!.secondaryRegion);
    deployed(stackOutputs(topology).filter((o) => o.OutputKey !== key));
    await expect(bookmarkFromStack(topology, syncClients(topology), 't')).rejects.toThrow(
      `stack arc-failover-arc-prod has no output ${key}: deploy the ARC stack of the current topology (stage prod) and run sync again`,
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
      'the ARC stack arc-failover-arc-prod is UPDATE_IN_PROGRESS: wait until it is complete (or fix it) and run sync again',
    );
  });

  it('refuses a cluster that is not deployed yet', async () => {
    deployed(stackOutputs(topology), 'CREATE_COMPLETE', 'PENDING');
    await expect(bookmarkFromStack(topology, syncClients(topology), 't')).rejects.toThrow(
      `cluster ${CLUSTER} is PENDING, not DEPLOYED: wait for it and run sync again`,
    );
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
