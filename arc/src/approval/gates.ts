import { gatingRuleName, type RoutingControlState } from '@arc-failover/shared';
import type { Bookmark, BookmarkService } from '../bookmark';
import type { DataPlane } from '../dataplane/client';
import { sleep } from '../halted-sleep';

/**
 * The approval gate on the cluster's data plane: each gated API has an approval routing control, and a
 * gating rule lets its two routing controls change only while that control is On. These functions read,
 * set and wait for those controls; they never touch the API's own routing controls. A runbook's approval
 * step calls waitForGates (it turns no gate On itself); the approver's CLI calls setGates.
 */

export type GateDataPlane = Pick<DataPlane, 'getRoutingControlStates' | 'updateRoutingControlStates'>;

/** The bookmark's safety rule is its API's approval gate (not another gating rule). */
export function isApprovalGate(rule: Bookmark['safetyRules'][number]): boolean {
  return rule.kind === 'gating' && rule.name === gatingRuleName({ name: rule.service });
}

/** The APIs named have no approval control in the bookmark. */
export class NoApprovalGate extends Error {
  override name = 'NoApprovalGate';
  constructor(
    readonly stage: string,
    readonly apis: string[],
  ) {
    super(
      `stage ${stage} has no approval gate for ${apis.join(', ')}: its bookmark holds no approval control (turn on arc.approvalGate and deploy, then sync; in the sandbox: npm start -- --approval-gate)`,
    );
  }
}

/** waitForGates ran out of time; `states` are the gates as last read. */
export class GateTimeout extends Error {
  override name = 'GateTimeout';
  constructor(
    readonly states: Map<string, RoutingControlState>,
    readonly timeoutMs: number,
  ) {
    super(`the approval gate of ${closed(states).join(', ')} was still Off after ${timeoutMs} ms`);
  }
}

/** waitForGates was halted (e.g. Ctrl-C) before every gate was On. */
export class GateHalted extends Error {
  override name = 'GateHalted';
  constructor(readonly states: Map<string, RoutingControlState>) {
    super(`stopped waiting for the approval gate of ${closed(states).join(', ') || 'no API'}`);
  }
}

const closed = (states: Map<string, RoutingControlState>) =>
  [...states].filter(([, state]) => state !== 'On').map(([api]) => api);

/** The bookmark's services of these names (all when 'all'), each with its approval control ARN. */
export function gatedApis(
  bookmark: Bookmark,
  names: readonly string[] | 'all',
): (BookmarkService & { approvalControlArn: string })[] {
  const apis =
    names === 'all'
      ? bookmark.services
      : names.map((name) => {
          const found = bookmark.services.find((s) => s.name === name);
          if (!found) {
            throw new RangeError(
              `unknown API "${name}" (known: ${bookmark.services.map((s) => s.name).join(', ')})`,
            );
          }
          return found;
        });
  const ungated = apis.filter((api) => !api.approvalControlArn).map((api) => api.name);
  if (ungated.length > 0) throw new NoApprovalGate(bookmark.stage, ungated);
  return apis as (BookmarkService & { approvalControlArn: string })[];
}

/** The state of each API's approval control, by API name, from one endpoint. */
export async function readGates(
  dataPlane: Pick<GateDataPlane, 'getRoutingControlStates'>,
  bookmark: Bookmark,
  apis: readonly string[] | 'all',
): Promise<Map<string, RoutingControlState>> {
  const gated = gatedApis(bookmark, apis);
  const { value } = await dataPlane.getRoutingControlStates(gated.map((api) => api.approvalControlArn));
  const states = new Map<string, RoutingControlState>();
  for (const api of gated) {
    const state = value.get(api.approvalControlArn);
    if (state !== 'On' && state !== 'Off') {
      throw new Error(
        `the cluster does not know ${api.name}'s approval control ${api.approvalControlArn}: the bookmark is stale (sync again)`,
      );
    }
    states.set(api.name, state);
  }
  return states;
}

/** UpdateRoutingControlStates takes at most 10 entries. */
const ENTRIES_PER_CALL = 10;

/**
 * Turns the approval controls of `apis` On (approve) or Off (revoke), 10 per call, then reads them back
 * and returns what the cluster holds. Needs credentials the approver policy covers.
 */
export async function setGates(
  dataPlane: GateDataPlane,
  bookmark: Bookmark,
  apis: readonly string[] | 'all',
  state: RoutingControlState,
  { halt }: { halt?: AbortSignal } = {},
): Promise<Map<string, RoutingControlState>> {
  const gated = gatedApis(bookmark, apis);
  for (let i = 0; i < gated.length; i += ENTRIES_PER_CALL) {
    if (halt?.aborted) break;
    const entries = gated.slice(i, i + ENTRIES_PER_CALL).map((api) => ({
      RoutingControlArn: api.approvalControlArn,
      RoutingControlState: state,
    }));
    await dataPlane.updateRoutingControlStates(entries, [], { halt });
  }
  return readGates(
    dataPlane,
    bookmark,
    gated.map((api) => api.name),
  );
}

export interface WaitOptions {
  /** Give up after this long (GateTimeout). */
  timeoutMs: number;
  /** Stop waiting (GateHalted). */
  halt?: AbortSignal;
  /** Between reads; default 1000 ms. */
  pollMs?: number;
  /** Each read's states, e.g. to show who is still waited for. */
  onRead?: (states: Map<string, RoutingControlState>) => void;
}

/**
 * Waits until the approval gate of every API of `apis` is On, reading them every `pollMs`; resolves with
 * the states, or throws GateTimeout or GateHalted. A failed read is retried at the next poll until the
 * deadline (the last failure is then thrown); NoApprovalGate is thrown at once.
 */
export async function waitForGates(
  dataPlane: Pick<GateDataPlane, 'getRoutingControlStates'>,
  bookmark: Bookmark,
  apis: readonly string[] | 'all',
  { timeoutMs, halt, pollMs = 1000, onRead }: WaitOptions,
): Promise<Map<string, RoutingControlState>> {
  const names = gatedApis(bookmark, apis).map((api) => api.name);
  const deadline = performance.now() + timeoutMs;
  let states = new Map<string, RoutingControlState>(names.map((name) => [name, 'Off']));
  for (;;) {
    if (halt?.aborted) throw new GateHalted(states);
    let failure: unknown;
    try {
      states = await readGates(dataPlane, bookmark, names);
      onRead?.(states);
      if (closed(states).length === 0) return states;
    } catch (error) {
      failure = error;
    }
    const left = deadline - performance.now();
    if (left <= 0) {
      if (failure) throw failure;
      throw new GateTimeout(states, timeoutMs);
    }
    await sleep(Math.min(pollMs, left), halt);
  }
}
