import {
  ARC_QUOTAS,
  isAwsRegion,
  servingRegion,
  type FailoverRole,
  type RoutingControlState,
} from '@arc-failover/shared';
import type { Bookmark, BookmarkService } from '../bookmark';
import { SwitchoverRequestError } from './errors';

/** ARC accepts at most this many entries in one UpdateRoutingControlStates call. */
export const MAX_BATCH_ENTRIES = ARC_QUOTAS.entriesPerUpdate;

/** Routing-control states by routing-control ARN. */
export type States = ReadonlyMap<string, RoutingControlState>;

export interface Target {
  api: BookmarkService;
  region: string;
  role: FailoverRole;
}

export interface ControlChange {
  region: string;
  routingControlArn: string;
  from: RoutingControlState;
  to: RoutingControlState;
}

export interface ApiPlan extends Target {
  /** The target Region's control first. */
  controls: ControlChange[];
  servingBefore: string;
  /** False when the API already has exactly the target states. */
  changes: boolean;
}

export interface Batch {
  apis: string[];
  entries: { RoutingControlArn: string; RoutingControlState: RoutingControlState }[];
}

export interface Plan {
  apis: ApiPlan[];
  batches: Batch[];
}

/** The APIs named on the command line, or every API of the bookmark (the entry API first). */
export function selectApis(bookmark: Bookmark, names: string[] | 'all'): BookmarkService[] {
  if (names === 'all') return bookmark.services;
  return [...new Set(names)].map((name) => {
    const api = bookmark.services.find((s) => s.name === name);
    if (!api) {
      throw new SwitchoverRequestError(
        `unknown API "${name}" (known: ${bookmark.services.map((s) => s.name).join(', ')})`,
      );
    }
    return api;
  });
}

/** Resolves `--to` (primary, secondary or a Region name) for each API; checked before any network call. */
export function resolveTargets(apis: BookmarkService[], to: string): Target[] {
  return apis.map((api) => {
    if (to === 'primary' || to === api.primaryRegion)
      return { api, region: api.primaryRegion, role: 'primary' };
    if (to === 'secondary' || to === api.secondaryRegion) {
      return { api, region: api.secondaryRegion, role: 'secondary' };
    }
    const regions = `${api.primaryRegion} primary, ${api.secondaryRegion} secondary`;
    if (!isAwsRegion(to)) {
      throw new SwitchoverRequestError(
        `--to ${to}: not a Region; give primary, secondary or a Region name (${api.name}: ${regions})`,
      );
    }
    throw new SwitchoverRequestError(`${api.name} does not run in ${to} (its Regions: ${regions})`);
  });
}

/** Per API: target Region On, the other Off. APIs already there are kept in the plan but get no batch entry. */
export function planSwitch(targets: Target[], states: States): Plan {
  const apis = targets.map((target): ApiPlan => {
    const { api, region } = target;
    const other = region === api.primaryRegion ? api.secondaryRegion : api.primaryRegion;
    const stateIn = (r: string) => stateOf(states, api.routingControls[r]!);
    const controls: ControlChange[] = [
      { region, routingControlArn: api.routingControls[region]!, from: stateIn(region), to: 'On' },
      { region: other, routingControlArn: api.routingControls[other]!, from: stateIn(other), to: 'Off' },
    ];
    return {
      ...target,
      controls,
      servingBefore: servingRegion(api, stateIn),
      changes: controls.some((c) => c.from !== c.to),
    };
  });
  return { apis, batches: batchesFor(apis.filter((a) => a.changes)) };
}

/**
 * Everything in one atomic batch when it fits; otherwise whole control panels packed into batches of at
 * most MAX_BATCH_ENTRIES, so each panel's safety rules always judge a complete change of that panel.
 * Both controls of a changing API are sent, even one already right: the batch states the whole target.
 * Within a batch the On entries come first.
 */
export function batchesFor(changing: ApiPlan[]): Batch[] {
  const batches: ApiPlan[][] = [];
  for (const api of changing) {
    const current = batches.at(-1);
    const size = current?.reduce((n, a) => n + a.controls.length, 0) ?? Infinity;
    if (current && size + api.controls.length <= MAX_BATCH_ENTRIES) current.push(api);
    else batches.push([api]);
  }
  return batches.map((group) => {
    const controls = group.flatMap((a) => a.controls);
    const ordered = [...controls.filter((c) => c.to === 'On'), ...controls.filter((c) => c.to === 'Off')];
    return {
      apis: group.map((a) => a.api.name),
      entries: ordered.map((c) => ({ RoutingControlArn: c.routingControlArn, RoutingControlState: c.to })),
    };
  });
}

/** The APIs whose states differ from the plan's targets (empty when the switch took effect). */
export function unmetTargets(plan: Plan, states: States): ApiPlan[] {
  return plan.apis.filter((a) => a.controls.some((c) => stateOf(states, c.routingControlArn) !== c.to));
}

export function stateOf(states: States, routingControlArn: string): RoutingControlState {
  const state = states.get(routingControlArn);
  if (!state) throw new Error(`no state read for ${routingControlArn}`);
  return state;
}
