export type RoutingControlState = 'On' | 'Off';

/** A service as the topology and the bookmark both describe it. */
export interface RegionPair {
  primaryRegion: string;
  secondaryRegion: string;
}

/**
 * Where Route 53 sends a name's traffic, given the routing controls behind the RECOVERY_CONTROL health
 * checks of its PRIMARY and SECONDARY failover records: the secondary answers only when the primary is
 * unhealthy (Off) and the secondary healthy (On); in every other case, Off/Off included, the primary does.
 */
export function servingRegion(service: RegionPair, stateOf: (region: string) => RoutingControlState): string {
  const primaryOn = stateOf(service.primaryRegion) === 'On';
  const secondaryOn = stateOf(service.secondaryRegion) === 'On';
  return !primaryOn && secondaryOn ? service.secondaryRegion : service.primaryRegion;
}

/** Off/Off: Route 53 fails open to the primary, but no control says so; an operator must be told. */
export function bothOff(service: RegionPair, stateOf: (region: string) => RoutingControlState): boolean {
  return stateOf(service.primaryRegion) === 'Off' && stateOf(service.secondaryRegion) === 'Off';
}
