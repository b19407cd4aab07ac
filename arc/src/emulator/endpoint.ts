import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  closeAfterResponse,
  closeHttpServer,
  listenTcp,
  portOf,
  readBodyWithin,
} from '@arc-failover/shared/net';
import { arcErrors, type ArcError } from './errors';
import type { SignedRequest } from './sigv4';

/**
 * What an endpoint does with the requests it gets: answer normally; refuse connections (nothing listens on
 * its port); accept, read the request and never answer; or answer 503, 429 or 500. 'hang-after-update'
 * answers reads, but applies an update and never answers it: a change that lands although its caller timed
 * out.
 */
export type EndpointFault =
  'none' | 'refuse' | 'hang' | 'hang-after-update' | 'unavailable' | 'throttle' | 'internal-error';

export const ENDPOINT_FAULTS: readonly EndpointFault[] = [
  'none',
  'refuse',
  'hang',
  'hang-after-update',
  'unavailable',
  'throttle',
  'internal-error',
];

const UPDATE_TARGET = /^ToggleCustomerAPI\.UpdateRoutingControlStates?$/;

/**
 * The largest request body an endpoint reads. The largest legal request is far smaller: an
 * UpdateRoutingControlStates call carries at most 10 entries (a routing-control ARN is at most 255
 * characters), and overriding every safety rule a cluster can hold (20 per control panel, 50 panels) adds
 * 1,000 ARNs: about 270 KB in all. 1 MiB leaves room for that and keeps five endpoints' worth of
 * concurrent requests small; anything larger is refused, unread, before its signature is checked.
 */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** Seconds a throttled or failed request is told to wait, in `retryAfterSeconds` and `Retry-After`. */
const RETRY_AFTER_SECONDS = 1;

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export type RequestHandler = (request: SignedRequest) => Reply;

export function errorReply(error: ArcError): Reply {
  return {
    status: error.status,
    body: error.body(),
    headers: { 'x-amzn-errortype': error.type, ...error.headers },
  };
}

/** One of a cluster's Regional endpoints: an HTTP listener on its own port, with its own fault. */
export class ClusterEndpoint {
  private server: Server | undefined;
  private fault: EndpointFault = 'none';
  private received = 0;
  private closed = false;

  constructor(
    readonly region: string,
    readonly host: string,
    private port: number,
    private readonly handle: RequestHandler,
    /** Told of every request on arrival, before any fault: its `x-amz-target` header. */
    private readonly onReceived?: (target: string) => void,
    /** The flag that picks this port, for the one line a busy port gets. */
    private readonly portFlag?: string,
  ) {}

  get url(): string {
    return `http://${this.host}:${this.port}/v1`;
  }

  /** Requests received since start, whatever their answer (hung and faulted ones included). */
  get requestCount(): number {
    return this.received;
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => this.onRequest(req, res));
    server.keepAliveTimeout = 5000;
    const what = `the ARC cluster endpoint in ${this.region}`;
    await listenTcp(server, { host: this.host, port: this.port, what, flag: this.portFlag });
    this.port = portOf(server);
    this.server = server;
  }

  async setFault(fault: EndpointFault): Promise<void> {
    if (this.closed) throw new Error(`the cluster endpoint in ${this.region} is closed`);
    if (!ENDPOINT_FAULTS.includes(fault)) {
      throw new Error(
        `unknown endpoint fault ${JSON.stringify(fault)} (known: ${ENDPOINT_FAULTS.join(', ')})`,
      );
    }
    const previous = this.fault;
    this.fault = fault;
    if (fault === 'refuse' && previous !== 'refuse') await this.stopListening();
    if (fault !== 'refuse' && previous === 'refuse') await this.listen();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stopListening();
  }

  /** Stops accepting and ends every open connection, hanging ones included: nothing is left listening. */
  private async stopListening(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await closeHttpServer(server);
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.received += 1;
    this.onReceived?.(String(req.headers['x-amz-target'] ?? ''));
    readBodyWithin(req, MAX_REQUEST_BYTES).then(
      (read) => {
        if (!read.complete) {
          closeAfterResponse(res);
          return send(res, errorReply(arcErrors.requestEntityTooLarge(read.limit)));
        }
        if (this.fault === 'hang') return;
        const request = {
          method: req.method ?? '',
          url: req.url ?? '/',
          headers: req.headers,
          body: read.body,
        };
        const reply = this.faultReply() ?? this.handle(request);
        if (this.fault === 'hang-after-update' && UPDATE_TARGET.test(String(req.headers['x-amz-target'])))
          return;
        send(res, reply);
      },
      () => res.destroy(),
    );
  }

  private faultReply(): Reply | undefined {
    switch (this.fault) {
      case 'unavailable':
        return errorReply(arcErrors.endpointUnavailable(this.region));
      case 'throttle':
        return errorReply(arcErrors.throttling(RETRY_AFTER_SECONDS));
      case 'internal-error':
        return errorReply(arcErrors.internal(RETRY_AFTER_SECONDS));
      default:
        return undefined;
    }
  }
}

function send(res: ServerResponse, reply: Reply): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    ...reply.headers,
  });
  res.end(body);
}
