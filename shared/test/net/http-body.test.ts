import http from 'node:http';
import { buffer } from 'node:stream/consumers';
import { postClaiming, postStreaming } from '@arc-failover/testing';
import { closeAfterResponse, closeHttpServer, readBodyWithin } from '../../src/net';

const CAP = 1024 * 1024;
const MB = 1024 * 1024;

/** A listener that echoes the body's length, or answers 413 and closes past the cap. */
function echoLength(): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((request, response) => {
    void readBodyWithin(request, CAP).then((read) => {
      if (!read.complete) {
        closeAfterResponse(response);
        response.writeHead(413).end(`over ${read.limit}`);
      } else response.end(String(read.body.length));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}/` });
    }),
  );
}

const agent = new http.Agent({ keepAlive: true });

function post(url: string, body: Buffer): Promise<{ status: number; body: string; keepAlive: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent }, (response) => {
      void buffer(response).then((text) =>
        resolve({
          status: response.statusCode!,
          body: text.toString(),
          keepAlive: response.headers.connection !== 'close',
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('reading a request body within a cap', () => {
  let listener: { server: http.Server; url: string };
  beforeAll(async () => (listener = await echoLength()));
  afterAll(() => {
    agent.destroy();
    return closeHttpServer(listener.server);
  });

  it('gives the whole body up to the cap, and keeps the connection', async () => {
    expect(await post(listener.url, Buffer.alloc(CAP, 1))).toEqual({
      status: 200,
      body: String(CAP),
      keepAlive: true,
    });
    expect(await post(listener.url, Buffer.alloc(0))).toMatchObject({ status: 200, body: '0' });
  });

  it('refuses a content-length over the cap before reading the body, and closes the connection', async () => {
    const answer = await postClaiming({ url: listener.url, claimedBytes: 5 * 1024 * MB, timeoutMs: 5000 });
    expect(answer).toMatchObject({ status: 413, body: `over ${CAP}`, closed: true });
    expect(answer.headers.connection).toBe('close');
    expect(answer.ms).toBeLessThan(2000);
  });

  it('stops reading a chunked body once it passes the cap, holding none of it', async () => {
    const before = process.memoryUsage().rss;
    const answer = await postStreaming({ url: listener.url, totalBytes: 200 * MB, timeoutMs: 5000 });
    const grown = process.memoryUsage().rss - before;
    expect(answer).toMatchObject({ status: 413, closed: true });
    expect(grown).toBeLessThan(50 * MB);
    expect(await post(listener.url, Buffer.from('still here'))).toMatchObject({ status: 200, body: '10' });
  });
});
