import http from 'node:http';
import { Readable } from 'node:stream';

/** How a listener answered an oversized request, and whether it then closed the connection. */
export interface OversizedAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** From the first byte sent to the end of the answer. */
  ms: number;
  /** The listener closed the connection instead of reading the rest of the body. */
  closed: boolean;
}

export interface OversizedRequest {
  url: string;
  headers?: http.OutgoingHttpHeaders;
  /** No answer (answer and close) in this many ms fails the request; default 10 s. */
  timeoutMs?: number;
}

/**
 * A POST whose `content-length` claims `claimedBytes` (say 5 GiB) while only 64 KiB of it is sent: a
 * listener that waits for the body never answers.
 */
export function postClaiming(request: OversizedRequest & { claimedBytes: number }): Promise<OversizedAnswer> {
  return post(request, { 'content-length': String(request.claimedBytes) }, (req) => req.write(CHUNK));
}

/**
 * A POST of `totalBytes`, chunked or with its `content-length`, streamed from one reused 64 KiB chunk, so
 * the client holds no more than a few chunks however large the body: a listener that buffers it grows by
 * `totalBytes`.
 */
export function postStreaming(
  request: OversizedRequest & { totalBytes: number; framing?: 'chunked' | 'content-length' },
): Promise<OversizedAnswer> {
  let body: Readable | undefined;
  return post(
    request,
    request.framing === 'content-length'
      ? { 'content-length': String(request.totalBytes) }
      : { 'transfer-encoding': 'chunked' },
    (req) => {
      body = Readable.from(chunks(request.totalBytes), { objectMode: false });
      body.pipe(req);
    },
    () => body?.destroy(),
  );
}

const CHUNK = Buffer.alloc(64 * 1024, 0x61);

function* chunks(totalBytes: number): Generator<Buffer> {
  let sent = 0;
  for (; sent + CHUNK.length <= totalBytes; sent += CHUNK.length) yield CHUNK;
  if (sent < totalBytes) yield CHUNK.subarray(0, totalBytes - sent);
}

function post(
  { url, headers = {}, timeoutMs = 10_000 }: OversizedRequest,
  framing: http.OutgoingHttpHeaders,
  send: (req: http.ClientRequest) => void,
  stop: () => void = () => undefined,
): Promise<OversizedAnswer> {
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    let answer: Omit<OversizedAnswer, 'closed'> | undefined;
    let ended = false;
    let closed = false;
    const settle = (outcome: () => void) => {
      clearTimeout(timer);
      stop();
      outcome();
    };
    const timer = setTimeout(() => {
      req.destroy();
      settle(() =>
        reject(
          new Error(
            `no answer and close within ${timeoutMs} ms` +
              (answer ? ` (answered ${answer.status}, connection still open)` : ''),
          ),
        ),
      );
    }, timeoutMs);
    const maybeDone = () => {
      if (answer && ended && closed) settle(() => resolve({ ...answer!, closed }));
    };
    const req = http.request(url, { method: 'POST', agent: false, headers: { ...headers, ...framing } });
    req.on('socket', (socket) =>
      socket.on('close', () => {
        closed = true;
        if (answer && !answer.ms) answer.ms = Date.now() - startedAt;
        // A reset can cut the answer's end; what came of it is the answer.
        ended = true;
        maybeDone();
      }),
    );
    req.on('response', (response) => {
      answer = { status: response.statusCode!, headers: response.headers, body: '', ms: 0 };
      response.setEncoding('utf8').on('data', (chunk: string) => (answer!.body += chunk));
      response.on('error', () => undefined);
      response.on('end', () => {
        answer!.ms = Date.now() - startedAt;
        ended = true;
        maybeDone();
      });
    });
    // Writing into a connection the listener closed fails (EPIPE, ECONNRESET): expected once it answered.
    req.on('error', (error) => {
      if (!answer) settle(() => reject(error));
    });
    send(req);
  });
}
