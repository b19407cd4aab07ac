import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import { ApiOutputError } from '../arc-outputs';
import { apiResourcesOf, deployArcCommand, describeArcStack } from '../arc-stack';
import { unusableStackFix } from '../stack-status';
import type { FailoverRole, Service, Topology } from '../topology';
import type { DomainTarget } from './domain-target';
import { FailoverRecordError } from './failover-record-error';

export { FailoverRecordError };
import type { CloudFormationResource } from './types';

export const FAILOVER_RECORD_LOGICAL_ID = 'FailoverAliasRecord';

export interface FailoverRecordInput {
  topology: Topology;
  api: Service;
  region: string;
  role: FailoverRole;
  target: DomainTarget;
  healthCheckId: string;
}

/**
 * The Route 53 failover record of one API in one Region. Route 53 answers the PRIMARY record while its
 * health check (the API's routing control in that Region) is healthy, else the SECONDARY if healthy.
 * An alias A record by default; a CNAME with the stage's TTL to the Regional target when the stage says
 * `records: { type: 'cname' }`, for the services only (the apex can only be an alias).
 */
export function failoverRecord(input: FailoverRecordInput): CloudFormationResource {
  const { topology, api, region, role, target, healthCheckId } = input;
  const common = {
    HostedZoneId: topology.hostedZoneId,
    Name: api.hostname,
    SetIdentifier: `${api.name}-${region}`,
    // Route 53's own spelling of the role
    Failover: role.toUpperCase(),
    HealthCheckId: healthCheckId,
  };
  const { records } = topology;
  if (records.type === 'cname' && !api.isEntry) {
    return {
      Type: 'AWS::Route53::RecordSet',
      Properties: {
        ...common,
        Type: 'CNAME',
        TTL: String(records.ttlSeconds),
        ResourceRecords: [target.dnsName],
      },
    };
  }
  return {
    Type: 'AWS::Route53::RecordSet',
    Properties: {
      ...common,
      Type: 'A',
      AliasTarget: {
        DNSName: target.dnsName,
        HostedZoneId: target.hostedZoneId,
        // The routing control alone decides; API Gateway's own health would let Route 53 fail over by itself.
        EvaluateTargetHealth: false,
      },
    },
  };
}

/**
 * Reads the RECOVERY_CONTROL health check id of (api, Region) from the deployed ARC stack's outputs, only
 * from a stack in a usable state: during an ARC stack update the outputs may name a health check that is
 * being replaced, and the record would keep naming it once deleted.
 */
export async function readHealthCheckId(
  cloudFormation: CloudFormationClient,
  topology: Topology,
  api: Service,
  region: string,
): Promise<string> {
  const { stackName } = topology.arc;
  const deployArc = deployArcCommand(topology);
  let stack: Stack | undefined;
  try {
    stack = await describeArcStack(cloudFormation, topology);
  } catch (error) {
    const { name, message } = error as Error;
    if (name === 'CredentialsProviderError') {
      throw new FailoverRecordError(
        `no AWS credentials to read the ARC stack ${stackName}: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass --aws-profile`,
      );
    }
    throw new FailoverRecordError(
      `cannot read the ARC stack ${stackName} in ${topology.arc.region}: ${message}`,
    );
  }
  if (!stack) {
    throw new FailoverRecordError(
      `the ARC stack ${stackName} does not exist in ${topology.arc.region}: deploy it first (${deployArc})`,
    );
  }
  const fix = unusableStackFix({
    stackName,
    region: topology.arc.region,
    status: stack.StackStatus,
    deploy: deployArc,
  });
  if (fix) {
    throw new FailoverRecordError(
      `the ARC stack ${stackName} is ${stack.StackStatus ?? 'in no known state'}: ${fix}; then deploy ${api.name} again`,
    );
  }
  try {
    return apiResourcesOf(stack, api).regions[region]!.healthCheckId;
  } catch (error) {
    if (!(error instanceof ApiOutputError)) throw error;
    throw new FailoverRecordError(
      `the ARC stack ${stackName} (${stack.StackStatus}): ${error.message}: deploy it from the current topology first (${deployArc})`,
    );
  }
}
