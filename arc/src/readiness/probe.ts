import http from 'node:http';
import https from 'node:https';

export interface HttpProbeOptions {
  /** TCP (and TLS) connect timeout. */
  connectTimeoutMs: number;
  /** The whole exchange, connect included. */
  timeoutMs: number;
  /** Host header and TLS SNI when the URL names an address; default the URL's host. */
  host?: string;
  /** Connect here instead of resolving the URL's host (an address read from the authoritative DNS). */
  address?: string;
}

/** How one GET ended: an HTTP status, or why there was none. */
export type HttpProbeResult =
  | { kind: 'status'; status: number; body: string; elapsedMs: number }
  | { kind: 'timeout' | 'connect-timeout' | 'refused' | 'dns' | 'error'; reason: string; elapsedMs: number };

/** Bodies are read up to this size: a health answer or `{"service","region"}`, nothing more. */
const MAX_BODY = 16 * 1024;

/**
 * One GET with a connect timeout and a total timeout, on a connection of its own (no keep-alive pool: a
 * pooled socket would pin an address a switch just moved away from, and would keep the process alive).
 */
export function httpGet(url: string, options: HttpProbeOptions): Promise<HttpProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: HttpProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(total);
      clearTimeout(connect);
      request.destroy();
      resolve(result);
    };
    const request = client.request(
      {
        protocol: target.protocol,
        // URL keeps an IPv6 address in brackets ([::1]); a socket connects to the bare address
        hostname: options.address ?? target.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: target.port || undefined,
        path: `${target.pathname}${target.search}`,
        method: 'GET',
        agent: false,
        headers: { host: options.host ?? target.host, connection: 'close', 'user-agent': 'arc-switch' },
        ...(options.host ? { servername: options.host } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () =>
          done({
            kind: 'status',
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY),
            elapsedMs: elapsed(),
          }),
        );
        response.on('error', (error) => done({ kind: 'error', reason: error.message, elapsedMs: elapsed() }));
      },
    );
    const total = setTimeout(
      () =>
        done({ kind: 'timeout', reason: `no answer within ${options.timeoutMs} ms`, elapsedMs: elapsed() }),
      options.timeoutMs,
    );
    const connect = setTimeout(
      () =>
        done({
          kind: 'connect-timeout',
          reason: `no connection within ${options.connectTimeoutMs} ms`,
          elapsedMs: elapsed(),
        }),
      options.connectTimeoutMs,
    );
    request.on('socket', (socket) => {
      const connected = () => clearTimeout(connect);
      if (!socket.connecting) connected();
      socket.once(target.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      const kind =
        code === 'ECONNREFUSED' ? 'refused' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'dns' : 'error';
      done({ kind, reason: code ? `${code}: ${error.message}` : error.message, elapsedMs: elapsed() });
    });
    request.end();
  });
}

/** The Region a handler says it answered from (`{"service","region"}`), if the body says so. */
export function regionOfBody(body: string): string | undefined {
  try {
    const region = (JSON.parse(body) as { region?: unknown }).region;
    return typeof region === 'string' ? region : undefined;
  } catch {
    return undefined;
  }
}
