import { namesToRequest, uncoveredHostnames } from './coverage';

/** What the checks need to know of one ACM certificate (from DescribeCertificate). */
export interface CertificateFacts {
  arn: string;
  region: string;
  status: string;
  notAfter?: Date;
  /** Its DomainName and every SubjectAlternativeName. */
  names: string[];
}

/** A deploy needs at least this long before the certificate it uses expires. */
export const MIN_DAYS_BEFORE_EXPIRY = 14;
const DAY_MS = 86_400_000;

/** What to request when no certificate will do. */
export function requestAdvice(region: string, domain: string, hostnames: readonly string[]): string {
  return `request an ACM certificate in ${region} for ${namesToRequest(domain, hostnames).join(' and ')}`;
}

/**
 * Why a certificate cannot serve these hostnames now, or undefined when it can: it must be ISSUED, valid
 * for at least 14 more days, and cover every hostname. The one rule for "a usable certificate".
 */
export function certificateProblem(
  cert: CertificateFacts,
  hostnames: readonly string[],
  domain: string,
  now: Date,
): string | undefined {
  const it = `certificate ${cert.arn}`;
  const advice = requestAdvice(cert.region, domain, hostnames);
  if (cert.status !== 'ISSUED') {
    const fix =
      cert.status === 'PENDING_VALIDATION'
        ? 'finish its validation (create the CNAME records ACM lists for it in the hosted zone)'
        : advice;
    return `${it} is ${cert.status}, not ISSUED: ${fix}`;
  }
  if (cert.notAfter && cert.notAfter.getTime() - now.getTime() < MIN_DAYS_BEFORE_EXPIRY * DAY_MS) {
    const days = Math.max(0, Math.floor((cert.notAfter.getTime() - now.getTime()) / DAY_MS));
    return `${it} expires on ${cert.notAfter.toISOString().slice(0, 10)} (in ${days} days, under ${MIN_DAYS_BEFORE_EXPIRY}): renew it (check its validation records) or ${advice}`;
  }
  const missing = uncoveredHostnames(cert.names, hostnames);
  if (missing.length > 0) {
    return `${it} does not cover ${missing.join(', ')}: ${advice}`;
  }
  return undefined;
}
