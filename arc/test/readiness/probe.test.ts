import { once } from 'node:events';
import type { Socket } from 'node:net';
import { httpGet, regionOfBody } from '../../src/readiness';
import {
  canListenOn,
  closedPort,
  startHttpServer,
  startSilentTcpServer,
  type SilentTcpServer,
  type TestHttpServer,
} from './servers';

const QUICK = { connectTimeoutMs: 1000, timeoutMs: 2000 };

describe('httpGet', () => {
  let server: TestHttpServer;
  let hanging: TestHttpServer;
  let silent: SilentTcpServer;

  beforeAll(async () => {
    server = await startHttpServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      if (path === '/unavailable') {
        response.writeHead(503, { 'content-type': 'text/plain' }).end('try later');
      } else if (path === '/large') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        // 64 KiB in 4 KiB writes: the body arrives in many chunks
        for (let i = 0; i < 16; i++) response.write(String.fromCharCode(97 + i).repeat(4096));
        response.end();
      } else if (path === '/cut') {
        response.writeHead(200, { 'content-length': '1000' });
        response.write('only part');
        setTimeout(() => response.socket?.destroy(), 20);
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ service: 'service1', region: 'us-east-1', path: request.url }));
      }
    });
    hanging = await startHttpServer(() => {
      // reads the request, never answers
    });
    silent = await startSilentTcpServer();
  });

  afterAll(async () => {
    await Promise.all([server.close(), hanging.close(), silent.close()]);
  });

  it('answers a 200 with its body, path and query as given', async () => {
    const result = await httpGet(`${server.url}/health?deep=1`, QUICK);
    expect(result).toMatchObject({ kind: 'status', status: 200 });
    if (result.kind !== 'status') throw new Error('no status');
    expect(JSON.parse(result.body)).toEqual({
      service: 'service1',
      region: 'us-east-1',
      path: '/health?deep=1',
    });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(server.requests.at(-1)).toMatchObject({
      method: 'GET',
      url: '/health?deep=1',
      headers: expect.objectContaining({ 'user-agent': 'arc-switch' }),
    });
  });

  it('answers a 503 as a status, not a failure of its own', async () => {
    const result = await httpGet(`${server.url}/unavailable`, QUICK);
    expect(result).toMatchObject({ kind: 'status', status: 503, body: 'try later' });
  });

  it('gives up on a server that accepts but never answers after timeoutMs', async () => {
    const started = performance.now();
    // the connect timer is shorter than the total: it must have been cleared once connected
    const result = await httpGet(`${hanging.url}/health`, { connectTimeoutMs: 150, timeoutMs: 300 });
    const waited = performance.now() - started;
    expect(result).toMatchObject({ kind: 'timeout', reason: 'no answer within 300 ms' });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(900);
    expect(hanging.requests).toHaveLength(1);
  });

  it('says refused for a closed port', async () => {
    const port = await closedPort();
    const result = await httpGet(`http://127.0.0.1:${port}/`, QUICK);
    expect(result).toMatchObject({ kind: 'refused', reason: expect.stringContaining('ECONNREFUSED') });
    expect(result.elapsedMs).toBeLessThan(1000);
  });

  // A TCP connect that never completes cannot be made on loopback from Node (it accepts every connection
  // it is offered, so a full backlog cannot be held). The connect timeout also covers the TLS handshake:
  // an https GET to a server that accepts and never speaks TLS is a connect that never completes.
  it('says connect-timeout when the connection (here its TLS handshake) does not complete in time', async () => {
    const started = performance.now();
    const result = await httpGet(`https://127.0.0.1:${silent.port}/`, {
      connectTimeoutMs: 200,
      timeoutMs: 2000,
    });
    const waited = performance.now() - started;
    expect(result).toMatchObject({ kind: 'connect-timeout', reason: 'no connection within 200 ms' });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(190);
    expect(waited).toBeLessThan(600);
    expect(silent.accepted).toBeGreaterThanOrEqual(1);
  });

  it('keeps 16 KiB of a larger body', async () => {
    const result = await httpGet(`${server.url}/large`, QUICK);
    if (result.kind !== 'status') throw new Error(`no status: ${result.kind}`);
    expect(result.status).toBe(200);
    expect(result.body).toHaveLength(16 * 1024);
    expect(result.body).toBe('a'.repeat(4096) + 'b'.repeat(4096) + 'c'.repeat(4096) + 'd'.repeat(4096));
  });

  it('says error when the connection drops in the middle of the body', async () => {
    const result = await httpGet(`${server.url}/cut`, QUICK);
    expect(result.kind).toBe('error');
  });

  it('connects to `address` and sends `host` as the Host header, never resolving the URL’s name', async () => {
    // .invalid never resolves (RFC 6761): an answer proves the name was not looked up
    const url = `http://api.example.invalid:${server.port}/health`;
    const result = await httpGet(url, { ...QUICK, host: 'service1.example.com', address: '127.0.0.1' });
    expect(result).toMatchObject({ kind: 'status', status: 200 });
    expect(server.requests.at(-1)?.headers.host).toBe('service1.example.com');

    const withoutHost = await httpGet(url, { ...QUICK, address: '127.0.0.1' });
    expect(withoutHost).toMatchObject({ kind: 'status', status: 200 });
    expect(server.requests.at(-1)?.headers.host).toBe(`api.example.invalid:${server.port}`);
  });

  it('uses a connection of its own for each GET, closed after the answer', async () => {
    const sockets: Socket[] = [];
    const seen = await startHttpServer((request, response) => {
      sockets.push(request.socket);
      response.end('ok');
    });
    try {
      await httpGet(`${seen.url}/`, QUICK);
      await httpGet(`${seen.url}/`, QUICK);
      expect(seen.requests.map((r) => r.headers.connection)).toEqual(['close', 'close']);
      expect(new Set(sockets).size).toBe(2);
      // both ends are closed without the server having to close them
      await Promise.all(sockets.map((s) => (s.destroyed ? undefined : once(s, 'close'))));
    } finally {
      await seen.close();
    }
  });

  it('GETs a URL naming an IPv6 address', async () => {
    if (!(await canListenOn('::1'))) return console.warn('no IPv6 loopback here: not tested');
    const v6 = await startHttpServer((_request, response) => response.end('ok'), '::1');
    try {
      const result = await httpGet(`${v6.url}/health`, QUICK);
      expect(result).toMatchObject({ kind: 'status', status: 200, body: 'ok' });
      expect(v6.requests[0]?.localAddress).toBe('::1');
    } finally {
      await v6.close();
    }
  });
});

describe('regionOfBody', () => {
  it.each([
    ['{"service":"service1","region":"us-west-2"}', 'us-west-2'],
    ['{"service":"service1"}', undefined],
    ['{"region":42}', undefined],
    ['null', undefined],
    ['<html>Bad gateway</html>', undefined],
    ['', undefined],
  ])('%s → %s', (body, region) => {
    expect(regionOfBody(body)).toBe(region);
  });
});
