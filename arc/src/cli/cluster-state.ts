import type { RoutingControlState } from '@arc-failover/shared';
import type { Bookmark, BookmarkService } from '../bookmark';
import { EndpointRejection, NoEndpointAnswered, type Answer, type DataPlane } from '../dataplane/client';
import { CliError } from './errors';
import type { States } from './plan';
import { rewriteHint } from './session';

/**
 * The state of the routing controls of `apis` (by default every API of the bookmark), one
 * GetRoutingControlState call per control, all sent to the endpoint that answers (one consistent view per
 * read). Not one ListRoutingControls
 * listing: IAM can grant that action only on Resource "*", whereas the stack's operator policy names each
 * routing control, so an operator holding just that policy can read and switch them. A bookmarked ARN the
 * cluster does not know (ResourceNotFoundException) means the bookmark is stale. Reads do not count
 * against the cluster's mutating-call quota.
 */
export async function readStates(
  dataPlane: DataPlane,
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
      throw new CliError(
        `${dataPlaneFailure(error, 'read the routing control states')}${readHint(error, bookmark)}`,
      );
    });
  const states = new Map<string, RoutingControlState>();
  for (const { api, region, arn } of controls) {
    const state = answer.value.get(arn);
    if (state !== 'On' && state !== 'Off') {
      throw new CliError(
        `routing control ${arn} (${api} in ${region}) is not in cluster ${bookmark.clusterArn}: the bookmark is stale; ${rewriteHint(bookmark)}`,
      );
    }
    states.set(arn, state);
  }
  return { ...answer, value: states };
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

/** One line for a data-plane call that failed on every endpoint, or was refused by one. */
export function dataPlaneFailure(error: unknown, what: string): string {
  if (error instanceof NoEndpointAnswered) return `could not ${what}: ${error.message}`;
  if (error instanceof EndpointRejection) {
    const e = error.error as Error & { $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    const hint =
      status === 403
        ? "; check the credentials (AWS_PROFILE, or the sandbox bookmark's) and their route53-recovery-cluster permissions"
        : '';
    return `the ${error.endpoint.region} endpoint refused to ${what} (${e.name}${status ? `, HTTP ${status}` : ''}): ${e.message}${hint}`;
  }
  return `could not ${what}: ${(error as Error).message}`;
}
