import { DataPlane } from '@arc-failover/arc';
import { ClusterEmulator } from '@arc-failover/arc/emulator';
import { loadTopology } from '@arc-failover/shared';
import { putEverythingOnPrimary } from '../src/arc-cluster/first-deploy';

// A real cluster emulation on loopback: five endpoints, SigV4, the safety rules.
jest.setTimeout(30_000);

describe('putting everything on its primary after a first deploy', () => {
  let emulator: ClusterEmulator;
  const topology = loadTopology('local');
  const arn = (api: string, region: string) => emulator.routingControlArn(api, region);

  beforeEach(async () => {
    emulator = await ClusterEmulator.start({ topology, waitPeriodMs: 0 });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await emulator.close();
  });

  it('sends the batch `switch --all --to primary` sends: every primary On, then every secondary Off, in one call', async () => {
    const sent = jest.spyOn(DataPlane.prototype, 'updateRoutingControlStates');
    expect(await putEverythingOnPrimary(emulator.bookmark())).toBe(
      'external-api us-east-1, service1 us-east-1, service2 us-west-2',
    );
    // each call's entries (its other arguments: no safety rule overridden, the halt signal)
    expect(sent.mock.calls.map(([entries]) => entries)).toEqual([
      [
        { RoutingControlArn: arn('external-api', 'us-east-1'), RoutingControlState: 'On' },
        { RoutingControlArn: arn('service1', 'us-east-1'), RoutingControlState: 'On' },
        { RoutingControlArn: arn('service2', 'us-west-2'), RoutingControlState: 'On' },
        { RoutingControlArn: arn('external-api', 'us-west-2'), RoutingControlState: 'Off' },
        { RoutingControlArn: arn('service1', 'us-west-2'), RoutingControlState: 'Off' },
        { RoutingControlArn: arn('service2', 'us-east-1'), RoutingControlState: 'Off' },
      ],
    ]);
    for (const api of topology.all) {
      expect([emulator.stateOf(arn(api.name, api.primaryRegion)), api.name]).toEqual(['On', api.name]);
      expect([emulator.stateOf(arn(api.name, api.secondaryRegion)), api.name]).toEqual(['Off', api.name]);
    }
    expect(emulator.operationCounts()).toMatchObject({
      UpdateRoutingControlStates: 1,
      ListRoutingControls: 0,
    });
    // the read it planned from, then the read back of the same six controls
    expect(emulator.operationCounts().GetRoutingControlState).toBeGreaterThanOrEqual(12);
  });

  it('moves on from endpoints that refuse, fail or throttle, as the CLI does', async () => {
    const [first, second, third, fourth] = emulator.endpoints;
    await emulator.setFault(first!.region, 'refuse');
    await emulator.setFault(second!.region, 'unavailable');
    await emulator.setFault(third!.region, 'throttle');
    await emulator.setFault(fourth!.region, 'internal-error');
    await putEverythingOnPrimary(emulator.bookmark());
    expect(emulator.stateOf(arn('service2', 'us-west-2'))).toBe('On');
  });

  it('changes nothing when every API is already on its primary', async () => {
    await putEverythingOnPrimary(emulator.bookmark());
    const before = emulator.operationCounts().UpdateRoutingControlStates;
    await putEverythingOnPrimary(emulator.bookmark());
    expect(emulator.operationCounts().UpdateRoutingControlStates).toBe(before);
  });

  it('with the approval gate, has the sandbox approver approve first and revoke after', async () => {
    await emulator.close();
    emulator = await ClusterEmulator.start({
      topology: { ...topology, arc: { ...topology.arc, approvalGate: true } },
      waitPeriodMs: 0,
    });
    expect(await putEverythingOnPrimary(emulator.bookmark())).toBe(
      'external-api us-east-1, service1 us-east-1, service2 us-west-2',
    );
    for (const api of topology.all) {
      expect([emulator.stateOf(arn(api.name, api.primaryRegion)), api.name]).toEqual(['On', api.name]);
      expect([emulator.stateOf(emulator.approvalControlArn(api.name)), api.name]).toEqual(['Off', api.name]);
    }
  });
});
