import {
  type Bookmark,
  readStates,
  planSwitch,
  resolveTargets,
  selectApis,
  DataPlane,
} from '@arc-failover/arc';

/**
 * What an operator does once after a first deploy, when every routing control is still Off: puts every
 * API on its primary (primary On, secondary Off). The same read, plan and batches as
 * `npm run switch -- --all --to primary`, through the same endpoint-rotating data-plane client.
 */
export async function putEverythingOnPrimary(bookmark: Bookmark): Promise<string> {
  const credentials = bookmark.sandbox?.credentials;
  if (!credentials) throw new Error('the bookmark carries no sandbox credentials');
  const dataPlane = new DataPlane({ endpoints: bookmark.endpoints, credentials });
  try {
    const states = await readStates(dataPlane, bookmark);
    const plan = planSwitch(resolveTargets(selectApis(bookmark, 'all'), 'primary'), states.value);
    for (const batch of plan.batches) await dataPlane.updateRoutingControlStates(batch.entries);
    return plan.apis.map((api) => `${api.api.name} ${api.region}`).join(', ');
  } finally {
    dataPlane.close();
  }
}
