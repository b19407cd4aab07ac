import { startHttpServer, type TestHttpServer } from '../readiness/servers';

export interface TestEntry extends TestHttpServer {
  /** The Region the API of this hostname answers from now; unset: 502, as a gateway with nowhere to go. */
  serving: Map<string, string>;
  /** Added before every answer. */
  delayMs: number;
}

/**
 * The sandbox's public entry, as the proof sees it: it answers `{"service","region"}` for the API named by
 * the Host header, from the Region that serves it now.
 */
export async function startEntry(): Promise<TestEntry> {
  const serving = new Map<string, string>();
  const entry: TestEntry = Object.assign(
    await startHttpServer((request, response) => {
      const host = (request.headers.host ?? '').replace(/:\d+$/, '');
      setTimeout(() => {
        const region = serving.get(host);
        if (!region) return void response.writeHead(502).end('no route');
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ service: host.split('.')[0], region }));
      }, entry.delayMs);
    }),
    { serving, delayMs: 0 },
  );
  return entry;
}
