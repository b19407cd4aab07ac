/**
 * The admin protocol of a running sandbox: what `npm run fault`, the demo and the benchmarks send to its
 * admin listener, and what it answers. Both sides import these types and paths from here alone.
 */
import type { EndpointFault } from '@arc-failover/arc/emulator';
import type { ApiFault } from '../api-gateway/regional-api';
import type { DnsFault } from '../route53/stale-records';

export const ADMIN_PATHS = { status: '/status', faults: '/faults' } as const;

/**
 * POST /faults: one fault on one API in one Region, on one cluster endpoint, or on one API's record in the
 * zone (`stale`: it stops following the routing controls); `none` (an API's: `up`) clears it.
 */
export type FaultRequest =
  | { target: 'api'; api: string; region: string; fault: ApiFault }
  | { target: 'arc'; region: string; fault: EndpointFault }
  | { target: 'dns'; api: string; fault: DnsFault };

/** The answer to POST /faults: the line saying what changed. */
export interface FaultReply {
  message: string;
}

/** Any refused request: the one line saying why (400 for a bad request, 404, 500). */
export interface AdminErrorReply {
  error: string;
}

/** GET /status: where everything listens and what each API serves from now. */
export interface SandboxStatus {
  pid: number;
  stage: string;
  domain: string;
  ttlSeconds: number;
  waitPeriodMs: number;
  entryUrl: string;
  dns: { host: string; port: number };
  apis: {
    api: string;
    hostname: string;
    servingRegion: string;
    /** Date.now() of the last change of one of its routing controls; undefined if none changed yet. */
    changedAt?: number;
    /** A DNS `stale` fault: the Region its record keeps answering, whatever its routing controls say. */
    dnsStaleOn?: string;
    regions: { region: string; role: string; url: string; fault: ApiFault; routingControl: string }[];
  }[];
  arc: { region: string; url: string; fault: EndpointFault }[];
}
