import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bookmark } from '@arc-failover/arc';

/** How one API answers in one Region: a status, or never (a target that hangs). */
export type TargetBehaviour = number | 'hang';

/**
 * Stand-ins for every API's own URL in each Region, on one loopback port: `/<api>/<region>/...` answers
 * `{"service","region"}` with 200 unless told otherwise, so the switch CLI's readiness gate has something
 * real to ask in tests that run it against the cluster emulation alone.
 */
export class RegionalTargets {
  private readonly behaviour = new Map<string, TargetBehaviour>();
  private readonly hanging = new Set<http.ServerResponse>();
  readonly requests: string[] = [];

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<RegionalTargets> {
    const server = http.createServer();
    const targets = new RegionalTargets(server);
    server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) =>
      targets.answer(request, response),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return targets;
  }

  url(api: string, region: string): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/${api}/${region}`;
  }

  /** The bookmark with each API's Regional URL pointing here. */
  withUrls(bookmark: Bookmark): Bookmark {
    return {
      ...bookmark,
      version: 2,
      services: bookmark.services.map((service) => ({
        ...service,
        regions: Object.fromEntries(
          [service.primaryRegion, service.secondaryRegion].map((region) => [
            region,
            { url: this.url(service.name, region) },
          ]),
        ),
      })),
    };
  }

  set(api: string, region: string, behaviour: TargetBehaviour): void {
    this.behaviour.set(`${api}/${region}`, behaviour);
  }

  reset(): void {
    this.behaviour.clear();
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(request: http.IncomingMessage, response: http.ServerResponse): void {
    const [, api = '', region = ''] = (request.url ?? '/').split('/');
    this.requests.push(`${api}/${region}`);
    const behaviour = this.behaviour.get(`${api}/${region}`) ?? 200;
    if (behaviour === 'hang') {
      this.hanging.add(response);
      return;
    }
    response.writeHead(behaviour, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ service: api, region }));
  }
}
