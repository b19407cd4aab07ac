import { API_GATEWAY_EDGE_ZONE, API_GATEWAY_REGIONAL_ZONES } from '../apigateway-zones';
import type { Service } from '../topology';
import { FailoverRecordError } from './failover-record-error';
import type { CloudFormationTemplate } from './types';

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

/**
 * Refuses a target the failover alias record must not point at. serverless-domain-manager fills the
 * target from API Gateway's GetDomainName and, when fields are missing there, falls back to the custom
 * domain's own name and to the CloudFront zone Z2FDTNDATAQYW2: an alias of the domain to itself, or to an
 * edge zone that has no such name. The target must be the Regional `d-<id>.execute-api.<region>.amazonaws.com`
 * name of the stack's Region, in API Gateway's Regional hosted zone of that Region.
 */
export function checkDomainTarget(target: DomainTarget, api: Service, region: string): void {
  const { dnsName, hostedZoneId } = target;
  const fix = `check that ${api.hostname} is a REGIONAL custom domain in API Gateway ${region} (aws apigatewayv2 get-domain-name --domain-name ${api.hostname} --region ${region}) with customDomain endpointType regional and apiType http, then deploy again`;
  const refuse = (problem: string) =>
    new FailoverRecordError(`the custom domain's target ${problem}: ${fix}`);
  if (dnsName.replace(/\.$/, '').toLowerCase() === api.hostname) {
    throw refuse(`is ${dnsName}, the custom domain itself (the alias record would point at itself)`);
  }
  const regional = new RegExp(
    `^d-[a-z0-9]+\\.execute-api\\.${region.replace(/-/g, '\\-')}\\.amazonaws\\.com$`,
  );
  if (!regional.test(dnsName)) {
    throw refuse(
      `${dnsName} is not a Regional API Gateway name in ${region} (d-<id>.execute-api.${region}.amazonaws.com)`,
    );
  }
  const expected = API_GATEWAY_REGIONAL_ZONES[region];
  if (!expected) {
    throw new FailoverRecordError(
      `no API Gateway Regional hosted zone id is known for ${region}: add it to shared/src/apigateway-zones.ts from AWS's "Amazon API Gateway endpoints and quotas" page`,
    );
  }
  if (hostedZoneId === API_GATEWAY_EDGE_ZONE) {
    throw refuse(
      `hosted zone is ${hostedZoneId}, the CloudFront zone of edge-optimized endpoints, not ${expected} (API Gateway Regional, ${region})`,
    );
  }
  if (hostedZoneId !== expected) {
    throw refuse(`hosted zone is ${hostedZoneId}, not ${expected} (API Gateway Regional, ${region})`);
  }
}
