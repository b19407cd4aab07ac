import http from 'node:http';
import type { DnsResolver } from './dns-resolver';

/** Headers that describe one connection, not the message: a proxy never forwards them. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export function endToEndHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const kept: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}

export interface OutgoingRequest {
  method: string;
  /** A name served by the sandbox DNS, e.g. service1.example.com */
  hostname: string;
  /** Path and query. */
  path: string;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
  timeoutMs: number;
}

export interface ReceivedResponse {
  statusCode: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The address the name resolved to, i.e. which deployment answered. */
  address: string;
}

/** Why a request got no response: the name did not resolve, the connection failed, or it timed out. */
export class UpstreamError extends Error {
  override name = 'UpstreamError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * An HTTP client for names served by the sandbox DNS, as a client on the internet would reach them: it
 * resolves the name (honouring the record's TTL) and connects to the answered address on the sandbox's
 * HTTP port, sending the name as Host. Keep-alive connections are pooled per resolved address (the agent
 * keys its pool by host, and the host is the address), so once the record points elsewhere, new requests
 * go to the new deployment and the idle connections to the old one just age out.
 */
export class DnsHttpClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 4000 });

  constructor(
    private readonly resolver: DnsResolver,
    private readonly port: number,
  ) {}

  async request(outgoing: OutgoingRequest): Promise<ReceivedResponse> {
    let address: string;
    try {
      address = await this.resolver.resolve(outgoing.hostname);
    } catch (error) {
      throw new UpstreamError((error as Error).message, (error as { code?: string }).code ?? 'EDNS');
    }
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: address,
          port: this.port,
          method: outgoing.method,
          path: outgoing.path,
          headers: { ...outgoing.headers, host: outgoing.hostname },
          agent: this.agent,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            clearTimeout(timer);
            resolve({
              statusCode: response.statusCode ?? 502,
              headers: response.headers,
              body: Buffer.concat(chunks),
              address,
            });
          });
          response.on('error', fail);
        },
      );
      const timer = setTimeout(() => {
        request.destroy(
          new UpstreamError(
            `${outgoing.hostname} (${address}) did not answer in ${outgoing.timeoutMs} ms`,
            'ETIMEDOUT',
          ),
        );
      }, outgoing.timeoutMs);
      function fail(error: Error) {
        clearTimeout(timer);
        reject(
          error instanceof UpstreamError
            ? error
            : new UpstreamError(
                `${outgoing.hostname} (${address}): ${error.message}`,
                (error as NodeJS.ErrnoException).code ?? 'EIO',
              ),
        );
      }
      request.on('error', fail);
      request.end(outgoing.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
