import type { ACMClient } from '@aws-sdk/client-acm';
import { describeCertificate, listCertificates } from './acm';
import { couldNotCheck } from './aws-errors';
import { certificateProblem, requestAdvice, type CertificateFacts } from './certificate';
import { uncoveredHostnames } from './coverage';

export type CertificateLookup = { arn: string; problem?: undefined } | { arn?: undefined; problem: string };

/**
 * The ISSUED certificate in `region` that covers every hostname and passes the deploy check (at least
 * 14 days left), the one valid longest if several do. Read-only: ListCertificates, then
 * DescribeCertificate for each, since only that gives every SubjectAlternativeName.
 */
export async function findCoveringCertificate(
  acm: ACMClient,
  region: string,
  domain: string,
  hostnames: readonly string[],
  now: Date,
): Promise<CertificateLookup> {
  let described: CertificateFacts[];
  try {
    const issued = await listCertificates(acm, ['ISSUED']);
    const facts = await Promise.all(
      issued.map((c) => (c.CertificateArn ? describeCertificate(acm, c.CertificateArn, region) : undefined)),
    );
    described = facts.filter((c): c is CertificateFacts => c !== undefined);
  } catch (error) {
    return { problem: couldNotCheck(`the ACM certificates in ${region}`, error) };
  }
  const usable = described
    .filter((c) => certificateProblem(c, hostnames, domain, now) === undefined)
    .sort((a, b) => (b.notAfter?.getTime() ?? 0) - (a.notAfter?.getTime() ?? 0));
  if (usable[0]) return { arn: usable[0].arn };

  // Say what is closest to usable: the certificate that covers the most, or what none of them covers.
  const closest = described
    .map((c) => ({ c, missing: uncoveredHostnames(c.names, hostnames) }))
    .sort((a, b) => a.missing.length - b.missing.length)[0];
  if (closest && closest.missing.length === 0) {
    return { problem: certificateProblem(closest.c, hostnames, domain, now)! };
  }
  const advice = requestAdvice(region, domain, hostnames);
  if (!closest) return { problem: `there is no ISSUED ACM certificate in ${region}: ${advice}` };
  return {
    problem: `no ISSUED ACM certificate in ${region} covers every API hostname (the closest, ${closest.c.arn}, leaves out ${closest.missing.join(', ')}): ${advice}`,
  };
}
