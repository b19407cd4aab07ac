import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCommand } from '@arc-failover/testing';

// npm run probe as its own process against a stand-in for a deployment on loopback.
jest.setTimeout(30_000);

/** Answers every path as an API in us-east-1 would, except the paths in `failing`, which get a 502 page. */
async function fakeDeployment(failing: string[] = []): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (failing.includes(request.url ?? '')) {
      response.writeHead(502).end('Bad Gateway');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ service: 'service1', region: 'us-east-1' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('npm run probe --count', () => {
  it('exits 1 in one line when every request of every round failed', async () => {
    const gone = await fakeDeployment();
    await gone.close();
    const run = await runCommand('probe', ['--url', gone.url, '--count', '2', '--interval', '0.1']);
    expect([run.exitCode, run.stderr]).toEqual([
      1,
      `error: every request of 2 rounds failed: is ${gone.url} the right --url, and is it up?\n`,
    ]);
    expect(run.stdout.split('\n').filter((line) => line.includes('ECONNREFUSED'))).toHaveLength(2);
  });

  it('exits 0 when some requests were answered, even if others failed', async () => {
    const partly = await fakeDeployment(['/service2']);
    try {
      const run = await runCommand('probe', ['--url', partly.url, '--count', '1']);
      expect([run.exitCode, run.stderr]).toEqual([0, '']);
      expect(run.stdout).toMatch(/\/service1 +200 us-east-1 .*\/service2 +502 - \(Bad Gateway\)/);
    } finally {
      await partly.close();
    }
  });
});

describe('npm run probe --interval', () => {
  it.each(['0', '0.05'])('refuses %s s, which would probe in a tight loop', async (interval) => {
    // --count 1: were it accepted, the probe would end after one round instead of running on.
    const run = await runCommand('probe', [
      '--url',
      'http://127.0.0.1:9',
      '--count',
      '1',
      '--interval',
      interval,
    ]);
    expect([run.exitCode, run.stdout, run.stderr]).toEqual([
      2,
      '',
      `error: --interval ${interval}: at least 0.1 seconds\n`,
    ]);
  });
});
