/** The shapes of a validated topology; topology.ts reads, checks and builds them. */
import type { ARC_CONTROL_PLANE_REGION, AwsRegion } from './regions';
import type { Runbook } from './runbooks';

/** A Region's part in an API's failover; Route 53 spells it upper-case (see failover-record.ts). */
export type FailoverRole = 'primary' | 'secondary';

/** One failover unit: an API deployed in two Regions behind one domain name, switched by two routing controls. */
export interface Service {
  name: string;
  /** The entry API answers on the apex domain and proxies to the services; the others on `<name>.<domain>`. */
  isEntry: boolean;
  primaryRegion: AwsRegion;
  secondaryRegion: AwsRegion;
  /** [primary, secondary] */
  regions: readonly [AwsRegion, AwsRegion];
  hostname: string;
  /** The path a switch's readiness gate GETs in the target Region; default `/`. */
  healthPath: string;
}

export type Certificate = { name: string } | { arnByRegion: Partial<Record<AwsRegion, string>> };

export interface SandboxSettings {
  /** TTL of the sandbox DNS answers: short, so a failover can be watched in seconds. */
  recordTtlSeconds: number;
}

/**
 * The service subdomains' failover records: `alias` (an alias has no TTL of its own: resolvers get the API
 * Gateway target's) or `cname` with a TTL of our choosing. The apex (entry API) is always an alias: an apex
 * name cannot be a CNAME.
 */
export type RecordSettings = { type: 'alias' } | { type: 'cname'; ttlSeconds: number };

/** Everything every stack, the CLI and the sandbox need to know about one stage. */
export interface Topology {
  project: string;
  stage: string;
  domain: string;
  hostedZoneId: string;
  certificate: Certificate;
  arc: {
    stackName: string;
    region: typeof ARC_CONTROL_PLANE_REGION;
    clusterArn?: string;
    /**
     * The approval gate: per API an approval routing control and a gating rule, so the API's two routing
     * controls change only while its approval control is On (an approver turns it On: a two-person rule
     * the cluster enforces). Default false.
     */
    approvalGate: boolean;
  };
  sandbox: SandboxSettings;
  records: RecordSettings;
  entry: Service;
  /** The services behind the entry API, each proxied at `/<name>`. */
  services: Service[];
  /** The entry API first, then the services. */
  all: Service[];
  /** Every Region some service runs in, sorted. */
  regions: AwsRegion[];
  /** The failover runbooks, the same for every stage. */
  runbooks: Runbook[];
}
