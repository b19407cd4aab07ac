import http from 'node:http';
import net from 'node:net';
import { closeHttpServer, listenTcp, portOf } from '@arc-failover/shared/net';

/** What a test server saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The local address the client connected to. */
  localAddress: string;
}

export interface TestHttpServer {
  url: string;
  port: number;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** An HTTP server on loopback, port 0; `handle` answers each request (or never does). */
export async function startHttpServer(
  handle: (request: http.IncomingMessage, response: http.ServerResponse) => void,
  host = '127.0.0.1',
): Promise<TestHttpServer> {
  const requests: SeenRequest[] = [];
  const server = http.createServer((request, response) => {
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      localAddress: request.socket.localAddress ?? '',
    });
    handle(request, response);
  });
  await listenTcp(server, { host, port: 0, what: 'a test HTTP server' });
  const port = portOf(server);
  return {
    url: `http://${net.isIPv6(host) ? `[${host}]` : host}:${port}`,
    port,
    requests,
    close: () => closeHttpServer(server),
  };
}

export interface SilentTcpServer {
  port: number;
  /** Connections accepted so far. */
  accepted: number;
  close(): Promise<void>;
}

/** Accepts TCP connections and never writes a byte: no HTTP answer, no TLS handshake. */
export async function startSilentTcpServer(host = '127.0.0.1'): Promise<SilentTcpServer> {
  const sockets = new Set<net.Socket>();
  const silent = { port: 0, accepted: 0, close: async () => {} };
  const server = net.createServer((socket) => {
    silent.accepted++;
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  await listenTcp(server, { host, port: 0, what: 'a silent TCP server' });
  silent.port = portOf(server);
  silent.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return silent;
}

/** A loopback port nothing listens on: one the system gave a server that is closed again. */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const server = await listenTcp(net.createServer(), { host, port: 0, what: 'a port to close' });
  const port = portOf(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether this machine can listen on `host` (::1 is missing where IPv6 is off). */
export async function canListenOn(host: string): Promise<boolean> {
  try {
    const server = await listenTcp(net.createServer(), { host, port: 0, what: 'a probe' });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return true;
  } catch {
    return false;
  }
}
