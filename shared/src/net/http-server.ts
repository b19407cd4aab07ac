import type { Server } from 'node:http';

/**
 * Stops an HTTP server and ends every connection it holds, idle keep-alive and hanging ones included, so
 * nothing is left listening or connected once it resolves.
 */
export function closeHttpServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}
