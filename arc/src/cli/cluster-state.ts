import type { Bookmark, BookmarkService } from '../bookmark';
import { EndpointRejection, NoEndpointAnswered, type Answer } from '../dataplane/client';
import {
  readStates as readSwitchoverStates,
  StaleBookmark,
  StatesUnreadable,
  type States,
  type SwitchoverDataPlane,
} from '../switchover';
import { CliError } from './errors';
import { rewriteHint } from './session';

/** The switchover core's read, with a failure as the CLI's one line (exit 1). */
export async function readStates(
  dataPlane: Pick<SwitchoverDataPlane, 'getRoutingControlStates'>,
  bookmark: Bookmark,
  apis?: readonly BookmarkService[],
): Promise<Answer<States>> {
  try {
    return await readSwitchoverStates(dataPlane, bookmark, apis);
  } catch (error) {
    throw new CliError(readFailureLine(error, bookmark));
  }
}

/** A failed read as one line, with what else may explain it and how to fix a stale bookmark. */
export function readFailureLine(error: unknown, bookmark: Bookmark): string {
  if (error instanceof StaleBookmark) return `${error.message}; ${rewriteHint(bookmark)}`;
  if (error instanceof StatesUnreadable) return `${error.message}${readHint(error.cause, bookmark)}`;
  return (error as Error).message;
}

/**
 * What else may explain a failed read: a sandbox that is not running; or, when access is denied, a stale
 * bookmark, since the operator policy names only the current routing controls and AWS then denies an old
 * ARN instead of answering that it is not found.
 */
function readHint(error: unknown, bookmark: Bookmark): string {
  if (
    bookmark.sandbox &&
    error instanceof NoEndpointAnswered &&
    error.failures.every((f) => f.kind === 'refused')
  ) {
    return '; is the sandbox running? ("npm start")';
  }
  if (error instanceof EndpointRejection && error.error.name === 'AccessDeniedException') {
    return `, or, if the bookmark is stale, ${rewriteHint(bookmark)}`;
  }
  return '';
}
