import { EndpointRejection, NoEndpointAnswered } from '../dataplane/client';
import { notReadyLine, type ReadinessAnswer } from '../readiness';

/**
 * Every way a switchover can fail. `routingMayHaveChanged` is what an operator must know first: false means
 * the routing state is as it was before (nothing was applied); true means some of the change was applied,
 * may have been, or someone else changed it meanwhile.
 */
export abstract class SwitchoverError extends Error {
  abstract readonly routingMayHaveChanged: boolean;
}

/** The request names an API or a Region the bookmark does not have; nothing was read or sent. */
export class SwitchoverRequestError extends SwitchoverError {
  override name = 'SwitchoverRequestError';
  readonly routingMayHaveChanged = false;
}

/** No endpoint gave the routing-control states (`cause`: NoEndpointAnswered or EndpointRejection). */
export class StatesUnreadable extends SwitchoverError {
  override name = 'StatesUnreadable';
  readonly routingMayHaveChanged = false;
  constructor(override readonly cause: unknown) {
    super(describeDataPlaneFailure(cause, 'read the routing control states'));
  }
}

/** A bookmarked routing control the cluster does not know: the bookmark is older than the cluster. */
export class StaleBookmark extends SwitchoverError {
  override name = 'StaleBookmark';
  readonly routingMayHaveChanged = false;
  constructor(
    readonly routingControlArn: string,
    readonly api: string,
    readonly region: string,
    readonly clusterArn: string,
  ) {
    super(
      `routing control ${routingControlArn} (${api} in ${region}) is not in cluster ${clusterArn}: the bookmark is stale`,
    );
  }
}

/** The readiness gate refused: a target Region did not answer 2xx in time; nothing was sent. */
export class TargetNotReady extends SwitchoverError {
  override name = 'TargetNotReady';
  readonly routingMayHaveChanged = false;
  constructor(readonly answers: ReadinessAnswer[]) {
    super(
      answers
        .filter((a) => !a.ready)
        .map(notReadyLine)
        .join('; '),
    );
  }
}

/** A read failed: before the switch (nothing sent), or as the read back. */
export type ReadFailure = StatesUnreadable | StaleBookmark;

/** The update may have been applied although it failed: an attempt ended with no answer. */
export function updateMayHaveApplied(error: unknown): boolean {
  if (error instanceof NoEndpointAnswered) return error.mayHaveApplied;
  if (error instanceof EndpointRejection) return error.failures.some((f) => f.mayHaveApplied);
  return true;
}

/** One line for a data-plane call that failed on every endpoint, or was refused by one. */
export function describeDataPlaneFailure(error: unknown, what: string): string {
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
