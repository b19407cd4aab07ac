import { CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import {
  DescribeClusterCommand,
  Route53RecoveryControlConfigClient,
} from '@aws-sdk/client-route53-recovery-control-config';
import {
  describeArcStack,
  outputsOf,
  CLUSTER_ARN_OUTPUT,
  outputKeys,
  safetyRuleName,
  type Topology,
} from '@arc-failover/shared';
import type { Bookmark } from '../bookmark';

export class SyncError extends Error {
  override name = 'SyncError';
}

export interface SyncClients {
  cloudFormation: CloudFormationClient;
  controlConfig: Route53RecoveryControlConfigClient;
}

/** Stack states whose outputs describe resources that exist. */
const USABLE_STACK_STATUSES = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
]);

/** Both control-plane clients in the ARC control-plane Region, with the default credential chain. */
export function syncClients(topology: Topology): SyncClients {
  return {
    cloudFormation: new CloudFormationClient({ region: topology.arc.region }),
    controlConfig: new Route53RecoveryControlConfigClient({ region: topology.arc.region }),
  };
}

/**
 * Peacetime: everything a switchover needs, read from the deployed ARC stack's outputs and the
 * cluster's description (both control-plane calls, us-west-2 only), so no such call is needed later.
 */
export async function bookmarkFromStack(
  topology: Topology,
  clients: SyncClients,
  writtenBy: string,
  now = new Date(),
): Promise<Bookmark> {
  const stack = await describeStack(topology, clients.cloudFormation);
  const outputs = outputsOf(stack);
  const output = (key: string) => {
    const value = outputs.get(key);
    if (!value) {
      throw new SyncError(
        `stack ${topology.arc.stackName} has no output ${key}: deploy the ARC stack of the current topology (stage ${topology.stage}) and run sync again`,
      );
    }
    return value;
  };

  const clusterArn = outputs.get(CLUSTER_ARN_OUTPUT) ?? topology.arc.clusterArn ?? output(CLUSTER_ARN_OUTPUT);
  const { Cluster: cluster } = await clients.controlConfig.send(
    new DescribeClusterCommand({ ClusterArn: clusterArn }),
  );
  if (cluster?.Status !== 'DEPLOYED') {
    throw new SyncError(
      `cluster ${clusterArn} is ${cluster?.Status ?? 'not described'}, not DEPLOYED: wait for it and run sync again`,
    );
  }
  const endpoints = (cluster.ClusterEndpoints ?? []).map((e) => ({
    region: e.Region ?? '',
    url: e.Endpoint ?? '',
  }));
  if (endpoints.length === 0 || endpoints.some((e) => !e.region || !/^https:\/\//.test(e.url))) {
    throw new SyncError(`cluster ${clusterArn} lists no usable endpoints: ${JSON.stringify(endpoints)}`);
  }

  return {
    version: 1,
    stage: topology.stage,
    clusterArn,
    endpoints,
    services: topology.all.map((service) => ({
      name: service.name,
      hostname: service.hostname,
      primaryRegion: service.primaryRegion,
      secondaryRegion: service.secondaryRegion,
      controlPanelArn: output(outputKeys.controlPanelArn(service)),
      routingControls: Object.fromEntries(
        service.regions.map((region) => [region, output(outputKeys.routingControlArn(service, region))]),
      ),
    })),
    safetyRules: topology.all.map((service) => ({
      name: safetyRuleName(service),
      arn: output(outputKeys.safetyRuleArn(service)),
      service: service.name,
    })),
    writtenAt: now.toISOString(),
    writtenBy,
  };
}

async function describeStack(topology: Topology, cloudFormation: CloudFormationClient): Promise<Stack> {
  const { stackName, region } = topology.arc;
  const stack = await describeArcStack(cloudFormation, topology);
  if (!stack) {
    throw new SyncError(
      `the ARC stack ${stackName} is not deployed in ${region}: deploy it (stage ${topology.stage}) first`,
    );
  }
  if (!USABLE_STACK_STATUSES.has(stack.StackStatus ?? '')) {
    throw new SyncError(
      `the ARC stack ${stackName} is ${stack.StackStatus}: wait until it is complete (or fix it) and run sync again`,
    );
  }
  return stack;
}
