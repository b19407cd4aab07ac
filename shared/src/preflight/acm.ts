import {
  DescribeCertificateCommand,
  KeyAlgorithm,
  ListCertificatesCommand,
  type ACMClient,
  type CertificateStatus,
  type CertificateSummary,
} from '@aws-sdk/client-acm';
import { awsErrorName } from './aws-errors';
import type { CertificateFacts } from './certificate';

/**
 * Every certificate in these states, over all pages. ACM lists only RSA_1024 and RSA_2048 keys unless
 * asked for the others, so every key type is asked for, as serverless-domain-manager does.
 */
export async function listCertificates(
  acm: ACMClient,
  statuses: CertificateStatus[],
): Promise<CertificateSummary[]> {
  const all: CertificateSummary[] = [];
  let NextToken: string | undefined;
  do {
    const page = await acm.send(
      new ListCertificatesCommand({
        CertificateStatuses: statuses,
        Includes: { keyTypes: Object.values(KeyAlgorithm) },
        ...(NextToken && { NextToken }),
      }),
    );
    all.push(...(page.CertificateSummaryList ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

/** One certificate's status, expiry and every name it carries; undefined if it does not exist. */
export async function describeCertificate(
  acm: ACMClient,
  arn: string,
  region: string,
): Promise<CertificateFacts | undefined> {
  try {
    const { Certificate: c } = await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }));
    if (!c) return undefined;
    const names = [c.DomainName, ...(c.SubjectAlternativeNames ?? [])].filter((n): n is string => !!n);
    return {
      arn,
      region,
      status: c.Status ?? 'UNKNOWN',
      ...(c.NotAfter && { notAfter: c.NotAfter }),
      names: [...new Set(names)],
    };
  } catch (error) {
    if (awsErrorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/**
 * The certificate serverless-domain-manager deploys for `customDomain.certificateName`: the first one
 * ListCertificates returns, among PENDING_VALIDATION, ISSUED and INACTIVE ones, whose DomainName is the
 * name. (Which is why a stage set up by `npm run stage -- add` names its certificates by ARN.)
 */
export async function certificateByName(acm: ACMClient, name: string): Promise<string | undefined> {
  const listed = await listCertificates(acm, ['PENDING_VALIDATION', 'ISSUED', 'INACTIVE']);
  return listed.find((c) => c.DomainName === name)?.CertificateArn;
}
