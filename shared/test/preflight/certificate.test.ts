import { certificateProblem, type CertificateFacts } from '../../src/preflight/certificate';

const NOW = new Date('2026-12-01T12:00:00Z');
const DAY = 86_400_000;
const ARN = 'arn:aws:acm:us-west-2:123456789012:certificate/abc';
const HOSTS = ['example.com', 'service1.example.com'];
const cert = (facts: Partial<CertificateFacts> = {}): CertificateFacts => ({
  arn: ARN,
  region: 'us-west-2',
  status: 'ISSUED',
  notAfter: new Date(NOW.getTime() + 200 * DAY),
  names: ['*.example.com', 'example.com'],
  ...facts,
});
const problem = (facts: Partial<CertificateFacts>) =>
  certificateProblem(cert(facts), HOSTS, 'example.com', NOW);

describe('a usable certificate', () => {
  it('is ISSUED, has 14 days or more left and covers every hostname', () => {
    expect(problem({})).toBeUndefined();
    expect(problem({ notAfter: new Date(NOW.getTime() + 14 * DAY) })).toBeUndefined();
  });

  it('is not PENDING_VALIDATION: finish the validation', () => {
    expect(problem({ status: 'PENDING_VALIDATION' })).toBe(
      `certificate ${ARN} is PENDING_VALIDATION, not ISSUED: finish its validation (create the CNAME records ACM lists for it in the hosted zone)`,
    );
  });

  it.each(['EXPIRED', 'REVOKED', 'VALIDATION_TIMED_OUT', 'INACTIVE', 'FAILED'])(
    'is not %s: request a new one',
    (status) => {
      expect(problem({ status })).toBe(
        `certificate ${ARN} is ${status}, not ISSUED: request an ACM certificate in us-west-2 for example.com and *.example.com`,
      );
    },
  );

  it('does not expire within 14 days', () => {
    expect(problem({ notAfter: new Date(NOW.getTime() + 10 * DAY) })).toBe(
      `certificate ${ARN} expires on 2026-12-11 (in 10 days, under 14): renew it (check its validation records) or request an ACM certificate in us-west-2 for example.com and *.example.com`,
    );
  });

  it('covers the apex, which a wildcard does not', () => {
    expect(problem({ names: ['*.example.com'] })).toBe(
      `certificate ${ARN} does not cover example.com: request an ACM certificate in us-west-2 for example.com and *.example.com`,
    );
  });

  it('covers one label below the domain, which a deeper wildcard does not', () => {
    expect(problem({ names: ['example.com', '*.api.example.com'] })).toBe(
      `certificate ${ARN} does not cover service1.example.com: request an ACM certificate in us-west-2 for example.com and *.example.com`,
    );
  });
});
