import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeClusterCommand,
  Route53RecoveryControlConfigClient,
} from '@aws-sdk/client-route53-recovery-control-config';
import { mockClient } from 'aws-sdk-client-mock';
import { loadTopology, outputKeys } from '@arc-failover/shared';
import { arcResources, arcStackOutputs, CLUSTER } from '@arc-failover/testing';
import { readBookmark } from '../../src/bookmark';
import { sync } from '../../src/cli/sync';
import { CliError } from '../../src/cli/errors';
import { Output as CliOutput } from '../../src/cli/output';
import { bookmarkFromStack, syncClients } from '../../src/sync/bookmark-from-stack';

const topology = loadTopology('prod');
const ENDPOINTS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'ap-southeast-2'].map(
  (region) => ({
    Region: region,
    Endpoint: `https://host-${region}.route53-recovery-cluster.${region}.amazonaws.com/v1`,
  }),
);
const stackOutputs = arcStackOutputs;

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
        controlPanelArn: arcResources(s).controlPanelArn,
        routingControls: {
          [s.primaryRegion]: arcResources(s).regions[s.primaryRegion]!.routingControlArn,
          [s.secondaryRegion]: arcResources(s).regions[s.secondaryRegion]!.routingControlArn,
        },
      })),
      safetyRules: topology.all.map((s) => ({
        name: `${s.name}-at-least-one-on`,
        arn: arcResources(s).safetyRuleArn,
        service: s.name,
        kind: 'assertion',
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
