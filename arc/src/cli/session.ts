import { BookmarkError, defaultBookmarkPath, readBookmark, type Bookmark } from '../bookmark';
import { DataPlane, type StaticCredentials } from '../dataplane/client';
import type { CommonOptions } from './args';
import { resolveCredentials } from './credentials';
import { CliError, UsageError } from './errors';

export interface Session {
  bookmark: Bookmark;
  bookmarkFile: string;
  credentials: StaticCredentials;
  dataPlane: DataPlane;
}

export function bookmarkFile(options: CommonOptions): string {
  return options.bookmark ?? process.env.ARC_BOOKMARK ?? defaultBookmarkPath(options.stage);
}

/** The bookmark named by the flags; a stage given explicitly must match it (no switching prod by accident). */
export function loadBookmark(options: CommonOptions): { bookmark: Bookmark; file: string } {
  const file = bookmarkFile(options);
  let bookmark: Bookmark;
  try {
    bookmark = readBookmark(file);
  } catch (error) {
    if (error instanceof BookmarkError) throw new CliError(error.message);
    throw error;
  }
  if (options.stageGiven && bookmark.stage !== options.stage) {
    throw new UsageError(`${file} is the bookmark of stage "${bookmark.stage}", not "${options.stage}"`);
  }
  return { bookmark, file };
}

/**
 * Runs `use` with credentials and a data-plane client over the bookmarked endpoints, then closes every
 * connection so the process exits at once.
 */
export async function withSession<T>(
  options: CommonOptions,
  bookmark: Bookmark,
  file: string,
  use: (session: Session) => Promise<T>,
): Promise<T> {
  const credentials = await resolveCredentials(bookmark);
  const dataPlane = new DataPlane({
    endpoints: bookmark.endpoints,
    credentials,
    connectTimeoutMs: options.connectTimeoutMs,
    timeoutMs: options.timeoutMs,
    writeTimeoutMs: options.writeTimeoutMs,
  });
  try {
    return await use({ bookmark, bookmarkFile: file, credentials, dataPlane });
  } finally {
    dataPlane.close();
  }
}

/** How to refresh a bookmark that no longer matches its cluster. */
export function rewriteHint(bookmark: Bookmark): string {
  return bookmark.sandbox
    ? 'restart the sandbox ("npm start") to write it again'
    : `write it again with "npm run switch -- sync --stage ${bookmark.stage}"`;
}
