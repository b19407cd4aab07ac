import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { json } from 'node:stream/consumers';
import { ClusterEmulator } from '@arc-failover/arc/emulator';
import { loadTopology } from '@arc-failover/shared';
import { postClaiming, postStreaming, runCommand } from '@arc-failover/testing';
import { admin } from '../../src/admin/client';
import type { HttpListener } from '@arc-failover/shared/net';
import { MAX_ADMIN_REQUEST_BYTES, startAdminListener } from '../../src/admin/listener';
import type { SandboxStatus } from '../../src/admin/protocol';

const FAULT = JSON.stringify({ target: 'arc', region: 'us-east-1', fault: 'hang' });

function post(
  url: string,
  headers: http.OutgoingHttpHeaders,
  body = FAULT,
): Promise<{ status: number; body: unknown; closes: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL('/faults', url),
      { method: 'POST', agent: false, headers },
      (response) =>
        void json(response).then((parsed) =>
          resolve({
            status: response.statusCode!,
            body: parsed,
            closes: response.headers.connection === 'close',
          }),
        ),
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The admin listener behind `npm run fault`, with a stand-in for the sandbox that records the faults it is
 * asked to apply: a web page in the developer's browser must not be able to apply one.
 */
describe('the sandbox admin listener', () => {
  const applied: unknown[] = [];
  const status: SandboxStatus = {
    pid: process.pid,
    stage: 'local',
    domain: 'example.com',
    ttlSeconds: 2,
    waitPeriodMs: 0,
    entryUrl: 'http://127.0.0.1:1',
    dns: { host: '127.0.0.1', port: 1 },
    apis: [],
    arc: [{ region: 'us-east-1', url: 'http://127.0.0.1:2/v1', fault: 'none' }],
  };
  let listener: HttpListener;
  beforeAll(async () => {
    listener = await startAdminListener(
      { host: '127.0.0.1', port: 0, what: 'the admin listener' },
      {
        status: () => status,
        fault: (request) => {
          applied.push(request);
          return Promise.resolve('applied');
        },
      },
    );
  });
  afterAll(() => listener.close());
  beforeEach(() => applied.splice(0));

  it('refuses a cross-origin text/plain POST (what a web page can send without a preflight): 403, nothing applied', async () => {
    const reply = await post(listener.url, { 'content-type': 'text/plain', origin: 'https://evil.example' });
    expect(reply).toEqual({
      status: 403,
      body: {
        error: 'requests from https://evil.example are refused: the admin listener serves only itself',
      },
      closes: true,
    });
    expect(applied).toEqual([]);
  });

  it('refuses a foreign Origin even with application/json, and any Origin but its own', async () => {
    for (const origin of ['http://localhost:3000', 'null', listener.url.replace('127.0.0.1', 'localhost')]) {
      const reply = await post(listener.url, { 'content-type': 'application/json', origin });
      expect([origin, reply.status]).toEqual([origin, 403]);
    }
    expect(applied).toEqual([]);
  });

  it('answers 415 to a POST that is not application/json, with or without an Origin', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const reply = await post(listener.url, type ? { 'content-type': type } : {});
      expect(reply).toEqual({
        status: 415,
        body: { error: 'the admin listener accepts only content-type: application/json' },
        closes: true,
      });
    }
    expect(applied).toEqual([]);
  });

  it('applies a JSON fault from its own origin, or from no browser at all (no Origin)', async () => {
    const own = await post(listener.url, {
      'content-type': 'application/json; charset=utf-8',
      origin: new URL(listener.url).origin,
    });
    expect(own).toMatchObject({ status: 200, body: { message: 'applied' } });
    expect(await admin.fault(listener.url, { target: 'arc', region: 'us-east-1', fault: 'hang' })).toBe(
      'applied',
    );
    expect(applied).toEqual([JSON.parse(FAULT), JSON.parse(FAULT)]);
  });

  it('refuses a body over 64 KiB with 413, by content-length or chunked, and closes the connection', async () => {
    const headers = { 'content-type': 'application/json' };
    const url = new URL('/faults', listener.url).href;
    for (const answer of [
      await postClaiming({ url, headers, claimedBytes: 5 * 1024 ** 3, timeoutMs: 5000 }),
      await postStreaming({ url, headers, totalBytes: MAX_ADMIN_REQUEST_BYTES * 4, timeoutMs: 5000 }),
    ]) {
      expect(answer).toMatchObject({ status: 413, closed: true });
      expect(JSON.parse(answer.body)).toEqual({
        error: `the request body is over ${MAX_ADMIN_REQUEST_BYTES} bytes`,
      });
    }
    expect(applied).toEqual([]);
  });

  it('still serves `npm run fault` (its client sends application/json and no Origin)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'admin-'));
    const emulator = await ClusterEmulator.start({ topology: loadTopology('local') });
    try {
      const bookmark = emulator.bookmark();
      const bookmarkFile = path.join(dir, 'local.json');
      writeFileSync(
        bookmarkFile,
        JSON.stringify({
          ...bookmark,
          sandbox: {
            ...bookmark.sandbox,
            adminUrl: listener.url,
            entryUrl: status.entryUrl,
            dns: status.dns,
            pid: process.pid,
          },
        }),
      );
      const run = await runCommand('fault', ['arc', 'us-east-1', 'hang', '--bookmark', bookmarkFile]);
      expect([run.exitCode, run.stdout, run.stderr]).toEqual([0, 'applied\n', '']);
      expect(applied).toEqual([JSON.parse(FAULT)]);
    } finally {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
