import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readBookmark, writeBookmark, type Bookmark } from '@arc-failover/arc';
import { runCommand, TSX } from '@arc-failover/testing';
import { FREE_PORT_FLAGS } from '../src/free-ports';
import { REPO_ROOT } from '@arc-failover/stacks';
import { queryUdp } from './helpers/dns-query';

// Real servers and CLI processes: seconds per test, more on a loaded 2-core machine.
jest.setTimeout(30_000);

const START = 'scripts/sandbox/src/commands/start/main.ts';

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** What a user runs: `npm start`'s entry point as its own process, on free ports, with its own bookmark. */
describe('npm start', () => {
  let dir: string;
  let bookmarkFile: string;
  let child: ChildProcessWithoutNullStreams;
  let stdout = '';
  let bookmark: Bookmark;

  const waitFor = (pattern: RegExp, withinMs = 30_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not seen in ${withinMs} ms: ${pattern}\n${stdout}`)),
        withinMs,
      );
      const check = () => {
        if (!pattern.test(stdout)) return;
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve();
      };
      child.stdout.on('data', check);
      check();
    });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'npm-start-e2e-'));
    bookmarkFile = path.join(dir, 'bookmark.json');
    const fast = ['--interval', '0.3', '--ttl', '1', '--wait-period-ms', '300'];
    child = spawn(TSX, [path.join(REPO_ROOT, START), ...FREE_PORT_FLAGS, ...fast], {
      cwd: REPO_ROOT,
      env: { ...process.env, ARC_BOOKMARK: bookmarkFile },
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    await waitFor(/Ctrl-C stops everything/);
    bookmark = readBookmark(bookmarkFile);
    // What npm start is for: the sandbox, then a failover to watch. Every later test starts after it.
    await waitFor(/\[demo\] (every step behaved|FAILED|could not run)/, 60_000);
  }, 90_000);

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('says where everything is, and that it put every API on its primary through the data plane', () => {
    expect(stdout).toMatch(/ready in \d+\.\d\d s/);
    expect(stdout).toContain(`public entry   ${bookmark.sandbox!.entryUrl}`);
    expect(stdout).toContain(`dig @127.0.0.1 -p ${bookmark.sandbox!.dns!.port} service1.example.com`);
    expect(stdout).toContain('external-api us-east-1, service1 us-east-1, service2 us-west-2');
    expect(bookmark.sandbox).toMatchObject({
      pid: expect.any(Number),
      urls: { service1: { 'us-west-2': expect.stringMatching(/^http:\/\/127\.0\.2\.2:\d+$/) } },
    });
  });

  it('runs the failover demo once it is up: service1 alone, then everything, over and back', () => {
    expect(stdout).toContain('[demo] every step behaved');
    expect(stdout).toMatch(
      /\[demo\] step 2: fail over service1: ok \(\/ us-east-1, \/service1 us-west-2, \/service2 us-west-2\)/,
    );
    expect(stdout).toMatch(
      /\[demo\] step 4: fail over everything at once: ok \(\/ us-west-2, \/service1 us-west-2, \/service2 us-east-1\)/,
    );
    // The live view saw it too, as a line of its own.
    expect(stdout).toMatch(/>>> \/service1 now answered from us-west-2 \(was us-east-1\)/);
  });

  it('shows each public URL with the Region that answered, every interval', async () => {
    await waitFor(/\/service1 +200 us-east-1 .*\/service2 +200 us-west-2/);
  });

  it('serves curl on the entry and dig on the DNS port', async () => {
    const response = await fetch(`${bookmark.sandbox!.entryUrl}/service2`);
    expect(await response.json()).toEqual({ service: 'service2', region: 'us-west-2' });
    expect((await queryUdp(bookmark.sandbox!.dns!.port, 'example.com')).answers?.[0]).toMatchObject({
      data: '127.0.1.1',
    });
  });

  it('npm run probe --until exits 0 once it sees the Region', async () => {
    const run = await runCommand('probe', ['--until', 'service1=us-east-1', '--bookmark', bookmarkFile]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('seen: service1=us-east-1');
  });

  it('refuses a second sandbox on the same bookmark, in one line, changing nothing', async () => {
    const run = await runCommand('start', FREE_PORT_FLAGS, { ARC_BOOKMARK: bookmarkFile });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      `error: a sandbox is already running (pid ${bookmark.sandbox!.pid}, entry ${bookmark.sandbox!.entryUrl}): stop it first, or give this one another --bookmark and other ports\n`,
    );
    expect(readBookmark(bookmarkFile).sandbox?.pid).toBe(bookmark.sandbox!.pid);
  });

  it('says which port is busy and which flag picks another, and writes no bookmark', async () => {
    const other = path.join(dir, 'other.json');
    const entryPort = new URL(bookmark.sandbox!.entryUrl!).port;
    const run = await runCommand('start', [...FREE_PORT_FLAGS, '--port', entryPort, '--bookmark', other]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(
      `error: cannot listen on 127.0.0.1:${entryPort} for the public entry: the port is already in use (stop what uses it, or choose another with --port)\n`,
    );
    expect(existsSync(other)).toBe(false);
  });

  it('names the busy ARC endpoint port and --arc-ports, from the emulator’s own listen error', async () => {
    const other = path.join(dir, 'other-arc.json');
    const arcPort = new URL(bookmark.endpoints[1]!.url).port;
    const run = await runCommand('start', [
      ...FREE_PORT_FLAGS.slice(0, -2),
      '--arc-ports',
      `0,${arcPort},0,0,0`,
      '--bookmark',
      other,
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(
      `error: cannot listen on 127.0.0.1:${arcPort} for the ARC cluster endpoint in ${bookmark.endpoints[1]!.region}: the port is already in use (stop what uses it, or choose another with --arc-ports)\n`,
    );
    expect(existsSync(other)).toBe(false);
  });

  it('rejects a bad flag in one line before starting anything', async () => {
    const run = await runCommand('start', ['--dns-port', 'fifty']);
    expect([run.exitCode, run.stderr]).toEqual([
      2,
      'error: --dns-port fifty: expected a whole number from 0 to 65535\n',
    ]);
  });

  it('stops on SIGTERM, leaving nothing listening and its bookmark without a pid', async () => {
    const listeners: [string, number][] = [
      ['127.0.0.1', Number(new URL(bookmark.sandbox!.entryUrl!).port)],
      ['127.0.0.1', Number(new URL(bookmark.sandbox!.adminUrl!).port)],
      ['127.0.0.1', bookmark.sandbox!.dns!.port],
      ...bookmark.endpoints.map((e): [string, number] => ['127.0.0.1', Number(new URL(e.url).port)]),
      ...Object.values(bookmark.sandbox!.urls!).flatMap((byRegion) =>
        Object.values(byRegion).map((url): [string, number] => [
          new URL(url).hostname,
          Number(new URL(url).port),
        ]),
      ),
    ];
    expect(await Promise.all(listeners.map(([host, port]) => canConnect(host, port)))).toEqual(
      listeners.map(() => true),
    );

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('stopped: nothing left listening');
    expect(await Promise.all(listeners.map(([host, port]) => canConnect(host, port)))).toEqual(
      listeners.map(() => false),
    );
    const after = readBookmark(bookmarkFile);
    expect(after.sandbox?.pid).toBeUndefined();
    expect(after.sandbox?.entryUrl).toBe(bookmark.sandbox!.entryUrl);

    const fault = await runCommand('fault', ['service1', 'us-east-1', 'down', '--bookmark', bookmarkFile]);
    expect([fault.exitCode, fault.stderr]).toEqual([
      1,
      `error: no sandbox is running (${bookmarkFile} names none alive): start one with "npm start"\n`,
    ]);
  });

  it('does not take a reused pid for a running sandbox: its admin listener must answer with that pid', async () => {
    const stale = path.join(dir, 'stale.json');
    writeBookmark(stale, { ...bookmark, sandbox: { ...bookmark.sandbox!, pid: process.pid } });
    const probe = await runCommand('probe', ['--count', '1', '--bookmark', stale]);
    expect([probe.exitCode, probe.stderr]).toEqual([
      1,
      `error: no sandbox is running (${stale} names none alive): start one with "npm start"\n`,
    ]);
  });
});
