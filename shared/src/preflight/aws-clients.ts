import { ACMClient } from '@aws-sdk/client-acm';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { Route53Client } from '@aws-sdk/client-route-53';
import { Route53RecoveryControlConfigClient } from '@aws-sdk/client-route53-recovery-control-config';
import { ARC_CONTROL_PLANE_REGION } from '../regions';

/** The read-only AWS clients the deploy checks and the stage setup use; tests hand in mocked ones. */
export interface AwsClients {
  /** Route 53 is a global service. */
  route53: Route53Client;
  /** ACM certificates are Regional: a Regional API domain needs one in its own Region. */
  acm(region: string): ACMClient;
  cloudFormation(region: string): CloudFormationClient;
  /** The ARC control-plane API, in us-west-2 only. */
  controlConfig: Route53RecoveryControlConfigClient;
}

/** Where Route 53's global API is signed. */
const ROUTE53_SIGNING_REGION = 'us-east-1';

/**
 * Real clients, one per service and Region, created when first asked for. `config` gives the client
 * configuration for a Region (the default credential chain unless it says otherwise, e.g. osls's).
 */
export function awsClients(
  config: (region: string) => Record<string, unknown> = (region) => ({ region }),
): AwsClients {
  const perRegion = <T>(make: (region: string) => T) => {
    const made = new Map<string, T>();
    return (region: string) => {
      if (!made.has(region)) made.set(region, make(region));
      return made.get(region)!;
    };
  };
  return {
    route53: new Route53Client(config(ROUTE53_SIGNING_REGION)),
    acm: perRegion((region) => new ACMClient(config(region))),
    cloudFormation: perRegion((region) => new CloudFormationClient(config(region))),
    // Pinned to 3.332.0 (the only recent version the registry serves): its config types predate the others'.
    controlConfig: new Route53RecoveryControlConfigClient(config(ARC_CONTROL_PLANE_REGION) as never),
  };
}
