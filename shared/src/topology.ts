import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkQuotas } from './quotas';
import { ARC_CONTROL_PLANE_REGION, AWS_REGIONS, isAwsRegion, type AwsRegion } from './regions';
import { CLI_RESERVED_NAMES } from './reserved-names';
import { parseRunbooks, type Runbook } from './runbooks';
import type {
  Certificate,
  FailoverRole,
  RecordSettings,
  SandboxSettings,
  Service,
  Topology,
} from './topology-model';
import { CommandError } from './command/errors';

/** Where the topology lives unless ARC_FAILOVER_TOPOLOGY names another file. */
export const DEFAULT_TOPOLOGY_FILE = path.resolve(__dirname, '..', 'topology.json');

export type {
  Certificate,
  FailoverRole,
  RecordSettings,
  SandboxSettings,
  Service,
  Topology,
} from './topology-model';

export class TopologyError extends CommandError {
  override name = 'TopologyError';
}

const DEFAULT_SANDBOX: SandboxSettings = { recordTtlSeconds: 2 };
const NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
/** A stage name: the same rule as every name here (it goes into stack names, file names and paths). */
export const STAGE_NAME_PATTERN = NAME;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const CERTIFICATE_ARN = /^arn:aws:acm:([a-z0-9-]+):\d{12}:certificate\/[\w-]+$/;
const CLUSTER_ARN = /^arn:aws:route53-recovery-control::\d{12}:cluster\/[\w-]+$/;
/** An absolute URL path with no spaces, query allowed: what readiness GETs. */
const HEALTH_PATH = /^\/[\x21-\x7e]*$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/** The shapes the topology accepts, for commands that check a value before writing it there. */
export const TOPOLOGY_PATTERNS = {
  /** A project, API or stage name: lower-case letters, digits and dashes, 2 to 32 long. */
  name: NAME,
  domain: DOMAIN,
  hostedZoneId: HOSTED_ZONE_ID,
  clusterArn: CLUSTER_ARN,
} as const;

type Json = Record<string, unknown>;

/** Reads and validates one stage of the topology; any mistake is one TopologyError naming the key. */
export function loadTopology(
  stage: string,
  file = process.env.ARC_FAILOVER_TOPOLOGY ?? DEFAULT_TOPOLOGY_FILE,
): Topology {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new TopologyError(`${file}: cannot read the topology file (set ARC_FAILOVER_TOPOLOGY to its path)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new TopologyError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  return parseTopology(raw, stage, path.basename(file));
}

/**
 * Validates a parsed topology document, every stage of it (so no command passes a file another stage's
 * deploy would refuse), and resolves one of its stages.
 */
export function parseTopology(raw: unknown, stage: string, source = 'topology'): Topology {
  const at = (key: string, message: string) => new TopologyError(`${source}: ${key}: ${message}`);
  const doc = object(raw, '(root)', at);
  onlyKeys(doc, ['$schema', 'project', 'entry', 'services', 'runbooks', 'stages'], '', at);

  const project = text(doc, 'project', NAME, 'lower-case letters, digits and dashes', at);

  const entry = service(doc.entry, 'entry', true, at);
  if (!Array.isArray(doc.services) || doc.services.length === 0) {
    throw at('services', 'must be a non-empty list of { name, primaryRegion, secondaryRegion }');
  }
  const services = doc.services.map((item, index) => service(item, `services[${index}]`, false, at));
  const seen = new Map<string, string>([[entry.name, 'entry.name']]);
  services.forEach((s, index) => {
    const first = seen.get(s.name);
    if (first)
      throw at(`services[${index}].name`, `duplicate service "${s.name}" (already used by ${first})`);
    seen.set(s.name, `services[${index}].name`);
  });
  const runbooks = parseRunbooks(doc.runbooks, [entry, ...services], at);

  const stages = object(doc.stages, 'stages', at);
  if (!STAGE_NAME_PATTERN.test(stage)) throw at('stages', `"${stage}" is not a valid stage name`);
  if (!(stage in stages)) {
    throw at(`stages.${stage}`, `unknown stage (known: ${Object.keys(stages).join(', ') || 'none'})`);
  }
  const parsed = Object.entries(stages).map(([name, value]) =>
    stageOf(name, value, { project, entry, services, runbooks }, at),
  );
  checkQuotas(parsed, at);
  return parsed.find((t) => t.stage === stage)!;
}

type Apis = {
  project: string;
  entry: Omit<Service, 'hostname'>;
  services: Omit<Service, 'hostname'>[];
  runbooks: Runbook[];
};

function stageOf(
  stage: string,
  value: unknown,
  { project, entry, services, runbooks }: Apis,
  at: ErrorAt,
): Topology {
  const key = `stages.${stage}`;
  if (!NAME.test(stage)) {
    throw at(
      key,
      `"${stage}" is not a valid stage name (lower-case letters, digits and dashes, 2 to 32 long)`,
    );
  }
  const s = object(value, key, at);
  onlyKeys(
    s,
    ['domain', 'hostedZoneId', 'certificateName', 'certificateArns', 'arc', 'sandbox', 'records'],
    key,
    at,
  );

  if (s.domain === undefined) throw at(`${key}.domain`, 'missing: the apex domain the APIs answer on');
  const domain = text(s, 'domain', DOMAIN, 'a lower-case DNS name such as example.com', at, key);
  const hostedZoneId = text(
    s,
    'hostedZoneId',
    HOSTED_ZONE_ID,
    'a Route 53 hosted zone id such as Z0123456789ABC',
    at,
    key,
  );
  const all = [entry, ...services].map((svc) => ({
    ...svc,
    hostname: svc.isEntry ? domain : `${svc.name}.${domain}`,
  }));
  const regions = [...new Set(all.flatMap((svc) => svc.regions))].sort();

  return {
    project,
    stage,
    domain,
    hostedZoneId,
    certificate: certificate(s, key, regions, at),
    arc: arc(s.arc, `${key}.arc`, at),
    sandbox: sandbox(s.sandbox, `${key}.sandbox`, at),
    records: records(s.records, `${key}.records`, at),
    entry: all[0]!,
    services: all.slice(1),
    all,
    regions,
    runbooks,
  };
}

/** Looks a service up by name; an unknown name is a TopologyError listing the known ones. */
export function findService(topology: Topology, name: string): Service {
  const found = topology.all.find((s) => s.name === name);
  if (!found) {
    throw new TopologyError(
      `unknown service "${name}" (known: ${topology.all.map((s) => s.name).join(', ')})`,
    );
  }
  return found;
}

/** The failover role of a service's deployment in a Region; a Region the service does not run in is an error. */
export function roleOf(service: Service, region: string): FailoverRole {
  if (region === service.primaryRegion) return 'primary';
  if (region === service.secondaryRegion) return 'secondary';
  throw new TopologyError(
    `${service.name} does not run in ${region} (its Regions: ${service.primaryRegion} primary, ${service.secondaryRegion} secondary)`,
  );
}

type ErrorAt = (key: string, message: string) => TopologyError;

function object(value: unknown, key: string, at: ErrorAt): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw at(key, 'must be an object');
  return value as Json;
}

function onlyKeys(value: Json, allowed: string[], key: string, at: ErrorAt): void {
  for (const k of Object.keys(value)) {
    if (!allowed.includes(k))
      throw at(key ? `${key}.${k}` : k, `unknown key (allowed: ${allowed.join(', ')})`);
  }
}

function text(value: Json, k: string, pattern: RegExp, expected: string, at: ErrorAt, parent = ''): string {
  const key = parent ? `${parent}.${k}` : k;
  const v = value[k];
  if (v === undefined) throw at(key, `missing (expected ${expected})`);
  if (typeof v !== 'string' || !pattern.test(v)) throw at(key, `${JSON.stringify(v)} is not ${expected}`);
  return v;
}

function region(value: Json, k: string, parent: string, at: ErrorAt): AwsRegion {
  const v = value[k];
  if (v === undefined) throw at(`${parent}.${k}`, 'missing (expected an AWS Region such as us-east-1)');
  if (!isAwsRegion(v)) {
    throw at(
      `${parent}.${k}`,
      `${JSON.stringify(v)} is not an AWS Region (known: ${AWS_REGIONS.join(', ')})`,
    );
  }
  return v;
}

function service(value: unknown, key: string, isEntry: boolean, at: ErrorAt): Omit<Service, 'hostname'> {
  const s = object(value, key, at);
  onlyKeys(s, ['name', 'primaryRegion', 'secondaryRegion', 'healthPath'], key, at);
  const name = text(s, 'name', NAME, 'lower-case letters, digits and dashes, 2 to 32 long', at, key);
  if (CLI_RESERVED_NAMES.includes(name)) {
    throw at(
      `${key}.name`,
      `"${name}" is a command of npm run switch (reserved: ${CLI_RESERVED_NAMES.join(', ')}): pick another name`,
    );
  }
  const primaryRegion = region(s, 'primaryRegion', key, at);
  const secondaryRegion = region(s, 'secondaryRegion', key, at);
  if (primaryRegion === secondaryRegion) {
    throw at(
      `${key}.secondaryRegion`,
      `same Region as primaryRegion (${primaryRegion}): a failover needs two Regions`,
    );
  }
  const healthPath =
    s.healthPath === undefined ? '/' : text(s, 'healthPath', HEALTH_PATH, 'a path such as /health', at, key);
  return {
    name,
    isEntry,
    primaryRegion,
    secondaryRegion,
    regions: [primaryRegion, secondaryRegion],
    healthPath,
  };
}

function certificate(s: Json, key: string, regions: AwsRegion[], at: ErrorAt): Certificate {
  const hasName = s.certificateName !== undefined;
  const hasArns = s.certificateArns !== undefined;
  if (hasName === hasArns) {
    throw at(
      `${key}.certificateName`,
      'give exactly one of certificateName (an ACM certificate name, looked up in each Region) or certificateArns (one ARN per Region)',
    );
  }
  if (hasName) {
    return {
      name: text(
        s,
        'certificateName',
        /^(\*\.)?[a-z0-9.-]+$/,
        'a certificate domain name such as *.example.com',
        at,
        key,
      ),
    };
  }
  const arns = object(s.certificateArns, `${key}.certificateArns`, at);
  const arnByRegion: Partial<Record<AwsRegion, string>> = {};
  for (const [r, arn] of Object.entries(arns)) {
    const k = `${key}.certificateArns.${r}`;
    if (!isAwsRegion(r)) throw at(k, `"${r}" is not an AWS Region`);
    const match = typeof arn === 'string' ? CERTIFICATE_ARN.exec(arn) : null;
    if (!match) throw at(k, `${JSON.stringify(arn)} is not an ACM certificate ARN`);
    if (match[1] !== r)
      throw at(
        k,
        `the certificate is in ${match[1]}, not ${r} (a Regional domain needs one in its own Region)`,
      );
    arnByRegion[r] = arn as string;
  }
  for (const r of regions) {
    if (!arnByRegion[r])
      throw at(
        `${key}.certificateArns.${r}`,
        `missing: a service runs in ${r} and needs a certificate there`,
      );
  }
  return { arnByRegion };
}

function arc(value: unknown, key: string, at: ErrorAt): Topology['arc'] {
  if (value === undefined) {
    throw at(key, 'missing (expected { stackName, region: "us-west-2", approvalGate?: true|false })');
  }
  const a = object(value, key, at);
  onlyKeys(a, ['stackName', 'region', 'clusterArn', 'approvalGate'], key, at);
  const stackName = text(a, 'stackName', STACK_NAME, 'a CloudFormation stack name', at, key);
  const r = region(a, 'region', key, at);
  if (r !== ARC_CONTROL_PLANE_REGION) {
    throw at(
      `${key}.region`,
      `must be ${ARC_CONTROL_PLANE_REGION}: the ARC control-plane API exists only there`,
    );
  }
  const approvalGate = a.approvalGate ?? false;
  if (typeof approvalGate !== 'boolean') {
    throw at(`${key}.approvalGate`, `${JSON.stringify(approvalGate)} is not true or false`);
  }
  if (a.clusterArn === undefined || a.clusterArn === null) return { stackName, region: r, approvalGate };
  const clusterArn = text(
    a,
    'clusterArn',
    CLUSTER_ARN,
    'an ARC cluster ARN (arn:aws:route53-recovery-control::<account>:cluster/<id>)',
    at,
    key,
  );
  return { stackName, region: r, clusterArn, approvalGate };
}

function sandbox(value: unknown, key: string, at: ErrorAt): SandboxSettings {
  if (value === undefined) return DEFAULT_SANDBOX;
  const s = object(value, key, at);
  onlyKeys(s, ['recordTtlSeconds'], key, at);
  const ttl = s.recordTtlSeconds ?? DEFAULT_SANDBOX.recordTtlSeconds;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > 86400) {
    throw at(
      `${key}.recordTtlSeconds`,
      `${JSON.stringify(ttl)} is not a whole number of seconds from 0 to 86400`,
    );
  }
  return { recordTtlSeconds: ttl };
}

/** Route 53's TTL range. */
const MAX_TTL_SECONDS = 2147483647;

function records(value: unknown, key: string, at: ErrorAt): RecordSettings {
  if (value === undefined) return { type: 'alias' };
  const r = object(value, key, at);
  onlyKeys(r, ['type', 'ttlSeconds'], key, at);
  if (r.type === 'alias') {
    if (r.ttlSeconds !== undefined) {
      throw at(
        `${key}.ttlSeconds`,
        "an alias record has no TTL of its own (Route 53 gives the target's): use type cname",
      );
    }
    return { type: 'alias' };
  }
  if (r.type !== 'cname') throw at(`${key}.type`, `${JSON.stringify(r.type)} is not alias or cname`);
  const ttl = r.ttlSeconds;
  if (ttl === undefined) throw at(`${key}.ttlSeconds`, 'missing: a cname record needs its TTL in seconds');
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > MAX_TTL_SECONDS) {
    throw at(
      `${key}.ttlSeconds`,
      `${JSON.stringify(ttl)} is not a whole number of seconds from 0 to ${MAX_TTL_SECONDS}`,
    );
  }
  return { type: 'cname', ttlSeconds: ttl };
}
