import { createHash } from 'node:crypto';
import net from 'node:net';
import {
  ARC_CLUSTER_ENDPOINT_REGIONS,
  findService,
  roleOf,
  servingRegion,
  TopologyError,
  type RecordSettings,
  type Topology,
} from '@arc-failover/shared';
import { BOOKMARK_VERSION, readBookmark, writeBookmark, type Bookmark } from '@arc-failover/arc';
import { ClusterEmulator, ENDPOINT_FAULTS, type EndpointFault } from '@arc-failover/arc/emulator';
import { ListenError, type HttpListener } from '@arc-failover/shared/net';
import { apiAddresses, checkAddresses } from './addresses';
import { AdminRequestError, startAdminListener } from './admin/listener';
import type { SandboxStatus } from './admin/protocol';
import { DnsHttpClient } from './route53/dns-http-client';
import { DnsResolver } from './route53/dns-resolver';
import { startDnsServer, type DnsServer } from './route53/dns-server';
import { DNS_FAULTS, RecordRegions, type DnsFault } from './route53/stale-records';
import { HttpApi } from './api-gateway/http-api';
import { LambdaFunction } from './api-gateway/lambda-runtime';
import type { PackagedApi } from './api-gateway/packaged-api';
import { startPublicEntry } from './public-entry';
import { API_FAULTS, RegionalApi, SLOW_FAULT_MS, type ApiFault } from './api-gateway/regional-api';
import { readHttpApi } from './api-gateway/template';

export interface SandboxOptions {
  topology: Topology;
  /** Every API of topology.all, packaged. */
  packaged: Map<string, PackagedApi>;
  /** Where the entry, the DNS server, the admin listener and the cluster endpoints listen. */
  host: string;
  /** 0: a free port. */
  entryPort: number;
  /** The one port every (API, Region) listens on, each on its own address. */
  apiPort: number;
  dnsPort: number;
  adminPort: number;
  /** Five, one per cluster endpoint Region; omitted: free ports. */
  arcPorts?: number[];
  /** e.g. 127.0.{region}.{api} */
  apiAddresses: string;
  /** The A records' TTL: the alias target's in alias mode, the Regional target's in cname mode. */
  ttlSeconds: number;
  /** The service names' records; default the topology's (alias, or cname with its TTL). */
  records?: RecordSettings;
  waitPeriodMs: number;
  accountId?: string;
  /** Written once everything listens; its pid removed again on close. */
  bookmarkFile?: string;
  log: (source: string, line: string) => void;
}

const DEFAULT_ACCOUNT_ID = '111122223333';

/**
 * The whole system on loopback, in one process: the ARC cluster emulation, the Route 53 stand-in (an
 * authoritative DNS server answering with the failover rule on the routing controls), every API in both
 * of its Regions running its packaged template and bundle, the public entry, and the admin listener.
 */
export class Sandbox {
  private readonly closers: (() => Promise<void> | void)[] = [];
  private readonly regional = new Map<string, RegionalApi>();
  private readonly arcFaults = new Map<string, EndpointFault>();
  private readonly changedAt = new Map<string, number>();
  /** Where each API's record points: its routing controls' Region, unless a DNS fault holds it. */
  private readonly recordRegions = new RecordRegions((api) => this.servingRegion(api));
  private emulatorRef: ClusterEmulator | undefined;
  private dnsServer: DnsServer | undefined;
  private entry: HttpListener | undefined;
  private admin: HttpListener | undefined;

  private constructor(private readonly options: SandboxOptions) {}

  static async start(options: SandboxOptions): Promise<Sandbox> {
    const sandbox = new Sandbox(options);
    try {
      await sandbox.startAll();
    } catch (error) {
      await sandbox.close();
      throw error;
    }
    return sandbox;
  }

  get topology(): Topology {
    return this.options.topology;
  }

  get emulator(): ClusterEmulator {
    return this.emulatorRef!;
  }

  get dns(): { host: string; port: number } {
    return { host: this.dnsServer!.host, port: this.dnsServer!.port };
  }

  get entryUrl(): string {
    return this.entry!.url;
  }

  get adminUrl(): string {
    return this.admin!.url;
  }

  /** Each API's own address in each Region: urls[api][region]. */
  get urls(): Record<string, Record<string, string>> {
    const urls: Record<string, Record<string, string>> = {};
    for (const api of this.regional.values()) (urls[api.api] ??= {})[api.region] = api.url;
    return urls;
  }

  /**
   * The Region the API's routing controls send its traffic to now (Route 53's failover rule on them): what
   * DNS answers, unless a DNS `stale` fault holds the record where it was.
   */
  servingRegion(api: string): string {
    const service = findService(this.topology, api);
    return servingRegion(service, (region) =>
      this.emulator.stateOf(this.emulator.routingControlArn(api, region)),
    );
  }

  /** The emulator's bookmark plus what readiness and proof need: each API's own URLs, this DNS server. */
  bookmark(): Bookmark {
    const bookmark = this.emulator.bookmark();
    const urls = this.urls;
    return {
      ...bookmark,
      version: BOOKMARK_VERSION,
      services: bookmark.services.map((service) => ({
        ...service,
        healthPath: findService(this.topology, service.name).healthPath,
        regions: Object.fromEntries(
          Object.entries(urls[service.name] ?? {}).map(([region, url]) => [
            region,
            { url, address: new URL(url).hostname },
          ]),
        ),
      })),
      nameServers: [this.dns],
      writtenBy: `npm start (sandbox, pid ${process.pid})`,
      sandbox: {
        credentials: bookmark.sandbox!.credentials,
        ...(bookmark.sandbox!.approverCredentials && {
          approverCredentials: bookmark.sandbox!.approverCredentials,
        }),
        dns: this.dns,
        entryUrl: this.entryUrl,
        urls: this.urls,
        adminUrl: this.adminUrl,
        pid: process.pid,
      },
    };
  }

  status(): SandboxStatus {
    const { topology, waitPeriodMs } = this.options;
    const records = this.options.records ?? topology.records;
    return {
      pid: process.pid,
      stage: topology.stage,
      domain: topology.domain,
      // how long a resolver keeps a service name: through a CNAME, the CNAME's TTL
      ttlSeconds: records.type === 'cname' ? records.ttlSeconds : this.options.ttlSeconds,
      waitPeriodMs,
      entryUrl: this.entryUrl,
      dns: this.dns,
      apis: topology.all.map((service) => ({
        api: service.name,
        hostname: service.hostname,
        servingRegion: this.servingRegion(service.name),
        changedAt: this.changedAt.get(service.name),
        dnsStaleOn: this.recordRegions.staleOn(service.name),
        regions: service.regions.map((region) => {
          const regional = this.regional.get(key(service.name, region))!;
          return {
            region,
            role: roleOf(service, region),
            url: regional.url,
            fault: regional.currentFault,
            routingControl: this.emulator.stateOf(this.emulator.routingControlArn(service.name, region)),
          };
        }),
      })),
      arc: this.emulator.endpoints.map(({ region, url }) => ({
        region,
        url,
        fault: this.arcFaults.get(region) ?? 'none',
      })),
    };
  }

  async setApiFault(api: string, region: string, fault: ApiFault): Promise<string> {
    const service = findService(this.topology, api);
    roleOf(service, region);
    if (!API_FAULTS.includes(fault)) {
      throw new AdminRequestError(`unknown API fault "${fault}" (known: ${API_FAULTS.join(', ')})`);
    }
    await this.regional.get(key(api, region))!.setFault(fault);
    const effect = {
      down: 'refuses connections',
      error: 'answers 500',
      slow: `answers ${SLOW_FAULT_MS / 1000} s late`,
      up: 'serves normally',
    }[fault];
    return `${api} in ${region} ${effect}`;
  }

  async setArcFault(region: string, fault: EndpointFault): Promise<string> {
    if (!(ARC_CLUSTER_ENDPOINT_REGIONS as readonly string[]).includes(region)) {
      throw new AdminRequestError(
        `no cluster endpoint in ${region} (endpoints: ${ARC_CLUSTER_ENDPOINT_REGIONS.join(', ')})`,
      );
    }
    if (!ENDPOINT_FAULTS.includes(fault)) {
      throw new AdminRequestError(`unknown endpoint fault "${fault}" (known: ${ENDPOINT_FAULTS.join(', ')})`);
    }
    await this.emulator.setFault(region, fault);
    this.arcFaults.set(region, fault);
    return fault === 'none'
      ? `the ${region} cluster endpoint serves normally`
      : `the ${region} cluster endpoint now has fault "${fault}"`;
  }

  /** `stale`: the API's record keeps answering the Region it answers now, whatever its controls say. */
  setDnsFault(api: string, fault: DnsFault): string {
    findService(this.topology, api);
    if (!DNS_FAULTS.includes(fault)) {
      throw new AdminRequestError(`unknown DNS fault "${fault}" (known: ${DNS_FAULTS.join(', ')})`);
    }
    const heldOn = this.recordRegions.setFault(api, fault);
    return heldOn
      ? `${api}'s record stays on ${heldOn}, whatever its routing controls say`
      : `${api}'s record follows its routing controls`;
  }

  /** Stops everything it started, in reverse order; leaves nothing listening. */
  async close(): Promise<void> {
    for (const closer of this.closers.splice(0).reverse()) {
      try {
        await closer();
      } catch (error) {
        this.options.log('sandbox', `while stopping: ${(error as Error).message}`);
      }
    }
  }

  private async startAll(): Promise<void> {
    const { topology, host } = this.options;
    const addresses = apiAddresses(this.options.apiAddresses, topology);
    await checkAddresses(addresses);

    this.emulatorRef = await ClusterEmulator.start({
      topology,
      host,
      ports: this.options.arcPorts,
      portsFlag: '--arc-ports',
      accountId: this.options.accountId,
      waitPeriodMs: this.options.waitPeriodMs,
    });
    this.closers.push(() => this.emulator.close());
    const controls = new Map(
      topology.all.flatMap((service) =>
        service.regions.map((region) => [
          this.emulator.routingControlArn(service.name, region),
          service.name,
        ]),
      ),
    );
    this.closers.push(
      this.emulator.onChange((changes) => {
        for (const change of changes) {
          // an approval control (approval gate) routes nothing
          const api = controls.get(change.routingControlArn);
          if (api) this.changedAt.set(api, Date.now());
        }
      }),
    );

    const records = this.options.records ?? topology.records;
    const regionalTargets = new Map(
      topology.services.flatMap((service) =>
        service.regions.map((region) => [
          regionalTargetName(topology, service.name, region),
          { service: service.name, region },
        ]),
      ),
    );
    this.dnsServer = await startDnsServer(
      { host, port: this.options.dnsPort, what: 'the DNS server', flag: '--dns-port' },
      {
        apex: topology.domain,
        ttlSeconds: this.options.ttlSeconds,
        addressOf: (name) => {
          const target = regionalTargets.get(name);
          if (target) return addresses.get(target.service)!.get(target.region);
          const service = topology.all.find((s) => s.hostname === name);
          return service && addresses.get(service.name)!.get(this.recordRegions.regionOf(service.name));
        },
        cnameOf: (name) => {
          const service = topology.services.find((s) => s.hostname === name);
          if (records.type !== 'cname' || !service) return undefined;
          const target = regionalTargetName(
            topology,
            service.name,
            this.recordRegions.regionOf(service.name),
          );
          return { target, ttlSeconds: records.ttlSeconds };
        },
      },
    );
    this.closers.push(() => this.dnsServer!.close());

    const firstAddress = addresses.get(topology.all[0]!.name)!.get(topology.all[0]!.primaryRegion)!;
    const apiPort = this.options.apiPort || (await freePort(firstAddress));
    for (const service of topology.all) {
      for (const region of service.regions) {
        const address = addresses.get(service.name)!.get(region)!;
        this.regional.set(
          key(service.name, region),
          await this.startRegionalApi(service.name, region, address, apiPort),
        );
      }
    }

    const entryClient = new DnsHttpClient(new DnsResolver(this.dns), apiPort);
    this.closers.push(() => entryClient.close());
    this.entry = await startPublicEntry(
      { host, port: this.options.entryPort, what: 'the public entry', flag: '--port' },
      entryClient,
      topology.domain,
    );
    this.closers.push(() => this.entry!.close());

    this.admin = await startAdminListener(
      { host, port: this.options.adminPort, what: 'the admin listener', flag: '--admin-port' },
      { status: () => this.status(), fault: (request) => this.applyFault(request) },
    );
    this.closers.push(() => this.admin!.close());

    const file = this.options.bookmarkFile;
    if (file) {
      writeBookmark(file, this.bookmark());
      this.closers.push(() => forgetPid(file));
    }
  }

  /** One API in one Region: its functions warmed up, its HTTP API on its own address. */
  private async startRegionalApi(
    api: string,
    region: string,
    address: string,
    port: number,
  ): Promise<RegionalApi> {
    const { topology, log } = this.options;
    const source = `${api} ${region}`;
    const accountId = this.options.accountId ?? DEFAULT_ACCOUNT_ID;
    const packaged = this.options.packaged.get(api);
    if (!packaged) throw new Error(`${api} was not packaged`);
    const spec = readHttpApi(packaged.template, { region, accountId, stackName: `${api}-${topology.stage}` });

    const functions = new Map<string, LambdaFunction>();
    for (const [id, fn] of spec.functions) {
      const taskRoot = packaged.codeDirs[fn.codeFile];
      if (!taskRoot) throw new Error(`${api}: the code package ${fn.codeFile} of ${id} is missing`);
      const lambda = new LambdaFunction({
        spec: fn,
        region,
        accountId,
        taskRoot,
        log: (line) => log(source, line),
      });
      functions.set(id, lambda);
      this.closers.push(() => lambda.close());
    }
    await Promise.all([...functions.values()].map((fn) => fn.warm()));

    // Each deployment resolves the services' names on its own, as each Region's API Gateway does.
    const upstream = new DnsHttpClient(new DnsResolver(this.dns), port);
    this.closers.push(() => upstream.close());
    const httpApi = new HttpApi({
      spec,
      functions,
      upstream,
      apiId: apiId(api, region),
      accountId,
      log: (line) => log(source, line),
    });
    const regional = await RegionalApi.start(
      api,
      region,
      { host: address, port, what: `${api} in ${region}`, flag: '--api-port or --api-addresses' },
      httpApi,
    );
    this.closers.push(() => regional.close());
    return regional;
  }

  private async applyFault(request: unknown): Promise<string> {
    try {
      return await this.faultFrom(request);
    } catch (error) {
      throw error instanceof TopologyError ? new AdminRequestError(error.message) : error;
    }
  }

  private faultFrom(request: unknown): Promise<string> {
    // checked field by field: the listener hands over whatever JSON it was sent
    const r = (request ?? {}) as { [K in 'target' | 'api' | 'region' | 'fault']?: unknown };
    const text = (value: unknown, what: string) => {
      if (typeof value !== 'string' || value === '') throw new AdminRequestError(`${what} is missing`);
      return value;
    };
    if (r.target === 'api') {
      return this.setApiFault(
        text(r.api, 'api'),
        text(r.region, 'region'),
        text(r.fault, 'fault') as ApiFault,
      );
    }
    if (r.target === 'arc') {
      return this.setArcFault(text(r.region, 'region'), text(r.fault, 'fault') as EndpointFault);
    }
    if (r.target === 'dns') {
      return Promise.resolve(this.setDnsFault(text(r.api, 'api'), text(r.fault, 'fault') as DnsFault));
    }
    throw new AdminRequestError('target must be "api", "arc" or "dns"');
  }
}

function key(api: string, region: string): string {
  return `${api} ${region}`;
}

/** A stable 10-character id per deployment, like an HTTP API id. */
function apiId(api: string, region: string): string {
  return createHash('sha256').update(`${api}/${region}`).digest('hex').slice(0, 10);
}

/** A port free on the address now, to give every deployment the same one. */
function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new ListenError(
          { host: address, port: 0, what: 'the APIs', flag: '--api-addresses' },
          error.code ?? error.message,
        ),
      ),
    );
    probe.listen(0, address, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The bookmark stays for the next start; only the pid goes, so nobody takes this sandbox as running. */
function forgetPid(file: string): void {
  try {
    const bookmark = readBookmark(file);
    if (bookmark.sandbox?.pid !== process.pid) return;
    delete bookmark.sandbox.pid;
    writeBookmark(file, bookmark);
  } catch {
    // Gone or rewritten by someone else: nothing of ours to remove.
  }
}

/** The sandbox's stand-in for a Regional custom domain's target (d-….execute-api.<region>.amazonaws.com). */
export function regionalTargetName(topology: Topology, service: string, region: string): string {
  return `${service}.${region}.regional.${topology.domain}`;
}
