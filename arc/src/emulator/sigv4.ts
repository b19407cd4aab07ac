import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { StaticCredentials } from '../static-credentials';
import { arcErrors } from './errors';

/**
 * AWS Signature Version 4 verification of header-signed requests, as the AWS front end of a cluster
 * endpoint does it. Written from the specification rather than with the SDK's signer, so that the SDK's
 * signatures are checked by an independent implementation.
 */

export const SIGNING_SERVICE = 'route53-recovery-cluster';
const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface SignedRequest {
  method: string;
  /** The request target as received: path and query string. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The Region and service a request must be signed for: the endpoint's own Region. */
export interface SigningScope {
  region: string;
  service: string;
}

/** Returns the access key id the request was signed with, or throws the error AWS would answer. */
export function verifySignature(
  request: SignedRequest,
  expected: SigningScope,
  credentials: readonly StaticCredentials[],
  now = Date.now(),
): string {
  const authorization = header(request.headers, 'authorization');
  if (!authorization) throw arcErrors.missingAuthenticationToken();
  const parsed = parseAuthorization(authorization);
  const amzDate = header(request.headers, 'x-amz-date');
  if (!amzDate) {
    throw arcErrors.incompleteSignature(
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  if (!parsed.signedHeaders.includes('host')) {
    throw arcErrors.incompleteSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (header(request.headers, 'x-amz-security-token') !== undefined) throw arcErrors.unrecognizedClient();
  const secret = credentials.find((c) => c.accessKeyId === parsed.accessKeyId)?.secretAccessKey;
  if (secret === undefined) throw arcErrors.unrecognizedClient();

  checkScope(parsed.scope, amzDate, expected);
  checkClock(amzDate, now);
  const stringToSign = [
    ALGORITHM,
    amzDate,
    parsed.scope.join('/'),
    sha256Hex(canonicalRequest(request, parsed)),
  ].join('\n');
  const [date, scopeRegion, service] = parsed.scope;
  let key: Buffer = hmac(`AWS4${secret}`, date!);
  for (const part of [scopeRegion!, service!, TERMINATOR]) key = hmac(key, part);
  const computed = Buffer.from(hmac(key, stringToSign).toString('hex'));
  const given = Buffer.from(parsed.signature);
  if (computed.length !== given.length || !timingSafeEqual(computed, given)) {
    throw arcErrors.invalidSignature(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return parsed.accessKeyId;
}

interface ParsedAuthorization {
  accessKeyId: string;
  /** date, Region, service, terminator */
  scope: string[];
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(value: string): ParsedAuthorization {
  const [algorithm, ...rest] = value.trim().split(/\s+/);
  if (algorithm !== ALGORITHM) {
    throw arcErrors.incompleteSignature(
      `Unsupported Authorization algorithm ${algorithm}: expected ${ALGORITHM}`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of rest.join('').split(',')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at), part.slice(at + 1));
  }
  for (const required of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!fields.get(required)) {
      throw arcErrors.incompleteSignature(
        `Authorization header requires '${required}' parameter. Authorization=${value}`,
      );
    }
  }
  const [accessKeyId, ...scope] = fields.get('Credential')!.split('/');
  if (!accessKeyId || scope.length !== 4) {
    throw arcErrors.incompleteSignature(
      `Credential must be <access key id>/<date>/<region>/<service>/${TERMINATOR}: ${fields.get('Credential')}`,
    );
  }
  return {
    accessKeyId,
    scope,
    signedHeaders: fields.get('SignedHeaders')!.split(';'),
    signature: fields.get('Signature')!,
  };
}

function checkScope(
  [date, region, service, terminator]: string[],
  amzDate: string,
  expected: SigningScope,
): void {
  if (date !== amzDate.slice(0, 8)) {
    throw arcErrors.invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}'`,
    );
  }
  if (region !== expected.region) {
    throw arcErrors.invalidSignature(
      `Credential should be scoped to a valid region, not '${region}'. This endpoint is in ${expected.region}: sign requests to it for ${expected.region}.`,
    );
  }
  if (service !== expected.service) {
    throw arcErrors.invalidSignature(
      `Credential should be scoped to correct service: '${expected.service}'.`,
    );
  }
  if (terminator !== TERMINATOR) {
    throw arcErrors.invalidSignature(
      `Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'.`,
    );
  }
}

function checkClock(amzDate: string, now: number): void {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!match)
    throw arcErrors.incompleteSignature(`X-Amz-Date ${amzDate} is not of the form YYYYMMDDTHHMMSSZ`);
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const signedAt = Date.UTC(y!, mo! - 1, d, h, mi, s);
  const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  if (signedAt < now - MAX_CLOCK_SKEW_MS) {
    throw arcErrors.invalidSignature(
      `Signature expired: ${amzDate} is now earlier than ${stamp(now - MAX_CLOCK_SKEW_MS)} (${stamp(now)} - 5 min.)`,
    );
  }
  if (signedAt > now + MAX_CLOCK_SKEW_MS) {
    throw arcErrors.invalidSignature(
      `Signature not yet current: ${amzDate} is still later than ${stamp(now + MAX_CLOCK_SKEW_MS)} (${stamp(now)} + 5 min.)`,
    );
  }
}

function canonicalRequest(request: SignedRequest, auth: ParsedAuthorization): string {
  const at = request.url.indexOf('?');
  const path = at < 0 ? request.url : request.url.slice(0, at);
  const query = at < 0 ? '' : request.url.slice(at + 1);
  const headers = auth.signedHeaders.map(
    (name) => `${name}:${(header(request.headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`,
  );
  return [
    request.method,
    canonicalPath(path),
    canonicalQuery(query),
    headers.join(''),
    auth.signedHeaders.join(';'),
    payloadHash(request),
  ].join('\n');
}

/** Non-S3 services normalise the path and URI-encode it once more than it arrived. */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `/${segments.map(escapeUri).join('/')}${trailing}`;
}

function canonicalQuery(query: string): string {
  if (!query) return '';
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      const [key, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
      return [escapeUri(decode(key)), escapeUri(decode(value))] as const;
    })
    .sort(([k1, v1], [k2, v2]) => (k1 === k2 ? compare(v1, v2) : compare(k1, k2)))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function payloadHash(request: SignedRequest): string {
  const computed = sha256Hex(request.body);
  const declared = header(request.headers, 'x-amz-content-sha256');
  if (declared !== undefined && declared !== computed) {
    throw arcErrors.invalidSignature(
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  return computed;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
