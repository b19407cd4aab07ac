import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CommandError } from '@arc-failover/shared/command';

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
  safetyRules: { name: string; arn: string; service: string }[];
  writtenAt: string;
  writtenBy: string;
  /** Present only in a sandbox bookmark: static credentials the emulation accepts, and where the sandbox listens. */
  sandbox?: {
    credentials: { accessKeyId: string; secretAccessKey: string };
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
}

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

function checkBookmark(doc: unknown, file: string): Bookmark {
  const fail = (what: string) =>
    new BookmarkError(`${file}: ${what}; write it again with "npm run switch -- sync"`);
  const b = doc as Partial<Bookmark> | null;
  if (typeof b !== 'object' || b === null || b.version !== 1) throw fail('not a version 1 bookmark');
  if (typeof b.clusterArn !== 'string') throw fail('clusterArn is missing');
  if (!Array.isArray(b.endpoints) || b.endpoints.length === 0) throw fail('it lists no cluster endpoints');
  for (const e of b.endpoints) {
    if (typeof e?.region !== 'string' || typeof e?.url !== 'string' || !/^https?:\/\//.test(e.url)) {
      throw fail(`endpoint ${JSON.stringify(e)} is not { region, url }`);
    }
  }
  if (!Array.isArray(b.services) || b.services.length === 0) throw fail('it lists no services');
  for (const s of b.services) {
    const regions = [s?.primaryRegion, s?.secondaryRegion];
    if (
      typeof s?.name !== 'string' ||
      regions.some((r) => typeof r !== 'string' || !s.routingControls?.[r!])
    ) {
      throw fail(
        `service ${JSON.stringify(s?.name)} lacks a routing control ARN for each of its two Regions`,
      );
    }
  }
  if (!Array.isArray(b.safetyRules)) throw fail('safetyRules is missing');
  return b as Bookmark;
}
