import { ARC_QUOTAS } from '@arc-failover/shared';
import type { ClusterState, StateChange } from './cluster';
import { arcErrors } from './errors';
import type { RoutingControl } from './model';
import { InputChecker } from './validation';

export const TARGET_PREFIX = 'ToggleCustomerAPI.';

export const OPERATIONS = [
  'GetRoutingControlState',
  'ListRoutingControls',
  'UpdateRoutingControlState',
  'UpdateRoutingControlStates',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** UpdateRoutingControlStates takes at most this many entries (an ARC quota). */
export const MAX_ENTRIES_PER_UPDATE = ARC_QUOTAS.entriesPerUpdate;
/** ListRoutingControls' page size when MaxResults is not given (the API reference's default). */
export const DEFAULT_MAX_RESULTS = 500;

/**
 * Who is calling, as the signature check established, and what the stack's IAM policies would let them
 * do: `operator` (operator policy: every control but no approval control may be updated), `approver`
 * (approver policy: read and update approval controls only), `read-only` (reads only).
 */
export interface Caller {
  principalArn: string;
  role: 'operator' | 'approver' | 'read-only';
}

type Json = Record<string, unknown>;

export function operationOf(target: string | undefined): Operation {
  const name = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  const operation = OPERATIONS.find((op) => op === name);
  if (!operation) {
    throw arcErrors.validation(
      'unknownOperation',
      `Unknown operation ${JSON.stringify(target ?? null)}: x-amz-target must be ${TARGET_PREFIX}<${OPERATIONS.join('|')}>`,
    );
  }
  return operation;
}

export function parseInput(body: string): Json {
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch (error) {
    throw arcErrors.validation(
      'cannotParse',
      `Cannot parse the request body as JSON: ${(error as Error).message}`,
    );
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw arcErrors.validation('cannotParse', 'The request body must be a JSON object');
  }
  return input as Json;
}

/** Runs one operation on the cluster and returns its JSON output; failures are thrown as ArcError. */
export function runOperation(cluster: ClusterState, operation: Operation, input: Json, caller: Caller): Json {
  switch (operation) {
    case 'GetRoutingControlState':
      return getRoutingControlState(cluster, input, caller);
    case 'ListRoutingControls':
      return listRoutingControls(cluster, input);
    case 'UpdateRoutingControlState':
      return updateRoutingControlState(cluster, input, caller);
    case 'UpdateRoutingControlStates':
      return updateRoutingControlStates(cluster, input, caller);
  }
}

function getRoutingControlState(cluster: ClusterState, input: Json, caller: Caller): Json {
  const check = new InputChecker();
  const arn = check.arn(input.RoutingControlArn, 'RoutingControlArn', true);
  check.done();
  const control = cluster.routingControl(arn!);
  if (caller.role === 'approver' && !control.approval) deny(caller, 'GetRoutingControlState', arn!);
  return {
    RoutingControlArn: control.arn,
    RoutingControlState: cluster.stateOf(control.arn),
    RoutingControlName: control.name,
  };
}

function listRoutingControls(cluster: ClusterState, input: Json): Json {
  const check = new InputChecker();
  const controlPanelArn = check.arn(input.ControlPanelArn, 'ControlPanelArn', false);
  const maxResults = check.maxResults(input.MaxResults, 'MaxResults') ?? DEFAULT_MAX_RESULTS;
  const nextToken = check.pageToken(input.NextToken, 'NextToken');
  const offset = nextToken === undefined ? 0 : pageOffset(nextToken, controlPanelArn, check);
  check.done();
  const all = cluster.list(controlPanelArn);
  const page = all.slice(offset, offset + maxResults);
  const next = offset + page.length;
  return {
    RoutingControls: page.map((control) => describe(cluster, control)),
    ...(next < all.length ? { NextToken: pageToken(next, controlPanelArn) } : {}),
  };
}

function describe(cluster: ClusterState, control: RoutingControl): Json {
  return {
    ControlPanelArn: control.controlPanel.arn,
    ControlPanelName: control.controlPanel.name,
    RoutingControlArn: control.arn,
    RoutingControlName: control.name,
    RoutingControlState: cluster.stateOf(control.arn),
    Owner: cluster.model.accountId,
  };
}

/** A page token carries where the next page starts and which filter it belongs to. */
function pageToken(offset: number, controlPanelArn: string | undefined): string {
  return Buffer.from(JSON.stringify({ offset, controlPanelArn: controlPanelArn ?? null })).toString(
    'base64url',
  );
}

function pageOffset(token: string, controlPanelArn: string | undefined, check: InputChecker): number {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      offset?: unknown;
      controlPanelArn?: unknown;
    };
    if (
      typeof decoded.offset === 'number' &&
      Number.isInteger(decoded.offset) &&
      decoded.offset > 0 &&
      decoded.controlPanelArn === (controlPanelArn ?? null)
    ) {
      return decoded.offset;
    }
  } catch {
    // falls through to the validation failure below
  }
  check.fail(
    'NextToken',
    token,
    'Member must be a NextToken from a previous call with the same ControlPanelArn',
  );
  return 0;
}

function updateRoutingControlState(cluster: ClusterState, input: Json, caller: Caller): Json {
  const check = new InputChecker();
  const arn = check.arn(input.RoutingControlArn, 'RoutingControlArn', true);
  const state = check.state(input.RoutingControlState, 'RoutingControlState');
  const overrides = check.arns(input.SafetyRulesToOverride, 'SafetyRulesToOverride');
  check.done();
  authorize(cluster, caller, 'UpdateRoutingControlState', [arn!]);
  cluster.update([{ routingControlArn: arn!, state: state! }], overrides);
  return {};
}

function updateRoutingControlStates(cluster: ClusterState, input: Json, caller: Caller): Json {
  const check = new InputChecker();
  const name = 'UpdateRoutingControlStateEntries';
  const entries: StateChange[] = [];
  const seen = new Set<string>();
  check.list(input[name], name, 1).forEach((item, index) => {
    const entry = check.struct(item, `${name}.${index}`);
    const arn = check.arn(entry.RoutingControlArn, `${name}.${index}.RoutingControlArn`, true);
    const state = check.state(entry.RoutingControlState, `${name}.${index}.RoutingControlState`);
    if (arn !== undefined && seen.has(arn)) {
      check.fail(`${name}.${index}.RoutingControlArn`, arn, 'Member must name a routing control only once');
    }
    if (arn !== undefined) seen.add(arn);
    if (arn !== undefined && state !== undefined) entries.push({ routingControlArn: arn, state });
  });
  const overrides = check.arns(input.SafetyRulesToOverride, 'SafetyRulesToOverride');
  check.done();
  if (entries.length > MAX_ENTRIES_PER_UPDATE) {
    throw arcErrors.serviceLimit(
      `An UpdateRoutingControlStates request can update at most ${MAX_ENTRIES_PER_UPDATE} routing controls; this one has ${entries.length}. Split it into smaller batches.`,
      'RoutingControlsPerUpdateRoutingControlStates',
    );
  }
  authorize(
    cluster,
    caller,
    'UpdateRoutingControlStates',
    entries.map((entry) => entry.routingControlArn),
  );
  cluster.update(entries, overrides);
  return {};
}

/** IAM's answer for an update naming these controls: every one must be allowed, or the request is refused. */
function authorize(cluster: ClusterState, caller: Caller, action: Operation, resources: string[]): void {
  for (const resource of resources) {
    const approval = cluster.routingControl(resource).approval === true;
    if (caller.role === 'read-only') deny(caller, action, resource);
    if (caller.role === 'approver' && !approval) deny(caller, action, resource);
    if (caller.role === 'operator' && approval) deny(caller, action, resource, 'explicit');
  }
}

function deny(caller: Caller, action: Operation, resource: string, how: 'explicit' | 'none' = 'none'): never {
  const because =
    how === 'explicit'
      ? `with an explicit deny in an identity-based policy`
      : `because no identity-based policy allows the route53-recovery-cluster:${action} action`;
  throw arcErrors.accessDenied(
    `User: ${caller.principalArn} is not authorized to perform: route53-recovery-cluster:${action} on resource: ${resource} ${because}`,
  );
}
