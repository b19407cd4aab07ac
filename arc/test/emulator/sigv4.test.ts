import { ArcError } from '../../src/emulator/errors';
import { verifySignature, type SignedRequest } from '../../src/emulator/sigv4';

// The AWS Signature Version 4 test suite's example credentials, request and published signatures
// (get-vanilla, get-vanilla-query-order-key-case, post-vanilla).
const SUITE_CREDENTIALS = [
  { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
];
const SUITE_SCOPE = { region: 'us-east-1', service: 'service' };
const SUITE_TIME = Date.UTC(2015, 7, 30, 12, 36, 0);
const GET_VANILLA = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';
const QUERY_ORDER = 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500';
const POST_VANILLA = '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b';

function suiteRequest(
  signature: string,
  {
    method = 'GET',
    url = '/',
    headers = {},
    body = '',
    credential = 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request',
  } = {} as {
    method?: string;
    url?: string;
    headers?: Record<string, string>;
    body?: string;
    credential?: string;
  },
): SignedRequest {
  return {
    method,
    url,
    body: Buffer.from(body),
    headers: {
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=${signature}`,
      ...headers,
    },
  };
}

function rejection(request: SignedRequest, now = SUITE_TIME, scope = SUITE_SCOPE): ArcError {
  try {
    verifySignature(request, scope, SUITE_CREDENTIALS, now);
  } catch (error) {
    if (error instanceof ArcError) return error;
    throw error;
  }
  throw new Error('the request was accepted');
}

describe('SigV4 verification', () => {
  it.each([
    ['get-vanilla', suiteRequest(GET_VANILLA)],
    ['get-vanilla-query-order-key-case', suiteRequest(QUERY_ORDER, { url: '/?Param2=value2&Param1=value1' })],
    ['post-vanilla', suiteRequest(POST_VANILLA, { method: 'POST' })],
  ])('accepts the AWS test suite’s %s request and names its access key', (_name, request) => {
    expect(verifySignature(request, SUITE_SCOPE, SUITE_CREDENTIALS, SUITE_TIME)).toBe('AKIDEXAMPLE');
  });

  it('answers a request without Authorization with 403 MissingAuthenticationTokenException', () => {
    const request = suiteRequest(GET_VANILLA);
    delete request.headers.authorization;
    const error = rejection(request);
    expect([error.type, error.status, error.message]).toEqual([
      'MissingAuthenticationTokenException',
      403,
      'Missing Authentication Token',
    ]);
  });

  it('answers an access key it does not know with 403 UnrecognizedClientException', () => {
    const error = rejection(
      suiteRequest(GET_VANILLA, { credential: 'AKIDUNKNOWN/20150830/us-east-1/service/aws4_request' }),
    );
    expect([error.type, error.status]).toEqual(['UnrecognizedClientException', 403]);
  });

  it.each([
    ['a changed signature', suiteRequest(GET_VANILLA.replace(/^5/, '6'))],
    ['a changed path', suiteRequest(GET_VANILLA, { url: '/other' })],
    ['a changed query', suiteRequest(QUERY_ORDER, { url: '/?Param2=value2&Param1=value9' })],
    ['a changed body', suiteRequest(POST_VANILLA, { method: 'POST', body: '{}' })],
    ['a changed method', suiteRequest(POST_VANILLA, { method: 'PUT' })],
    [
      'a changed signed header',
      suiteRequest(GET_VANILLA, { headers: { host: 'example.amazonaws.com:8443' } }),
    ],
  ])('answers %s with 403 InvalidSignatureException', (_what, request) => {
    const error = rejection(request);
    expect([error.type, error.status]).toEqual(['InvalidSignatureException', 403]);
    expect(error.message).toMatch(
      /^The request signature we calculated does not match the signature you provided/,
    );
  });

  it('answers a signature scoped to another Region with InvalidSignatureException naming the right one', () => {
    const error = rejection(suiteRequest(GET_VANILLA), SUITE_TIME, {
      region: 'eu-west-1',
      service: 'service',
    });
    expect([error.type, error.status]).toEqual(['InvalidSignatureException', 403]);
    expect(error.message).toBe(
      "Credential should be scoped to a valid region, not 'us-east-1'. This endpoint is in eu-west-1: sign requests to it for eu-west-1.",
    );
  });

  it('answers a signature scoped to another service with InvalidSignatureException', () => {
    const error = rejection(suiteRequest(GET_VANILLA), SUITE_TIME, {
      region: 'us-east-1',
      service: 'route53-recovery-cluster',
    });
    expect([error.type, error.message]).toEqual([
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'route53-recovery-cluster'.",
    ]);
  });

  it('answers a request signed more than 5 minutes away from now as expired or not yet current', () => {
    const late = rejection(suiteRequest(GET_VANILLA), SUITE_TIME + 5 * 60_000 + 1000);
    expect([late.type, late.message]).toEqual([
      'InvalidSignatureException',
      'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)',
    ]);
    const early = rejection(suiteRequest(GET_VANILLA), SUITE_TIME - 5 * 60_000 - 1000);
    expect(early.message).toMatch(/^Signature not yet current: 20150830T123600Z is still later than/);
    expect(
      verifySignature(suiteRequest(GET_VANILLA), SUITE_SCOPE, SUITE_CREDENTIALS, SUITE_TIME + 5 * 60_000),
    ).toBe('AKIDEXAMPLE');
  });

  it('rejects a scope date that is not the request date, and a body that does not match its declared hash', () => {
    const otherDay = rejection(
      suiteRequest(GET_VANILLA, { credential: 'AKIDEXAMPLE/20150831/us-east-1/service/aws4_request' }),
    );
    expect(otherDay.message).toMatch(/^Date in Credential scope does not match/);
    const declared = rejection(
      suiteRequest(POST_VANILLA, {
        method: 'POST',
        body: 'x',
        headers: { 'x-amz-content-sha256': '0'.repeat(64) },
      }),
    );
    expect(declared.message).toBe(
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  });

  it('rejects an incomplete Authorization header with 403 IncompleteSignatureException', () => {
    const request = suiteRequest(GET_VANILLA);
    request.headers.authorization =
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';
    const error = rejection(request);
    expect([error.type, error.status]).toEqual(['IncompleteSignatureException', 403]);
    expect(error.message).toMatch(/^Authorization header requires 'SignedHeaders' parameter/);
  });

  it('refuses a session token it did not issue', () => {
    const error = rejection(suiteRequest(GET_VANILLA, { headers: { 'x-amz-security-token': 'token' } }));
    expect(error.type).toBe('UnrecognizedClientException');
  });
});
