import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { STAGE_NAME_PATTERN, type Service } from '@arc-failover/shared';
import type { StaticCredentials } from './static-credentials';
import { CommandError } from '@arc-failover/shared/command';

/**
 * The bookmark: everything a switchover needs, written in peacetime so that no control-plane call
 * (us-west-2 only) is needed during a Regional event. `npm run switch -- sync` writes it from the
 * deployed ARC stack; the sandbox writes its own.
 */
export interface Bookmark {
  /** 2 adds nameServers and each API's regions and healthPath; a version 1 bookmark still switches. */
  version: 1 | 2;
  stage: string;
  clusterArn: string;
  /** The cluster's Regional data-plane endpoints, e.g. https://abcd1234.route53-recovery-cluster.us-west-2.amazonaws.com/v1 */
  endpoints: { region: string; url: string }[];
  services: BookmarkService[];
  /** `kind` is absent in bookmarks written before the approval gate: they hold assertion rules only. */
  safetyRules: { name: string; arn: string; service: string; kind?: 'assertion' | 'gating' }[];
  /**
   * The hosted zone's authoritative name servers (Route 53 GetHostedZone → DelegationSet.NameServers, port
   * 53); the sandbox's DNS server in a sandbox bookmark. A switch's proof asks them, never a resolver.
   */
  nameServers?: { host: string; port: number }[];
  writtenAt: string;
  writtenBy: string;
  /** Present only in a sandbox bookmark: static credentials the emulation accepts, and where the sandbox listens. */
  sandbox?: {
    credentials: StaticCredentials;
    /** With the approval gate: the approver's own keys, which approve and revoke use. */
    approverCredentials?: StaticCredentials;
    dns?: { host: string; port: number };
    entryUrl?: string;
    /** Each API's own address in each Region (like its execute-api URL): urls[api][region]. */
    urls?: Record<string, Record<string, string>>;
    /** Where `npm run fault` asks the running sandbox to inject or clear faults. */
    adminUrl?: string;
    pid?: number;
  };
}

export interface BookmarkService {
  name: string;
  hostname: string;
  primaryRegion: string;
  secondaryRegion: string;
  controlPanelArn: string;
  /** Routing-control ARN by Region. */
  routingControls: Record<string, string>;
  /** The path readiness GETs in the target Region (topology healthPath, default /). */
  healthPath?: string;
  /** Where the API answers in each Region without the failover name, and what its record then is. */
  regions?: Record<string, BookmarkRegion>;
  /** With the approval gate: the approval routing control that must be On for the two above to change. */
  approvalControlArn?: string;
}

/** An API's ARC resources, however they were found (the deployed stack's outputs, the emulator's model). */
export interface ApiControls {
  controlPanelArn: string;
  /** Routing-control ARN by Region. */
  routingControlArn: (region: string) => string;
  approvalControlArn?: string;
}

/** One API of the bookmark: the topology's facts about it and its ARC resources. The one builder. */
export function bookmarkService(api: Service, controls: ApiControls): BookmarkService {
  return {
    name: api.name,
    hostname: api.hostname,
    primaryRegion: api.primaryRegion,
    secondaryRegion: api.secondaryRegion,
    controlPanelArn: controls.controlPanelArn,
    routingControls: Object.fromEntries(
      api.regions.map((region) => [region, controls.routingControlArn(region)]),
    ),
    ...(controls.approvalControlArn !== undefined && { approvalControlArn: controls.approvalControlArn }),
  };
}

export interface BookmarkRegion {
  /** The API's own URL in that Region (the HTTP API's HttpApiUrl output), bypassing the failover DNS. */
  url: string;
  /** The custom domain's Regional target, d-<id>.execute-api.<region>.amazonaws.com: the alias record's target. */
  domainTarget?: string;
  /** The A record the zone answers while this Region serves (the sandbox's own address for the API). */
  address?: string;
}

/** The version writers write; readers accept every version up to it. */
export const BOOKMARK_VERSION = 2;

export class BookmarkError extends CommandError {
  override name = 'BookmarkError';
}

/** Where a stage's bookmark lives unless --bookmark or ARC_BOOKMARK names another file. */
export function defaultBookmarkPath(stage: string): string {
  return path.resolve(__dirname, '..', 'bookmarks', `${stage}.json`);
}

export function readBookmark(file: string): Bookmark {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new BookmarkError(
      `no bookmark file at ${file}: run "npm run switch -- sync" in peacetime (or "npm start" for the sandbox), or pass --bookmark <file>`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new BookmarkError(
      `${file}: not valid JSON (${(error as Error).message}); write it again with "npm run switch -- sync"`,
    );
  }
  return checkBookmark(doc, file);
}

/** Writes atomically, so a reader never sees half a bookmark. */
export function writeBookmark(file: string, bookmark: Bookmark): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(bookmark, null, 2)}\n`);
  renameSync(temporary, file);
}

/** A cluster ARN; group 1 is what every ARN of its control panels starts with (partition and account). */
const CLUSTER_ARN = /^(arn:[\w-]+:route53-recovery-control::\d{12}:)cluster\/[\w-]+$/;

/**
 * Each API's control panel is in the cluster's account and each of its routing controls in that panel, as
 * ARC names them (<account>:controlpanel/<id>/routingcontrol/<id>): an edited ARN pointing at another API's
 * control would otherwise switch, and hint at overriding the safety rules of, the wrong one.
 */
function checkOwnership(service: BookmarkService, key: string, account: string, fail: Fail): void {
  const panel = service.controlPanelArn;
  if (!isIdUnder(panel, `${account}controlpanel/`)) {
    throw fail(
      `${key}.controlPanelArn ${JSON.stringify(panel)}: not a control panel of the cluster's account (${account}controlpanel/<id>)`,
    );
  }
  for (const region of [service.primaryRegion, service.secondaryRegion]) {
    const arn = service.routingControls[region];
    if (!isIdUnder(arn, `${panel}/routingcontrol/`)) {
      throw fail(
        `${key}.routingControls.${region} ${arn}: not a routing control of the API's control panel (${panel}/routingcontrol/<id>)`,
      );
    }
  }
  const approval = service.approvalControlArn;
  if (approval !== undefined && !isIdUnder(approval, `${panel}/routingcontrol/`)) {
    throw fail(
      `${key}.approvalControlArn ${approval}: not a routing control of the API's control panel (${panel}/routingcontrol/<id>)`,
    );
  }
}

function checkRegions(service: BookmarkService, key: string, fail: Fail): void {
  if (service.healthPath !== undefined && !/^\/\S*$/.test(String(service.healthPath))) {
    throw fail(`${key}.healthPath ${JSON.stringify(service.healthPath)}: not a path starting with /`);
  }
  if (service.regions === undefined) return;
  for (const region of [service.primaryRegion, service.secondaryRegion]) {
    const r = service.regions[region];
    if (typeof r?.url !== 'string' || !/^https?:\/\//.test(r.url)) {
      throw fail(`${key}.regions.${region}.url ${JSON.stringify(r?.url)}: not an http(s) URL`);
    }
  }
}

/** `arn` is `prefix` followed by one resource id. */
function isIdUnder(arn: unknown, prefix: string): arn is string {
  return typeof arn === 'string' && arn.startsWith(prefix) && /^[\w-]+$/.test(arn.slice(prefix.length));
}

type Fail = (what: string) => BookmarkError;

function checkBookmark(doc: unknown, file: string): Bookmark {
  const fail: Fail = (what) =>
    new BookmarkError(`${file}: ${what}; write it again with "npm run switch -- sync"`);
  const b = doc as Partial<Bookmark> | null;
  if (typeof b !== 'object' || b === null || (b.version !== 1 && b.version !== 2)) {
    throw fail('not a version 1 or 2 bookmark');
  }
  // the stage names the default audit log's file: a path in it would write elsewhere
  if (typeof b.stage !== 'string' || !STAGE_NAME_PATTERN.test(b.stage)) {
    throw fail(`stage ${JSON.stringify(b.stage)}: not a stage name (lower-case letters, digits and dashes)`);
  }
  if (typeof b.clusterArn !== 'string') throw fail('clusterArn is missing');
  const account = CLUSTER_ARN.exec(b.clusterArn)?.[1];
  if (!account) {
    throw fail(
      `clusterArn ${b.clusterArn}: not a cluster ARN (arn:aws:route53-recovery-control::<account>:cluster/<id>)`,
    );
  }
  if (!Array.isArray(b.endpoints) || b.endpoints.length === 0) throw fail('it lists no cluster endpoints');
  for (const e of b.endpoints) {
    if (typeof e?.region !== 'string' || typeof e?.url !== 'string' || !/^https?:\/\//.test(e.url)) {
      throw fail(`endpoint ${JSON.stringify(e)} is not { region, url }`);
    }
  }
  if (!Array.isArray(b.services) || b.services.length === 0) throw fail('it lists no services');
  for (const [index, s] of b.services.entries()) {
    const regions = [s?.primaryRegion, s?.secondaryRegion];
    if (
      typeof s?.name !== 'string' ||
      regions.some((r) => typeof r !== 'string' || !s.routingControls?.[r!])
    ) {
      throw fail(
        `service ${JSON.stringify(s?.name)} lacks a routing control ARN for each of its two Regions`,
      );
    }
    checkOwnership(s, `services[${index}] (${s.name})`, account, fail);
    checkRegions(s, `services[${index}] (${s.name})`, fail);
  }
  if (b.nameServers !== undefined) {
    const ok =
      Array.isArray(b.nameServers) &&
      b.nameServers.every((n) => typeof n?.host === 'string' && n.host !== '' && Number.isInteger(n.port));
    if (!ok) throw fail('nameServers is not a list of { host, port }');
  }
  if (!Array.isArray(b.safetyRules)) throw fail('safetyRules is missing');
  return b as Bookmark;
}
