import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request body read whole, or word that it passes the listener's cap (and nothing of it kept). */
export type BodyRead = { complete: true; body: Buffer } | { complete: false; limit: number };

/**
 * Reads a request's body, never holding more than `limit` bytes of it: a `content-length` over the cap is
 * refused before a byte is read, and a body without one (chunked) is refused as soon as it passes the cap,
 * after which the request is paused and the bytes read so far are let go. Answer a refused body with the
 * listener's 413 after `closeAfterResponse`, so the rest is never read.
 */
export function readBodyWithin(request: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.resolve({ complete: false, limit });
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    const settle = (settled: () => void) => {
      request.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      settled();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      chunks = [];
      request.pause();
      settle(() => resolve({ complete: false, limit }));
    };
    const onEnd = () => settle(() => resolve({ complete: true, body: Buffer.concat(chunks, size) }));
    const onError = (error: Error) => settle(() => reject(error));
    const onClose = () => settle(() => reject(new Error('the client closed the request before its end')));
    request.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/** How long a refused request's connection lingers after the answer, discarding what the client still sends. */
export const LINGER_MS = 1000;

/**
 * Makes this response the connection's last, without reading the rest of a body the listener refused.
 * Node would close the socket the moment the answer is written; a client still sending its body then gets
 * a reset, which can destroy the answer before the client reads it (curl's "connection reset by peer"
 * instead of the 413). So, as web servers do (nginx's lingering close), the socket ends its side after the
 * answer, lets in-flight bytes go unread into the void for at most `LINGER_MS`, then closes.
 */
export function closeAfterResponse(response: ServerResponse): void {
  response.setHeader('connection', 'close');
  const socket = response.socket;
  if (!socket) return;
  socket.destroySoon = () => {
    socket.end();
    response.req.resume();
    socket.resume();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    socket.once('close', () => clearTimeout(timer));
  };
}
