import { DataPlane, resolveTargets, selectApis, switchover, type Bookmark } from '@arc-failover/arc';

/**
 * What an operator does once after a first deploy, when every routing control is still Off: puts every
 * API on its primary (primary On, secondary Off). The switchover core that `npm run switch -- --all --to
 * primary` runs: the same read, plan, batches and pause between them, and the read back.
 */
export async function putEverythingOnPrimary(bookmark: Bookmark): Promise<string> {
  const credentials = bookmark.sandbox?.credentials;
  if (!credentials) throw new Error('the bookmark carries no sandbox credentials');
  const dataPlane = new DataPlane({ endpoints: bookmark.endpoints, credentials });
  try {
    const targets = resolveTargets(selectApis(bookmark, 'all'), 'primary');
    const { plan } = await switchover({ dataPlane, bookmark, targets });
    return plan.apis.map((api) => `${api.api.name} ${api.region}`).join(', ');
  } finally {
    dataPlane.close();
  }
}
