import {
  DataPlane,
  resolveTargets,
  selectApis,
  setGates,
  switchover,
  type Bookmark,
} from '@arc-failover/arc';

/**
 * What an operator does once after a first deploy, when every routing control is still Off: puts every
 * API on its primary (primary On, secondary Off). The switchover core that `npm run switch -- --all --to
 * primary` runs: the same read, plan, batches and pause between them, and the read back. With the
 * approval gate, the sandbox's approver approves every API first and revokes after, as two people would.
 */
export async function putEverythingOnPrimary(bookmark: Bookmark): Promise<string> {
  const credentials = bookmark.sandbox?.credentials;
  if (!credentials) throw new Error('the bookmark carries no sandbox credentials');
  const dataPlane = new DataPlane({ endpoints: bookmark.endpoints, credentials });
  const approverKeys = bookmark.sandbox?.approverCredentials;
  const approver =
    approverKeys && new DataPlane({ endpoints: bookmark.endpoints, credentials: approverKeys });
  try {
    if (approver) await setGates(approver, bookmark, 'all', 'On');
    const targets = resolveTargets(selectApis(bookmark, 'all'), 'primary');
    const { plan } = await switchover({ dataPlane, bookmark, targets });
    if (approver) await setGates(approver, bookmark, 'all', 'Off');
    return plan.apis.map((api) => `${api.api.name} ${api.region}`).join(', ');
  } finally {
    dataPlane.close();
    approver?.close();
  }
}
