import { CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import {
  DescribeClusterCommand,
  Route53RecoveryControlConfigClient,
} from '@aws-sdk/client-route53-recovery-control-config';
import {
  apiResourcesOf,
  deployArcCommand,
  describeArcStack,
  outputsOf,
} from '@arc-failover/shared/arc-stack';
import {
  ApiOutputError,
  CLUSTER_ARN_OUTPUT,
  gatingRuleName,
  outputKeys,
  safetyRuleName,
  unusableStackFix,
  type ApiArcResources,
  type Topology,
} from '@arc-failover/shared';
import { bookmarkService, type Bookmark } from '../bookmark';

export class SyncError extends Error {
  override name = 'SyncError';
}

export interface SyncClients {
  cloudFormation: CloudFormationClient;
  controlConfig: Route53RecoveryControlConfigClient;
}

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
  const redeploy = (problem: string) =>
    new SyncError(
      `stack ${topology.arc.stackName} ${problem}: deploy the ARC stack of the current topology (stage ${topology.stage}) and run sync again`,
    );
  const resources = new Map<string, ApiArcResources>();
  for (const api of topology.all) {
    try {
      const found = apiResourcesOf(stack, api);
      if (Boolean(found.gate) !== topology.arc.approvalGate) {
        throw redeploy(
          `output ${outputKeys.api(api)} ${found.gate ? 'has' : 'lacks'} an approval gate, but the topology's arc.approvalGate is ${topology.arc.approvalGate}`,
        );
      }
      resources.set(api.name, found);
    } catch (error) {
      if (error instanceof ApiOutputError) throw redeploy(error.message);
      throw error;
    }
  }

  const clusterArn = outputs.get(CLUSTER_ARN_OUTPUT) ?? topology.arc.clusterArn;
  if (!clusterArn) throw redeploy(`has no output ${CLUSTER_ARN_OUTPUT}`);
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
    services: topology.all.map((service) => {
      const { controlPanelArn, regions, gate } = resources.get(service.name)!;
      return bookmarkService(service, {
        controlPanelArn,
        routingControlArn: (region) => regions[region]!.routingControlArn,
        ...(gate && { approvalControlArn: gate.approvalControlArn }),
      });
    }),
    safetyRules: topology.all.flatMap((service) => {
      const { safetyRuleArn, gate } = resources.get(service.name)!;
      return [
        {
          name: safetyRuleName(service),
          arn: safetyRuleArn,
          service: service.name,
          kind: 'assertion' as const,
        },
        ...(gate
          ? [
              {
                name: gatingRuleName(service),
                arn: gate.gatingRuleArn,
                service: service.name,
                kind: 'gating' as const,
              },
            ]
          : []),
      ];
    }),
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
  const fix = unusableStackFix({
    stackName,
    region,
    status: stack.StackStatus,
    deploy: deployArcCommand(topology),
  });
  if (fix)
    throw new SyncError(`the ARC stack ${stackName} is ${stack.StackStatus}: ${fix}; then run sync again`);
  return stack;
}
