import type http from 'node:http';
import { startHttpListener, type HttpListener, type ListenTarget } from '@arc-failover/shared/net';
import { readBody } from '../api-gateway/http-io';
import { ADMIN_PATHS, type AdminErrorReply, type FaultReply, type SandboxStatus } from './protocol';

/** A request the admin listener turns down, with the one line saying why. */
export class AdminRequestError extends Error {
  override name = 'AdminRequestError';
}

export interface AdminHandlers {
  status(): SandboxStatus;
  /** Applies a FaultRequest, checked by the handler: the body is whatever JSON was sent. */
  fault(request: unknown): Promise<string>;
}

/**
 * The running sandbox's control socket for `npm run fault` and the demo: GET /status, POST /faults.
 * Answers JSON; a bad request is 400 with { error } and changes nothing.
 */
export function startAdminListener(target: ListenTarget, handlers: AdminHandlers): Promise<HttpListener> {
  return startHttpListener(target, (request, response) => serve(request, response, handlers));
}

async function serve(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  handlers: AdminHandlers,
): Promise<void> {
  const reply = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  };
  try {
    const body = await readBody(request, 64 * 1024);
    if (request.method === 'GET' && request.url === ADMIN_PATHS.status) return reply(200, handlers.status());
    if (request.method === 'POST' && request.url === ADMIN_PATHS.faults) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body?.toString('utf8') ?? '');
      } catch {
        throw new AdminRequestError('the body is not JSON');
      }
      return reply(200, { message: await handlers.fault(parsed) } satisfies FaultReply);
    }
    reply(404, {
      error: `${request.method} ${request.url}: the admin listener serves GET ${ADMIN_PATHS.status} and POST ${ADMIN_PATHS.faults}`,
    } satisfies AdminErrorReply);
  } catch (error) {
    if (error instanceof AdminRequestError) reply(400, { error: error.message });
    else reply(500, { error: (error as Error).message });
  }
}
