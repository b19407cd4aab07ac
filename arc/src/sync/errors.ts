/** Sync cannot write a bookmark a switch can rely on: one line naming what is missing and what to do. */
export class SyncError extends Error {
  override name = 'SyncError';
}
