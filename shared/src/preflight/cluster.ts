import { DescribeStackResourceCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  DescribeClusterCommand,
  ListClustersCommand,
  type Cluster,
  type Route53RecoveryControlConfigClient,
} from '@aws-sdk/client-route53-recovery-control-config';
import { CLUSTER_LOGICAL_ID } from '../naming';
import { awsErrorName, couldNotCheck } from './aws-errors';

/** ARC's quota: clusters per account. */
export const CLUSTERS_PER_ACCOUNT = 2;

/**
 * Why an existing cluster cannot carry the stage's control panels, or undefined when it can: it must
 * exist and be DEPLOYED (DescribeCluster, us-west-2). `setting` names where the ARN came from.
 */
export async function clusterProblem(
  controlConfig: Route53RecoveryControlConfigClient,
  clusterArn: string,
  setting = 'arc.clusterArn',
): Promise<string | undefined> {
  let cluster: Cluster | undefined;
  try {
    ({ Cluster: cluster } = await controlConfig.send(new DescribeClusterCommand({ ClusterArn: clusterArn })));
  } catch (error) {
    if (awsErrorName(error) !== 'ResourceNotFoundException') {
      return couldNotCheck(`ARC cluster ${clusterArn}`, error);
    }
  }
  if (!cluster) {
    return `ARC cluster ${clusterArn} does not exist: create it (about $2.50/hour), set ${setting} to an existing one, or leave ${setting} out so the ARC stack creates one`;
  }
  if (cluster.Status === 'DEPLOYED') return undefined;
  const fix =
    cluster.Status === 'PENDING_DELETION'
      ? `it is being deleted: set ${setting} to another cluster, or leave it out so the ARC stack creates one`
      : 'wait until it is DEPLOYED and try again';
  return `ARC cluster ${clusterArn} is ${cluster.Status ?? 'in an unknown state'}, not DEPLOYED: ${fix}`;
}

/** Every cluster of the account (ListClusters, us-west-2), over all pages. */
async function listClusters(controlConfig: Route53RecoveryControlConfigClient): Promise<Cluster[]> {
  const all: Cluster[] = [];
  let NextToken: string | undefined;
  do {
    const page = await controlConfig.send(new ListClustersCommand({ ...(NextToken && { NextToken }) }));
    all.push(...(page.Clusters ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

/** Whether the deployed ARC stack already holds its own cluster (its `Cluster` resource). */
async function stackOwnsCluster(cloudFormation: CloudFormationClient, stackName: string): Promise<boolean> {
  try {
    await cloudFormation.send(
      new DescribeStackResourceCommand({ StackName: stackName, LogicalResourceId: CLUSTER_LOGICAL_ID }),
    );
    return true;
  } catch (error) {
    // A stack or resource that does not exist: ValidationError.
    if (awsErrorName(error) === 'ValidationError') return false;
    throw error;
  }
}

/**
 * With no arc.clusterArn the ARC stack creates a cluster, unless it already holds one: refused when the
 * account is at ARC's quota of 2 clusters, naming them so one can be shared.
 */
export async function clusterQuotaProblem(
  controlConfig: Route53RecoveryControlConfigClient,
  cloudFormation: CloudFormationClient,
  arcStackName: string,
  stage: string,
): Promise<string | undefined> {
  try {
    if (await stackOwnsCluster(cloudFormation, arcStackName)) return undefined;
    const clusters = await listClusters(controlConfig);
    if (clusters.length < CLUSTERS_PER_ACCOUNT) return undefined;
    const arns = clusters.map((c) => c.ClusterArn).join(', ');
    return `the account already has ${clusters.length} ARC clusters (${arns}), ARC's quota is ${CLUSTERS_PER_ACCOUNT}: set stages.${stage}.arc.clusterArn to one of them to share it, or delete one`;
  } catch (error) {
    return couldNotCheck('the ARC clusters of the account', error);
  }
}
