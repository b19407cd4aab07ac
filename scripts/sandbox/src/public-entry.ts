import type http from 'node:http';
import net from 'node:net';
import { startHttpListener, type HttpListener, type ListenTarget } from '@arc-failover/shared/net';
import { endToEndHeaders, UpstreamError, type DnsHttpClient } from './route53/dns-http-client';
import { hostOf, readBody, refuseTooLarge, send } from './api-gateway/http-io';

/** Why the stand-in for the internet could not deliver a request; sent as a header with the 502. */
export const ENTRY_ERROR_HEADER = 'x-sandbox-entry-error';

/**
 * The public internet, as far as the sandbox goes: a plain-HTTP listener on 127.0.0.1 that resolves the
 * request's Host through the sandbox DNS (the apex domain when the Host is an address or localhost) and
 * forwards the request there, as a client's resolver and connection would. `curl http://127.0.0.1:<port>/`
 * reaches the entry API in whichever Region DNS answers.
 */
export function startPublicEntry(
  target: ListenTarget,
  client: DnsHttpClient,
  apex: string,
): Promise<HttpListener> {
  return startHttpListener(target, (request, response) => forward(request, response, client, apex));
}

async function forward(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  client: DnsHttpClient,
  apex: string,
): Promise<void> {
  const host = hostOf(request);
  const hostname =
    host === '' || host === 'localhost' || net.isIP(host.replace(/^\[|\]$/g, '')) ? apex : host;
  try {
    // The entry API's API Gateway would refuse a body over its limit: answer its 413 here, at once.
    const read = await readBody(request);
    if (!read.complete) return refuseTooLarge(response);
    const upstream = await client.request({
      method: request.method ?? 'GET',
      hostname,
      path: request.url ?? '/',
      headers: endToEndHeaders(request.headers),
      body: read.body,
      timeoutMs: 35_000,
    });
    send(response, {
      statusCode: upstream.statusCode,
      headers: endToEndHeaders(upstream.headers) as Record<string, string | string[]>,
      body: upstream.body,
    });
  } catch (error) {
    const reason =
      error instanceof UpstreamError ? `${error.code}: ${error.message}` : (error as Error).message;
    send(response, {
      statusCode: 502,
      headers: { 'content-type': 'text/plain; charset=utf-8', [ENTRY_ERROR_HEADER]: reason },
      body: Buffer.from(`sandbox entry: cannot reach ${hostname}: ${reason}\n`),
    });
  }
}
