import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import { describeArcStack, outputsOf } from '../arc-stack';
import { outputKeys } from '../naming';
import type { FailoverRole, Service, Topology } from '../topology';
import type { CloudFormationResource, CloudFormationTemplate } from './types';

export const FAILOVER_RECORD_LOGICAL_ID = 'FailoverAliasRecord';

/**
 * Outputs serverless-domain-manager (apiType http) adds to the compiled template in `before:deploy:deploy`:
 * the Regional API Gateway domain a custom domain resolves to, and that domain's hosted zone.
 */
export const DOMAIN_TARGET_OUTPUTS = {
  dnsName: 'DistributionDomainNameHttp',
  hostedZoneId: 'HostedZoneIdHttp',
} as const;

export interface DomainTarget {
  dnsName: string;
  hostedZoneId: string;
}

/** A problem a deploy can only report: one line saying what to do. */
export class FailoverRecordError extends Error {
  override name = 'FailoverRecordError';
}

export interface FailoverRecordInput {
  topology: Topology;
  api: Service;
  region: string;
  role: FailoverRole;
  target: DomainTarget;
  healthCheckId: string;
}

/**
 * The Route 53 failover alias record of one API in one Region. Route 53 answers the PRIMARY record while
 * its health check (the API's routing control in that Region) is healthy, else the SECONDARY if healthy.
 */
export function failoverRecord(input: FailoverRecordInput): CloudFormationResource {
  const { topology, api, region, role, target, healthCheckId } = input;
  return {
    Type: 'AWS::Route53::RecordSet',
    Properties: {
      HostedZoneId: topology.hostedZoneId,
      Name: api.hostname,
      Type: 'A',
      SetIdentifier: `${api.name}-${region}`,
      Failover: role,
      HealthCheckId: healthCheckId,
      AliasTarget: {
        DNSName: target.dnsName,
        HostedZoneId: target.hostedZoneId,
        // The routing control alone decides; API Gateway's own health would let Route 53 fail over by itself.
        EvaluateTargetHealth: false,
      },
    },
  };
}

/** The custom domain's Regional target, from the Outputs serverless-domain-manager added to the template. */
export function domainTargetOf(template: CloudFormationTemplate): DomainTarget {
  const value = (key: string) => {
    const output = template.Outputs?.[key]?.Value;
    if (typeof output !== 'string' || output === '') {
      throw new FailoverRecordError(
        `the compiled template has no ${key} output: list serverless-domain-manager (customDomain.apiType http) before @arc-failover/shared/serverless-plugin in plugins`,
      );
    }
    return output;
  };
  return {
    dnsName: value(DOMAIN_TARGET_OUTPUTS.dnsName),
    hostedZoneId: value(DOMAIN_TARGET_OUTPUTS.hostedZoneId),
  };
}

/** Reads the RECOVERY_CONTROL health check id of (api, Region) from the deployed ARC stack's outputs. */
export async function readHealthCheckId(
  cloudFormation: CloudFormationClient,
  topology: Topology,
  api: Service,
  region: string,
): Promise<string> {
  const { stackName } = topology.arc;
  const deployArc = `npm run deploy -w arc -- --stage ${topology.stage}`;
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
  const key = outputKeys.healthCheckId(api, region);
  const id = outputsOf(stack).get(key);
  if (!id) {
    throw new FailoverRecordError(
      `the ARC stack ${stackName} (${stack.StackStatus ?? 'status unknown'}) has no output ${key}: deploy it from the current topology first (${deployArc})`,
    );
  }
  return id;
}
