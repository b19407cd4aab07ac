import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeHttpServer, listenTcp, portOf, type ListenTarget } from '@arc-failover/shared/net';
import { gatewayResponses, type HttpApi } from './http-api';
import { hostOf, readBody, refuseTooLarge, send, toReceivedRequest } from './http-io';

/** What a game day does to one API in one Region: refuse connections, answer 5xx, answer late, or recover. */
export type ApiFault = 'down' | 'error' | 'slow' | 'up';
export const API_FAULTS: readonly ApiFault[] = ['down', 'error', 'slow', 'up'];

/** How late a `slow` API answers: past any readiness timeout, well inside a client's patience. */
export const SLOW_FAULT_MS = 5000;

/**
 * One API deployed in one Region: its HTTP API on its own loopback address, the way its Regional
 * API Gateway domain has its own addresses, so a DNS answer alone says which deployment a client reaches.
 */
export class RegionalApi {
  private server: http.Server | undefined;
  private fault: ApiFault = 'up';

  private constructor(
    readonly api: string,
    readonly region: string,
    private target: ListenTarget,
    private readonly httpApi: HttpApi,
  ) {}

  static async start(
    api: string,
    region: string,
    target: ListenTarget,
    httpApi: HttpApi,
  ): Promise<RegionalApi> {
    const regional = new RegionalApi(api, region, target, httpApi);
    await regional.listen();
    return regional;
  }

  get address(): string {
    return this.target.host;
  }

  get port(): number {
    return this.target.port;
  }

  get url(): string {
    return `http://${this.target.host}:${this.target.port}`;
  }

  get currentFault(): ApiFault {
    return this.fault;
  }

  async setFault(fault: ApiFault): Promise<void> {
    if (fault === 'down') await this.stopListening();
    else if (!this.server) await this.listen();
    this.fault = fault;
  }

  close(): Promise<void> {
    return this.stopListening();
  }

  private async listen(): Promise<void> {
    const server = http.createServer((request, response) => void this.serve(request, response));
    this.server = await listenTcp(server, this.target);
    // Port 0 picks a free port once; coming back up after "down" takes the same one again.
    this.target = { ...this.target, port: portOf(this.server) };
  }

  private async serve(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    try {
      const read = await readBody(request);
      if (!read.complete) return refuseTooLarge(response);
      if (this.fault === 'error') return send(response, gatewayResponses.internalError());
      if (this.fault === 'slow') await sleep(SLOW_FAULT_MS);
      const received = { ...toReceivedRequest(request, read.body), host: hostOf(request) };
      send(response, await this.httpApi.handle(received));
    } catch {
      send(response, gatewayResponses.internalError());
    }
  }

  private async stopListening(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await closeHttpServer(server);
  }
}
