import { DescribeCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { certificateArn, fakeAws, withCertificates } from '@arc-failover/testing';
import { certificateCheck } from '../../src/preflight/certificate-check';
import { findCoveringCertificate } from '../../src/preflight/covering-certificate';

const NOW = new Date('2026-12-01T12:00:00Z');
const inDays = (days: number) => new Date(NOW.getTime() + days * 86_400_000);
const HOSTS = ['example.com', 'service1.example.com', 'service2.example.com'];
const R = 'us-west-2';
const arn = (id: string) => certificateArn(R, id);
const ADVICE = 'request an ACM certificate in us-west-2 for example.com and *.example.com';

const aws = fakeAws();
afterEach(() => aws.acm(R).reset());
afterAll(() => aws.restore());
const find = () => findCoveringCertificate(aws.clients.acm(R), R, 'example.com', HOSTS, NOW);

describe('finding the certificate for a new stage', () => {
  it('picks the ISSUED certificate covering the apex and every API hostname, the one valid longest', async () => {
    withCertificates(aws, R, [
      { arn: arn('wildcard-only'), domainName: '*.example.com', notAfter: inDays(300) },
      {
        arn: arn('short'),
        domainName: '*.example.com',
        alternativeNames: ['example.com'],
        notAfter: inDays(100),
      },
      {
        arn: arn('long'),
        domainName: 'example.com',
        alternativeNames: ['*.example.com'],
        notAfter: inDays(200),
      },
      {
        arn: arn('pending'),
        domainName: '*.example.com',
        alternativeNames: ['example.com'],
        status: 'PENDING_VALIDATION',
      },
    ]);
    expect(await find()).toEqual({ arn: arn('long') });
    const [list] = aws.acm(R).commandCalls(ListCertificatesCommand);
    expect(list!.args[0].input.CertificateStatuses).toEqual(['ISSUED']);
    // ACM lists only RSA_1024/RSA_2048 keys unless asked: an ECDSA certificate would be missed.
    expect(list!.args[0].input.Includes?.keyTypes).toEqual(
      expect.arrayContaining(['RSA_2048', 'EC_prime256v1']),
    );
    expect(aws.acm(R).commandCalls(DescribeCertificateCommand)).toHaveLength(3);
  });

  it('follows ListCertificates pages', async () => {
    withCertificates(aws, R, [
      { arn: arn('good'), domainName: 'example.com', alternativeNames: ['*.example.com'] },
    ]);
    aws
      .acm(R)
      .on(ListCertificatesCommand)
      .resolvesOnce({ CertificateSummaryList: [], NextToken: 'page2' })
      .resolvesOnce({ CertificateSummaryList: [{ CertificateArn: arn('good') }] });
    expect(await find()).toEqual({ arn: arn('good') });
    expect(aws.acm(R).commandCalls(ListCertificatesCommand)[1]!.args[0].input.NextToken).toBe('page2');
  });

  it('refuses when no certificate is issued in the Region', async () => {
    withCertificates(aws, R, [
      {
        arn: arn('pending'),
        domainName: '*.example.com',
        alternativeNames: ['example.com'],
        status: 'PENDING_VALIDATION',
      },
    ]);
    expect(await find()).toEqual({ problem: `there is no ISSUED ACM certificate in us-west-2: ${ADVICE}` });
  });

  it('names the hostnames the closest certificate leaves out (a wildcard never covers the apex)', async () => {
    withCertificates(aws, R, [
      { arn: arn('deep'), domainName: '*.api.example.com' },
      { arn: arn('wildcard'), domainName: '*.example.com' },
    ]);
    expect(await find()).toEqual({
      problem: `no ISSUED ACM certificate in us-west-2 covers every API hostname (the closest, ${arn('wildcard')}, leaves out example.com): ${ADVICE}`,
    });
  });

  it('refuses a covering certificate that expires within 14 days', async () => {
    withCertificates(aws, R, [
      {
        arn: arn('expiring'),
        domainName: '*.example.com',
        alternativeNames: ['example.com'],
        notAfter: inDays(10),
      },
    ]);
    expect(await find()).toEqual({
      problem: `certificate ${arn('expiring')} expires on 2026-12-11 (in 10 days, under 14): renew it (check its validation records) or ${ADVICE}`,
    });
  });
});

describe("the deploy check of a stage's certificate in a Region", () => {
  const byArn = (id: string) => ({ arnByRegion: { [R]: arn(id) } });
  const check = (certificate: Parameters<typeof certificateCheck>[1], hosts = HOSTS) =>
    certificateCheck(aws.clients.acm(R), certificate, R, 'example.com', hosts, NOW);

  it('passes an ISSUED certificate (by ARN) that covers the hostnames served there', async () => {
    withCertificates(aws, R, [
      {
        arn: arn('good'),
        domainName: '*.example.com',
        alternativeNames: ['example.com'],
        notAfter: inDays(90),
      },
    ]);
    expect(await check(byArn('good'))).toBeUndefined();
  });

  it('checks only the hostnames a package serves: a wildcard is enough for one service', async () => {
    withCertificates(aws, R, [{ arn: arn('wildcard'), domainName: '*.example.com', notAfter: inDays(90) }]);
    expect(await check(byArn('wildcard'), ['service1.example.com'])).toBeUndefined();
    expect(await check(byArn('wildcard'), ['example.com'])).toBe(
      `certificate ${arn('wildcard')} does not cover example.com: request an ACM certificate in us-west-2 for example.com`,
    );
  });

  it.each([
    [
      'PENDING_VALIDATION',
      { status: 'PENDING_VALIDATION' as const },
      /is PENDING_VALIDATION, not ISSUED: finish its validation/,
    ],
    ['expiring in 10 days', { notAfter: inDays(10) }, /expires on 2026-12-11 \(in 10 days, under 14\)/],
  ])('refuses a certificate %s', async (_case, facts, problem) => {
    withCertificates(aws, R, [
      {
        arn: arn('c'),
        domainName: '*.example.com',
        alternativeNames: ['example.com'],
        notAfter: inDays(90),
        ...facts,
      },
    ]);
    expect(await check(byArn('c'))).toMatch(problem);
  });

  it('refuses a certificate ARN that does not exist in its Region', async () => {
    withCertificates(aws, R, []);
    expect(await check(byArn('gone'))).toBe(
      `certificate ${arn('gone')} does not exist in us-west-2: ${ADVICE} and set certificateArns.us-west-2 to it`,
    );
  });

  it('by name, checks the certificate serverless-domain-manager would pick: the first listed with that DomainName', async () => {
    withCertificates(aws, R, [
      { arn: arn('other'), domainName: 'example.com', alternativeNames: ['*.example.com'] },
      {
        arn: arn('pending'),
        domainName: '*.example.com',
        alternativeNames: ['example.com'],
        status: 'PENDING_VALIDATION',
      },
      {
        arn: arn('good'),
        domainName: '*.example.com',
        alternativeNames: ['example.com'],
        notAfter: inDays(90),
      },
    ]);
    expect(await check({ name: '*.example.com' })).toMatch(
      new RegExp(`^certificate ${arn('pending')} is PENDING_VALIDATION, not ISSUED`),
    );
    const [list] = aws.acm(R).commandCalls(ListCertificatesCommand);
    expect(list!.args[0].input.CertificateStatuses).toEqual(['PENDING_VALIDATION', 'ISSUED', 'INACTIVE']);
  });

  it('by name, refuses when no certificate has that DomainName', async () => {
    withCertificates(aws, R, [
      { arn: arn('other'), domainName: 'example.com', alternativeNames: ['*.example.com'] },
    ]);
    expect(await check({ name: '*.example.com' })).toBe(
      `no ACM certificate in us-west-2 has the DomainName *.example.com (certificateName): ${ADVICE}, or set certificateArns (npm run stage -- add finds and writes them)`,
    );
  });
});
