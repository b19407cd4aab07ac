import { bothOff, servingRegion, type FailoverRole, type RoutingControlState } from '@arc-failover/shared';
import type { BookmarkService } from '../bookmark';
import { stateOf, type States } from './plan';

export interface ApiStatus {
  name: string;
  hostname: string;
  controls: { region: string; role: FailoverRole; routingControlArn: string; state: RoutingControlState }[];
  servingRegion: string;
  servingRole: FailoverRole;
  bothOff: boolean;
}

/** Each API's routing-control states and where its traffic goes; `states` must hold its two controls. */
export function statusOf(apis: readonly BookmarkService[], states: States): ApiStatus[] {
  return apis.map((api) => {
    const stateIn = (region: string) => stateOf(states, api.routingControls[region]!);
    const serving = servingRegion(api, stateIn);
    return {
      name: api.name,
      hostname: api.hostname,
      controls: (['primary', 'secondary'] as const).map((role) => {
        const region = role === 'primary' ? api.primaryRegion : api.secondaryRegion;
        return { region, role, routingControlArn: api.routingControls[region]!, state: stateIn(region) };
      }),
      servingRegion: serving,
      servingRole: serving === api.primaryRegion ? 'primary' : 'secondary',
      bothOff: bothOff(api, stateIn),
    };
  });
}
