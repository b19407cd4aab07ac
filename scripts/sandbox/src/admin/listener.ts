import type http from 'node:http';
import {
  closeAfterResponse,
  readBodyWithin,
  startHttpListener,
  type HttpListener,
  type ListenTarget,
} from '@arc-failover/shared/net';
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

/** A fault request is under 200 bytes. */
export const MAX_ADMIN_REQUEST_BYTES = 64 * 1024;

/**
 * The running sandbox's control socket for `npm run fault` and the demo: GET /status, POST /faults.
 * Answers JSON; a bad request is 400 with { error } and changes nothing. A web page open in the developer's
 * browser can send requests here too: one that carries another origin's `Origin` is refused (403), and a
 * POST must be `application/json` (415), which no page can send cross-origin without a CORS preflight that
 * this listener never grants.
 */
export async function startAdminListener(
  target: ListenTarget,
  handlers: AdminHandlers,
): Promise<HttpListener> {
  // Until the port is known no Origin matches, so a request that early with one is refused.
  const own: { origin?: string } = {};
  const listener = await startHttpListener(target, (request, response) =>
    serve(request, response, handlers, own.origin),
  );
  own.origin = new URL(listener.url).origin;
  return listener;
}

async function serve(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  handlers: AdminHandlers,
  ownOrigin: string | undefined,
): Promise<void> {
  const reply = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  };
  const refuse = (status: number, error: string) => {
    // The body is left unread: this is the connection's last answer.
    closeAfterResponse(response);
    reply(status, { error });
  };
  try {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== ownOrigin) {
      return refuse(403, `requests from ${origin} are refused: the admin listener serves only itself`);
    }
    if (request.method === 'POST' && !isJson(request.headers['content-type'])) {
      return refuse(415, 'the admin listener accepts only content-type: application/json');
    }
    const read = await readBodyWithin(request, MAX_ADMIN_REQUEST_BYTES);
    if (!read.complete) return refuse(413, `the request body is over ${read.limit} bytes`);
    if (request.method === 'GET' && request.url === ADMIN_PATHS.status) return reply(200, handlers.status());
    if (request.method === 'POST' && request.url === ADMIN_PATHS.faults) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(read.body.toString('utf8'));
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

/** `application/json`, with or without parameters such as `; charset=utf-8`. */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}
