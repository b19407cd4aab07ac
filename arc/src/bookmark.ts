import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { STAGE_NAME_PATTERN } from '@arc-failover/shared';

/**
 * The bookmark: everything a switchover needs, written in peacetime so that no control-plane call
 * (us-west-2 only) is needed during a Regional event. `npm run switch -- sync` writes it from the
 * deployed ARC stack; the sandbox writes its own.
 */
export interface Bookmark {
  version: 1;
  stage: string;
  clusterArn: string;
  /** The cluster's Regional data-plane endpoints, e.g. https://abcd1234.route53-recovery-cluster.us-west-2.amazonaws.com/v1 */
  endpoints: { region: string; url: string }[];
  services: BookmarkService[];
  /** `kind` is absent in bookmarks written before the approval gate: they hold assertion rules only. */
  safetyRules: { name: string; arn: string; service: string; kind?: 'assertion' | 'gating' }[];
  writtenAt: string;
  writtenBy: string;
  /** Present only in a sandbox bookmark: static credentials the emulation accepts, and where the sandbox listens. */
  sandbox?: {
    credentials: { accessKeyId: string; secretAccessKey: string };
    /** With the approval gate: the approver's own keys, which approve and revoke use. */
    approverCredentials?: { accessKeyId: string; secretAccessKey: string };
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
  /** With the approval gate: the approval routing control that must be On for the two above to change. */
  approvalControlArn?: string;
}

export class BookmarkError extends Error {
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

/** `arn` is `prefix` followed by one resource id. */
function isIdUnder(arn: unknown, prefix: string): arn is string {
  return typeof arn === 'string' && arn.startsWith(prefix) && /^[\w-]+$/.test(arn.slice(prefix.length));
}

type Fail = (what: string) => BookmarkError;

function checkBookmark(doc: unknown, file: string): Bookmark {
  const fail: Fail = (what) =>
    new BookmarkError(`${file}: ${what}; write it again with "npm run switch -- sync"`);
  const b = doc as Partial<Bookmark> | null;
  if (typeof b !== 'object' || b === null || b.version !== 1) throw fail('not a version 1 bookmark');
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
  }
  if (!Array.isArray(b.safetyRules)) throw fail('safetyRules is missing');
  return b as Bookmark;
}
