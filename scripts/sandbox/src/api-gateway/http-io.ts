import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpResponse, ReceivedRequest } from './lambda-event';

/** API Gateway's payload limit. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** The whole request body, or undefined once it passes the limit (the rest is drained, not kept). */
export function readBody(request: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : undefined));
    request.on('error', reject);
  });
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
