import type { ACMClient } from '@aws-sdk/client-acm';
import type { Certificate } from '../topology';
import { certificateByName, describeCertificate } from './acm';
import { couldNotCheck } from './aws-errors';
import { certificateProblem, requestAdvice } from './certificate';

/**
 * The deploy check of the certificate a stage uses in one Region: the one its certificateArns names
 * there, or the one serverless-domain-manager would pick for its certificateName. It must exist, be
 * ISSUED, have 14 days left and cover the hostnames served in that Region.
 */
export async function certificateCheck(
  acm: ACMClient,
  certificate: Certificate,
  region: string,
  domain: string,
  hostnames: readonly string[],
  now: Date,
): Promise<string | undefined> {
  const advice = requestAdvice(region, domain, hostnames);
  try {
    let arn: string | undefined;
    if ('name' in certificate) {
      arn = await certificateByName(acm, certificate.name);
      if (!arn) {
        return `no ACM certificate in ${region} has the DomainName ${certificate.name} (certificateName): ${advice}, or set certificateArns (npm run stage -- add finds and writes them)`;
      }
    } else {
      arn = certificate.arnByRegion[region as keyof typeof certificate.arnByRegion];
      if (!arn) return `certificateArns has no certificate for ${region}: ${advice} and add its ARN`;
    }
    const facts = await describeCertificate(acm, arn, region);
    if (!facts)
      return `certificate ${arn} does not exist in ${region}: ${advice} and set certificateArns.${region} to it`;
    return certificateProblem(facts, hostnames, domain, now);
  } catch (error) {
    return couldNotCheck(`the ACM certificates in ${region}`, error);
  }
}
