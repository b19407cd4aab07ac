import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadTopology, type Runbook, type Topology } from '@arc-failover/shared';
import { setGates } from '../../src/approval';
import type { Bookmark } from '../../src/bookmark';
import { DataPlane } from '../../src/dataplane/client';
import { ClusterEmulator, SANDBOX_APPROVER_CREDENTIALS, SANDBOX_CREDENTIALS } from '../../src/emulator';
import type { ProofResult, ProveOptions } from '../../src/proof';
import type { ExecutionReport } from '../../src/report/model';
import type { RunbookContext, RunbookEvent } from '../../src/runbook';

/**
 * A runbook's world on loopback: the ARC cluster emulator (real endpoints, SigV4, safety rules, the
 * approval gate when asked), one HTTP server per API per Region standing in for its Regional URL (its
 * answer set per test), a bookmark pointing at them, and a fake proof that answers at once.
 */
export class RunbookWorld {
  readonly events: RunbookEvent[] = [];
  /** Every change the cluster applied, in order: [API, Region or 'approval', state]. */
  readonly changes: [string, string, string][] = [];
  readonly proofs: ProveOptions[] = [];
  /** Proofs answer not proven while this is true (by default they are proven). */
  notProven = false;
  private readonly clients: DataPlane[] = [];

  private constructor(
    readonly topology: Topology,
    readonly emulator: ClusterEmulator,
    readonly bookmark: Bookmark,
    private readonly servers: Server[],
    /** HTTP status by "<api> <region>" that the Regional servers answer; 200 when absent. */
    private readonly health: Map<string, number>,
  ) {
    const names = new Map<string, [string, string]>(
      topology.all.flatMap((api) =>
        api.regions.map((region): [string, [string, string]] => [
          emulator.routingControlArn(api.name, region),
          [api.name, region],
        ]),
      ),
    );
    if (topology.arc.approvalGate) {
      for (const api of topology.all)
        names.set(emulator.approvalControlArn(api.name), [api.name, 'approval']);
    }
    emulator.onChange((changes) => {
      for (const c of changes) this.changes.push([...names.get(c.routingControlArn)!, c.state]);
    });
  }

  /** Every API on its primary (as after `--all --to primary`), every approval gate Off. */
  static async start({ gate = false, base = loadTopology('local') } = {}): Promise<RunbookWorld> {
    const topology: Topology = { ...base, arc: { ...base.arc, approvalGate: gate } };
    const emulator = await ClusterEmulator.start({ topology, waitPeriodMs: 0 });
    const servers: Server[] = [];
    const health = new Map<string, number>();
    const bookmark = emulator.bookmark();
    bookmark.nameServers = [{ host: '127.0.0.1', port: 53 }];
    for (const api of bookmark.services) {
      api.regions = {};
      for (const region of [api.primaryRegion, api.secondaryRegion]) {
        const server = createServer((request, response) => {
          const status = health.get(`${api.name} ${region}`) ?? 200;
          response.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
          response.end(JSON.stringify({ service: api.name, region }));
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        servers.push(server);
        const { port } = server.address() as AddressInfo;
        api.regions[region] = { url: `http://127.0.0.1:${port}/`, address: `127.0.0.${servers.length + 1}` };
      }
    }
    const world = new RunbookWorld(topology, emulator, bookmark, servers, health);
    emulator.update(
      topology.all.flatMap((api) => [
        ...(gate ? [{ routingControlArn: emulator.approvalControlArn(api.name), state: 'On' as const }] : []),
        { routingControlArn: emulator.routingControlArn(api.name, api.primaryRegion), state: 'On' as const },
      ]),
    );
    if (gate) {
      emulator.update(
        topology.all.map((api) => ({
          routingControlArn: emulator.approvalControlArn(api.name),
          state: 'Off',
        })),
      );
    }
    world.changes.splice(0);
    return world;
  }

  runbook(name: string): Runbook {
    return structuredClone(this.topology.runbooks.find((r) => r.name === name)!);
  }

  /** What GET on the API's Regional URL answers from now on. */
  answer(api: string, region: string, status: number): void {
    this.health.set(`${api} ${region}`, status);
  }

  /** The API's Regional URL now points at a port nobody listens on. */
  async refuse(api: string, region: string): Promise<void> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    this.bookmark.services.find((s) => s.name === api)!.regions![region]!.url = `http://127.0.0.1:${port}/`;
  }

  /** Where the cluster sends each API's traffic, from its two routing controls. */
  serving(api: string): string {
    const service = this.topology.all.find((s) => s.name === api)!;
    const [primary, secondary] = service.regions.map((r) =>
      this.emulator.stateOf(this.emulator.routingControlArn(api, r)),
    );
    return primary === 'Off' && secondary === 'On' ? service.secondaryRegion : service.primaryRegion;
  }

  updates(): number {
    return this.emulator.operationCounts().UpdateRoutingControlStates;
  }

  operator(): DataPlane {
    // no hedged second read on a busy test machine: each read is one endpoint's, as the tests count them
    const client = new DataPlane({
      endpoints: this.emulator.endpoints,
      credentials: SANDBOX_CREDENTIALS,
      hedgeDelayMs: 5000,
    });
    this.clients.push(client);
    return client;
  }

  /** The approver turns gates On or Off, with the approver's own credentials. */
  async approve(apis: string[], state: 'On' | 'Off' = 'On'): Promise<void> {
    const approver = new DataPlane({
      endpoints: this.emulator.endpoints,
      credentials: SANDBOX_APPROVER_CREDENTIALS,
    });
    try {
      await setGates(approver, this.bookmark, apis, state);
    } finally {
      approver.close();
    }
  }

  readonly prove = async (options: ProveOptions): Promise<ProofResult> => {
    this.proofs.push(options);
    const proven = !this.notProven;
    return {
      proven,
      timeoutMs: options.timeoutMs,
      waitedMs: proven ? 600 : options.timeoutMs,
      apis: options.moves.map(({ api, region }) => ({
        api: api.name,
        hostname: api.hostname,
        region,
        ...(proven ? { dnsMs: 400, httpMs: 600 } : { lastDns: 'A 127.0.0.2 (us-east-1)' }),
        nameServer: '127.0.0.1:53',
        publicUrl: `https://${api.hostname}/`,
        lastHttp: proven ? `answered from ${region}` : 'answered from us-east-1',
        samples: [],
      })),
    };
  };

  /** A run's context with quick timeouts, recording every event. */
  context(runbook: Runbook, extra: Partial<RunbookContext> = {}): RunbookContext {
    return {
      bookmark: this.bookmark,
      dataPlane: this.operator(),
      runbook,
      report: newReport(this.bookmark),
      credentials: { accessKeyId: SANDBOX_CREDENTIALS.accessKeyId },
      readiness: { connectTimeoutMs: 500, timeoutMs: 1000 },
      proof: { timeoutMs: 2000, intervalMs: 10 },
      prove: this.prove,
      askApproval: () => Promise.resolve({ approved: true, by: 'alice' }),
      gatePollMs: 20,
      onEvent: (event) => this.events.push(event),
      ...extra,
    };
  }

  messages(type?: RunbookEvent['type']): string[] {
    return this.events.filter((e) => !type || e.type === type).map((e) => e.message);
  }

  async close(): Promise<void> {
    for (const client of this.clients.splice(0)) client.close();
    await Promise.all(this.servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await this.emulator.close();
  }
}

export function newReport(bookmark: Bookmark, id = 'run-1'): ExecutionReport {
  return {
    version: 1,
    id,
    kind: 'runbook',
    stage: bookmark.stage,
    clusterArn: bookmark.clusterArn,
    who: { user: 'operator', host: 'test' },
    argv: ['runbook', 'run'],
    startedAt: new Date().toISOString(),
    outcome: 'interrupted',
    skippedReadiness: false,
    steps: [],
  };
}
