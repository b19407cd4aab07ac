import { isProcessAlive } from '@arc-failover/shared';
import { BookmarkError, defaultBookmarkPath, readBookmark, type Bookmark } from '@arc-failover/arc';
import { admin } from './client';
import { CommandError } from '@arc-failover/shared/command';

export class NoSandboxError extends CommandError {
  override name = 'NoSandboxError';
}

/** What a running sandbox's bookmark says about where it listens. */
export interface RunningSandbox {
  file: string;
  bookmark: Bookmark;
  pid: number;
  entryUrl: string;
  adminUrl: string;
  dns: { host: string; port: number };
}

/** The bookmark file of the local sandbox: --bookmark, else $ARC_BOOKMARK, else arc/bookmarks/local.json. */
export function sandboxBookmarkPath(flag?: string): string {
  return flag ?? process.env.ARC_BOOKMARK ?? defaultBookmarkPath('local');
}

/**
 * The sandbox its bookmark names, if it is alive and its admin listener answers with the same pid (a pid
 * alone may have been reused); otherwise one line saying to start one.
 */
export async function findRunningSandbox(file = sandboxBookmarkPath()): Promise<RunningSandbox> {
  let bookmark: Bookmark;
  try {
    bookmark = readBookmark(file);
  } catch (error) {
    if (error instanceof BookmarkError) {
      throw new NoSandboxError(`no sandbox is running (no bookmark at ${file}): start one with "npm start"`);
    }
    throw error;
  }
  const sandbox = bookmark.sandbox;
  if (!sandbox?.adminUrl || !sandbox.entryUrl || !sandbox.dns) {
    throw new NoSandboxError(`${file} is not a sandbox bookmark: start the sandbox with "npm start"`);
  }
  const notRunning = new NoSandboxError(
    `no sandbox is running (${file} names none alive): start one with "npm start"`,
  );
  if (!sandbox.pid || !isProcessAlive(sandbox.pid)) throw notRunning;
  const answering = await admin.status(sandbox.adminUrl).then(
    (status) => status.pid === sandbox.pid,
    () => false,
  );
  if (!answering) throw notRunning;
  return {
    file,
    bookmark,
    pid: sandbox.pid,
    entryUrl: sandbox.entryUrl,
    adminUrl: sandbox.adminUrl,
    dns: sandbox.dns,
  };
}
