import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeAfterResponse, readBodyWithin, type BodyRead } from '@arc-failover/shared/net';
import { gatewayResponses } from './http-api';
import type { HttpResponse, ReceivedRequest } from './lambda-event';

/**
 * API Gateway's payload limit for HTTP APIs: "Payload size 10 MB" on the HTTP API quotas page
 * (docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html), 10,485,760 bytes as its 413 says.
 */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** The request's body within API Gateway's payload limit, or word that it passes it (nothing kept). */
export function readBody(request: IncomingMessage): Promise<BodyRead> {
  return readBodyWithin(request, MAX_REQUEST_BYTES);
}

/** API Gateway's 413 for a body over the limit, at once, closing the connection rather than reading on. */
export function refuseTooLarge(response: ServerResponse): void {
  closeAfterResponse(response);
  send(response, gatewayResponses.tooLarge());
}

export function toReceivedRequest(request: IncomingMessage, body: Buffer): ReceivedRequest {
  const target = request.url ?? '/';
  const question = target.indexOf('?');
  return {
    method: request.method ?? 'GET',
    rawPath: question < 0 ? target : target.slice(0, question),
    rawQueryString: question < 0 ? '' : target.slice(question + 1),
    headers: request.headers,
    body,
    sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    requestId: randomUUID(),
    receivedAt: new Date(),
  };
}

/** The request's Host without its port, lower case. */
export function hostOf(request: IncomingMessage): string {
  return (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
}

export function send(response: ServerResponse, reply: HttpResponse): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(reply.statusCode, { ...reply.headers, 'content-length': reply.body.length });
  response.end(reply.body);
}
