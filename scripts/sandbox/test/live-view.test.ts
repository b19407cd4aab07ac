import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { LiveView } from '../src/commands/start/live-view';

describe('the live view', () => {
  let region = 'us-east-1';
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      if (request.url === '/broken') {
        response.writeHead(503, { 'content-type': 'application/json' });
        return response.end('{"message":"Service Unavailable"}');
      }
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({ service: request.url === '/' ? 'external-api' : request.url!.slice(1), region }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('prints every URL with its Region, status and latency each round, and a line when a Region changes', async () => {
    const lines: string[] = [];
    const view = new LiveView({
      entryUrl: url,
      paths: ['/', '/service1', '/broken'],
      intervalMs: 30,
      print: (line) => lines.push(line),
    });
    view.start();
    while (lines.length < 2) await sleep(10);
    region = 'us-west-2';
    while (lines.filter((line) => line.includes('>>>')).length < 2) await sleep(10);
    await view.stop();

    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d {2}\/ {9}200 us-east-1 +\d+\.\d ms {3}\/service1 200 us-east-1 +\d+\.\d ms {3}\/broken {3}503 - \(\{"message":"Service Unavailable"\}\)/,
    );
    const changes = lines.filter((line) => line.includes('>>>'));
    expect(changes).toEqual([
      expect.stringMatching(/>>> \/ now answered from us-west-2 \(was us-east-1\)$/),
      expect.stringMatching(/>>> \/service1 now answered from us-west-2 \(was us-east-1\)$/),
    ]);
    const printed = lines.length;
    await sleep(100);
    expect(lines.length).toBe(printed);
  });
});
