import dgram from 'node:dgram';
import http from 'node:http';
import type net from 'node:net';
import { closeHttpServer } from './http-server';
import { CommandError } from '../command/errors';

/** Where to listen, what for (named in errors), and the flag that changes it. */
export interface ListenTarget {
  host: string;
  /** 0: any free port. */
  port: number;
  what: string;
  /** How to choose another port or address, e.g. "--dns-port". */
  flag?: string;
}

/** A listener that could not start, said in one line a user can act on. */
export class ListenError extends CommandError {
  override name = 'ListenError';
  constructor(
    readonly target: ListenTarget,
    readonly code: string,
  ) {
    super(describe(target, code));
  }
}

function describe({ host, port, what, flag }: ListenTarget, code: string): string {
  const where = `cannot listen on ${host}:${port} for ${what}`;
  const other = flag ? `choose another with ${flag}` : 'choose another';
  switch (code) {
    case 'EADDRINUSE':
      return `${where}: the port is already in use (stop what uses it, or ${other})`;
    case 'EADDRNOTAVAIL':
      return (
        `${where}: ${host} is not an address of this machine` +
        (host.startsWith('127.')
          ? ` (on macOS, add it with "sudo ifconfig lo0 alias ${host} up"; or ${other})`
          : ` (${other})`)
      );
    case 'EACCES':
      return `${where}: permission denied (ports below 1024 need privileges; ${other})`;
    default:
      return `${where}: ${code}`;
  }
}

/** Starts a TCP/HTTP server; rejects with a ListenError instead of emitting 'error'. */
export function listenTcp<T extends net.Server>(server: T, target: ListenTarget): Promise<T> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(new ListenError(target, error.code ?? error.message));
    server.once('error', onError);
    server.listen(target.port, target.host, () => {
      server.off('error', onError);
      resolve(server);
    });
  });
}

export function listenUdp(target: ListenTarget): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const onError = (error: NodeJS.ErrnoException) => {
      socket.close();
      reject(new ListenError(target, error.code ?? error.message));
    };
    socket.once('error', onError);
    socket.bind(target.port, target.host, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/** The port a listening TCP server got (useful after asking for port 0). */
export function portOf(server: net.Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server is not listening on TCP');
  return address.port;
}

/** A running HTTP listener: where it answers, and how to stop it (leaving nothing listening). */
export interface HttpListener {
  url: string;
  close(): Promise<void>;
}

/** An HTTP server on `target`, each request handed to `handle`. */
export async function startHttpListener(
  target: ListenTarget,
  handle: (request: http.IncomingMessage, response: http.ServerResponse) => Promise<void>,
): Promise<HttpListener> {
  const server = http.createServer((request, response) => void handle(request, response));
  await listenTcp(server, target);
  return { url: `http://${target.host}:${portOf(server)}`, close: () => closeHttpServer(server) };
}
