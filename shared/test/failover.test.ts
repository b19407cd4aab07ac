import { bothOff, servingRegion, type RoutingControlState } from '../src/failover';

const service = { primaryRegion: 'us-east-1', secondaryRegion: 'us-west-2' };
const states = (primary: RoutingControlState, secondary: RoutingControlState) => (region: string) =>
  region === 'us-east-1' ? primary : secondary;

describe('the Route 53 failover rule with RECOVERY_CONTROL health checks', () => {
  it.each([
    ['On', 'Off', 'us-east-1', false],
    ['On', 'On', 'us-east-1', false],
    ['Off', 'On', 'us-west-2', false],
    ['Off', 'Off', 'us-east-1', true],
  ] as const)('primary %s, secondary %s: traffic on %s', (primary, secondary, region, flagged) => {
    expect(servingRegion(service, states(primary, secondary))).toBe(region);
    expect(bothOff(service, states(primary, secondary))).toBe(flagged);
  });
});
