import type { RoutingControlState } from '@arc-failover/shared/failover';
import type { Bookmark } from '../bookmark';
import { EndpointRejection, NoEndpointAnswered, type Answer, type DataPlane } from '../dataplane/client';
import { CliError } from './errors';
import type { States } from './plan';
import { rewriteHint } from './session';

/**
 * The state of every routing control of the bookmark, from ONE ListRoutingControls listing (all pages
 * from the endpoint that answered): one round trip however many APIs, one consistent view, and a
 * bookmarked ARN missing from the cluster shows up in the same call. Reads do not count against the
 * cluster's mutating-call quota.
 */
export async function readStates(dataPlane: DataPlane, bookmark: Bookmark): Promise<Answer<States>> {
  const answer = await dataPlane.listRoutingControls().catch((error: unknown) => {
    const sandboxDown =
      bookmark.sandbox &&
      error instanceof NoEndpointAnswered &&
      error.failures.every((f) => f.kind === 'refused');
    const hint = sandboxDown ? '; is the sandbox running? ("npm start")' : '';
    throw new CliError(`${dataPlaneFailure(error, 'list the routing controls')}${hint}`);
  });
  const inCluster = new Map(answer.value.map((c) => [c.RoutingControlArn, c.RoutingControlState]));
  const states = new Map<string, RoutingControlState>();
  for (const api of bookmark.services) {
    for (const region of [api.primaryRegion, api.secondaryRegion]) {
      const arn = api.routingControls[region]!;
      const state = inCluster.get(arn);
      if (state !== 'On' && state !== 'Off') {
        throw new CliError(
          `routing control ${arn} (${api.name} in ${region}) is not in cluster ${bookmark.clusterArn}: the bookmark is stale; ${rewriteHint(bookmark)}`,
        );
      }
      states.set(arn, state);
    }
  }
  return { ...answer, value: states };
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
