import type { RoutingControlState } from '@arc-failover/shared';
import type { Bookmark, BookmarkService } from '../bookmark';
import type { Answer, DataPlane } from '../dataplane/client';
import { StaleBookmark, StatesUnreadable } from './errors';
import type { States } from './plan';

/**
 * What a switchover needs of the data-plane client; a test can wrap it. Without `firstEndpoint` and `probe`
 * the batches go one at a time, wherever the client sends them.
 */
export type SwitchoverDataPlane = Pick<DataPlane, 'getRoutingControlStates' | 'updateRoutingControlStates'> &
  Partial<Pick<DataPlane, 'firstEndpoint' | 'probe'>>;

/**
 * The state of the routing controls of `apis` (by default every API of the bookmark), one
 * GetRoutingControlState call per control, all sent to the endpoint that answers (one consistent view per
 * read). Not one ListRoutingControls listing: IAM can grant that action only on Resource "*", whereas the
 * stack's operator policy names each routing control, so an operator holding just that policy can read and
 * switch them. Reads do not count against the cluster's mutating-call quota.
 * Throws StatesUnreadable, or StaleBookmark for an ARN the cluster does not know.
 */
export async function readStates(
  dataPlane: Pick<SwitchoverDataPlane, 'getRoutingControlStates'>,
  bookmark: Bookmark,
  apis: readonly BookmarkService[] = bookmark.services,
): Promise<Answer<States>> {
  const controls = apis.flatMap((api) =>
    [api.primaryRegion, api.secondaryRegion].map((region) => ({
      api: api.name,
      region,
      arn: api.routingControls[region]!,
    })),
  );
  const answer = await dataPlane
    .getRoutingControlStates(controls.map((c) => c.arn))
    .catch((error: unknown) => {
      throw new StatesUnreadable(error);
    });
  const states = new Map<string, RoutingControlState>();
  for (const { api, region, arn } of controls) {
    const state = answer.value.get(arn);
    if (state !== 'On' && state !== 'Off') throw new StaleBookmark(arn, api, region, bookmark.clusterArn);
    states.set(arn, state);
  }
  return { ...answer, value: states };
}
