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

/**
 * Makes this response the connection's last: Node closes the socket once it is sent, instead of reading
 * (and discarding) the rest of a body the listener refused.
 */
export function closeAfterResponse(response: ServerResponse): void {
  response.setHeader('connection', 'close');
}
