import { CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import { Route53Client } from '@aws-sdk/client-route-53';
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
import { BOOKMARK_VERSION, bookmarkService, type Bookmark } from '../bookmark';
import { readApiRegions } from './api-regions';
import { SyncError } from './errors';
import { readNameServers } from './name-servers';
import { allInOrder } from './settle';

export { SyncError };

export interface SyncClients {
  /** In the ARC control-plane Region: the ARC stack, and the API stacks of that Region. */
  cloudFormation: CloudFormationClient;
  controlConfig: Route53RecoveryControlConfigClient;
  /** One per Region of the topology (the ARC Region's is `cloudFormation`): the API stacks there. */
  regionalCloudFormation: Record<string, CloudFormationClient>;
  /** Route 53 (one global API): the hosted zone's name servers. */
  route53: Route53Client;
}

/** Route 53's API is global; the SDK signs its calls for this Region. */
const ROUTE_53_REGION = 'us-east-1';

/**
 * Every client sync uses, with the default credential chain: the control-plane ones in the ARC Region,
 * one CloudFormation client per Region an API runs in, and Route 53. Built here only.
 */
export function syncClients(topology: Topology): SyncClients {
  const cloudFormation = new CloudFormationClient({ region: topology.arc.region });
  return {
    cloudFormation,
    controlConfig: new Route53RecoveryControlConfigClient({ region: topology.arc.region }),
    regionalCloudFormation: Object.fromEntries(
      topology.regions.map((region) => [
        region,
        region === topology.arc.region ? cloudFormation : new CloudFormationClient({ region }),
      ]),
    ),
    route53: new Route53Client({ region: ROUTE_53_REGION }),
  };
}

/** Closes every client syncClients built (each once). */
export function destroySyncClients(clients: SyncClients): void {
  const all = new Set([
    clients.cloudFormation,
    clients.controlConfig,
    clients.route53,
    ...Object.values(clients.regionalCloudFormation),
  ]);
  for (const client of all) client.destroy();
}

/**
 * Peacetime: everything a switchover needs, so that no control-plane call is needed later. From the ARC
 * Region (us-west-2): the deployed ARC stack's outputs and the cluster's description. From each API's
 * stack in each of its Regions: its own URL there (readiness) and its custom domain's Regional target
 * (proof). From Route 53: the hosted zone's name servers (proof). All at once; on any failure a SyncError
 * (or the SDK's error) and no bookmark, the first failure in that order being the one reported.
 */
export async function bookmarkFromStack(
  topology: Topology,
  clients: SyncClients,
  writtenBy: string,
  now = new Date(),
): Promise<Bookmark> {
  const cloudFormationIn = (region: string) => {
    const client = clients.regionalCloudFormation[region];
    if (!client) throw new Error(`sync has no CloudFormation client for ${region}`);
    return client;
  };
  const [arc, apiRegions, nameServers] = await allInOrder([
    readArc(topology, clients),
    readApiRegions(topology, cloudFormationIn),
    readNameServers(topology, clients.route53),
  ] as const);

  return {
    version: BOOKMARK_VERSION,
    stage: topology.stage,
    clusterArn: arc.clusterArn,
    endpoints: arc.endpoints,
    services: topology.all.map((service) => {
      const { controlPanelArn, regions, gate } = arc.resources.get(service.name)!;
      return {
        ...bookmarkService(service, {
          controlPanelArn,
          routingControlArn: (region) => regions[region]!.routingControlArn,
          ...(gate && { approvalControlArn: gate.approvalControlArn }),
        }),
        healthPath: service.healthPath,
        regions: apiRegions.get(service.name)!,
      };
    }),
    safetyRules: topology.all.flatMap((service) => {
      const { safetyRuleArn, gate } = arc.resources.get(service.name)!;
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
    nameServers,
    writtenAt: now.toISOString(),
    writtenBy,
  };
}

interface ArcFacts {
  clusterArn: string;
  endpoints: Bookmark['endpoints'];
  resources: Map<string, ApiArcResources>;
}

/** The ARC stack's outputs, then the cluster's description: the control plane in the ARC Region. */
async function readArc(topology: Topology, clients: SyncClients): Promise<ArcFacts> {
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

  return { clusterArn, endpoints, resources };
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
