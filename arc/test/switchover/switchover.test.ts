import { loadTopology, type Topology } from '@arc-failover/shared';
import type { Bookmark } from '../../src/bookmark';
import { DataPlane, EndpointRejection, NoEndpointAnswered } from '../../src/dataplane/client';
import { ClusterEmulator, SANDBOX_CREDENTIALS } from '../../src/emulator';
import {
  planSwitchover,
  resolveTargets,
  selectApis,
  StaleBookmark,
  StatesUnreadable,
  switchover,
  SwitchoverFailed,
  type SwitchoverDataPlane,
  type SwitchoverEvent,
} from '../../src/switchover';
import { topologyWith } from '@arc-failover/testing';

// The switchover core against the in-process cluster emulation: real endpoints, SigV4, safety rules.

let emulator: ClusterEmulator;
const clients: DataPlane[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await emulator.close();
});

async function start(topology: Topology = loadTopology('local'), waitPeriodMs = 0): Promise<Bookmark> {
  emulator = await ClusterEmulator.start({ topology, waitPeriodMs });
  return emulator.bookmark();
}

/** An operator's data-plane client over the emulator's endpoints. */
function operator(): DataPlane {
  const client = new DataPlane({ endpoints: emulator.endpoints, credentials: SANDBOX_CREDENTIALS });
  clients.push(client);
  return client;
}

const targets = (bookmark: Bookmark, apis: string[] | 'all', to: string) =>
  resolveTargets(selectApis(bookmark, apis), to);
const states = (api: string) => ['us-east-1', 'us-west-2'].map((r) => emulator.stateOf(arnOf(api, r)));
const arnOf = (api: string, region: string) => emulator.routingControlArn(api, region);

/** The SwitchoverFailed (or other error) a switchover rejects with. */
async function failureOf(run: Promise<unknown>): Promise<unknown> {
  try {
    await run;
  } catch (error) {
    return error;
  }
  throw new Error('expected the switchover to fail');
}

describe('executing a switchover', () => {
  it('switches, reporting the plan, the applied batch, every call and the states read back', async () => {
    const bookmark = await start();
    const result = await switchover({
      dataPlane: operator(),
      bookmark,
      targets: targets(bookmark, ['service1'], 'secondary'),
    });

    expect(result).toMatchObject({
      outcome: 'switched',
      verified: true,
      interrupted: false,
      unmet: [],
      bySomeoneElse: [],
      batches: [{ apis: ['service1'], applied: true, endpoint: expect.any(String) }],
      readBack: [{ name: 'service1', servingRegion: 'us-west-2', servingRole: 'secondary' }],
    });
    expect(result.updateError).toBeUndefined();
    expect(result.calls.map((c) => c.call)).toEqual(['read', 'update 1/1', 'read back']);
    expect(states('service1')).toEqual(['Off', 'On']);
  });

  it('sends nothing when every target already holds', async () => {
    const bookmark = await start();
    const request = { dataPlane: operator(), bookmark, targets: targets(bookmark, 'all', 'primary') };
    await switchover(request);
    const updates = emulator.operationCounts().UpdateRoutingControlStates;

    const again = await switchover(request);
    expect(again).toMatchObject({ outcome: 'already-in-place', batches: [] });
    expect(again.calls.map((c) => c.call)).toEqual(['read']);
    expect(emulator.operationCounts().UpdateRoutingControlStates).toBe(updates);
  });

  it('says another operator made the same change when its own update met their wait period', async () => {
    const bookmark = await start(loadTopology('local'), 10_000);
    const mine = operator();
    const other = operator();
    // the other operator's same change lands between this switch's read and its update
    const racing: SwitchoverDataPlane = {
      getRoutingControlStates: (arns) => mine.getRoutingControlStates(arns),
      updateRoutingControlStates: async (entries, overrides, options) => {
        await other.updateRoutingControlStates(entries);
        return mine.updateRoutingControlStates(entries, overrides, options);
      },
    };
    const result = await switchover({
      dataPlane: racing,
      bookmark,
      targets: targets(bookmark, ['service1'], 'secondary'),
    });

    expect(result).toMatchObject({
      outcome: 'already-in-place-by-someone-else',
      verified: true,
      bySomeoneElse: ['service1'],
      batches: [{ apis: ['service1'], applied: false }],
    });
    expect(result.updateError).toBeInstanceOf(EndpointRejection);
    expect((result.updateError as EndpointRejection).error.name).toBe('ConflictException');
    expect(states('service1')).toEqual(['Off', 'On']);
  });

  it('fails, routing changed, when the read back shows another operator undid the accepted change', async () => {
    const bookmark = await start();
    const mine = operator();
    const other = operator();
    const undoing: SwitchoverDataPlane = {
      getRoutingControlStates: (arns) => mine.getRoutingControlStates(arns),
      updateRoutingControlStates: async (entries, overrides, options) => {
        const answer = await mine.updateRoutingControlStates(entries, overrides, options);
        await other.updateRoutingControlStates([
          { RoutingControlArn: arnOf('service1', 'us-east-1'), RoutingControlState: 'On' },
          { RoutingControlArn: arnOf('service1', 'us-west-2'), RoutingControlState: 'Off' },
        ]);
        return answer;
      },
    };
    const error = await failureOf(
      switchover({ dataPlane: undoing, bookmark, targets: targets(bookmark, ['service1'], 'secondary') }),
    );

    expect(error).toBeInstanceOf(SwitchoverFailed);
    const failed = error as SwitchoverFailed;
    expect(failed).toMatchObject({ outcome: 'changed-by-someone-else', routingMayHaveChanged: true });
    expect(failed.progress).toMatchObject({ verified: false, batches: [{ applied: true }] });
    expect(failed.progress.unmet.map((a) => a.api.name)).toEqual(['service1']);
    expect(failed.message).toBe('the cluster accepted the change but reads back other states for service1');
  });

  it('fails with routing unchanged when the update is refused and nothing moved', async () => {
    const bookmark = await start(loadTopology('local'), 10_000);
    const dataPlane = operator();
    await switchover({ dataPlane, bookmark, targets: targets(bookmark, ['service1'], 'secondary') });
    // back again within the safety rule's wait period
    const error = await failureOf(
      switchover({ dataPlane, bookmark, targets: targets(bookmark, ['service1'], 'primary') }),
    );

    expect(error).toMatchObject({ outcome: 'update-failed', routingMayHaveChanged: false });
    const failed = error as SwitchoverFailed;
    expect(failed.updateError).toBeInstanceOf(EndpointRejection);
    expect(failed.progress).toMatchObject({ verified: false, batches: [{ applied: false }] });
    expect(failed.message).toMatch(
      /^the [a-z0-9-]+ endpoint refused to update the routing controls \(ConflictException, HTTP 409\): .*wait period/,
    );
    expect(states('service1')).toEqual(['Off', 'On']);
  });
});

describe('a switchover of more than one batch', () => {
  // the entry API and six services: 14 controls, two batches of whole control panels
  const topology = topologyWith(6);

  it('one batch at a time (concurrency 1), pauses between batches, and reports a PARTIAL SWITCH (routing changed) when a later one is refused', async () => {
    const bookmark = await start(topology);
    emulator.addSafetyRule({
      Name: 'service6-needs-service5-primary',
      GatingControls: [arnOf('service5', 'us-east-1')],
      TargetControls: ['us-west-2', 'us-east-1'].map((r) => arnOf('service6', r)),
      RuleConfig: { Type: 'ATLEAST', Threshold: 1, Inverted: false },
    });
    const seen: { event: SwitchoverEvent; at: number }[] = [];
    // service6's batch turns service5's primary Off: the gating rule refuses it
    const error = await failureOf(
      switchover({
        dataPlane: operator(),
        bookmark,
        targets: targets(bookmark, 'all', 'secondary'),
        concurrency: 1,
        pauseMs: 200,
        onEvent: (event) => seen.push({ event, at: performance.now() }),
      }),
    );

    expect(error).toMatchObject({ outcome: 'partial', routingMayHaveChanged: true });
    const { progress } = error as SwitchoverFailed;
    expect(progress.batches.map((b) => [b.apis, b.applied])).toEqual([
      [['external-api', 'service1', 'service2', 'service3', 'service4'], true],
      [['service5', 'service6'], false],
    ]);
    expect(progress.calls.map((c) => c.call)).toEqual(['read', 'update 1/2', 'update 2/2', 'read back']);
    expect(seen.map(({ event }) => event.type)).toEqual([
      'sending',
      'applied',
      'sending',
      'failed',
      'read-back',
    ]);
    const appliedAt = seen[1]!.at;
    const secondSentAt = seen[2]!.at;
    expect(secondSentAt - appliedAt).toBeGreaterThanOrEqual(195);
    expect((error as Error).message).toMatch(
      /^PARTIAL SWITCH: external-api, service1, service2, service3, service4 switched, the rest not: /,
    );
  });

  it('sends nothing more once halted, lets the update in flight end, and reads back', async () => {
    const bookmark = await start(topology);
    const halt = new AbortController();
    const result = await switchover({
      dataPlane: operator(),
      bookmark,
      targets: targets(bookmark, 'all', 'primary'),
      halt: halt.signal,
      onEvent: (event) => {
        // the signal comes while the first batch is in flight
        if (event.type === 'sending') halt.abort();
      },
    });

    expect(result).toMatchObject({ outcome: 'interrupted', interrupted: true, verified: false });
    expect(result.batches.map((b) => b.applied)).toEqual([true, false]);
    expect(result.unmet.map((a) => a.api.name)).toEqual(['service5', 'service6']);
    expect(result.calls.map((c) => c.call)).toEqual(['read', 'update 1/2', 'read back']);
    expect(emulator.operationCounts().UpdateRoutingControlStates).toBe(1);
    expect(states('service1')).toEqual(['On', 'Off']);
    expect(states('service6')).toEqual(['Off', 'Off']);
  });
});

describe('reading', () => {
  it('fails unverified, routing changed, when the states cannot be read back after an accepted update', async () => {
    const bookmark = await start();
    const dataPlane = operator();
    let reads = 0;
    const unreadable: SwitchoverDataPlane = {
      getRoutingControlStates: (arns) =>
        reads++ === 0
          ? dataPlane.getRoutingControlStates(arns)
          : Promise.reject(new NoEndpointAnswered([], false)),
      updateRoutingControlStates: (...args) => dataPlane.updateRoutingControlStates(...args),
    };
    const error = await failureOf(
      switchover({ dataPlane: unreadable, bookmark, targets: targets(bookmark, ['service1'], 'secondary') }),
    );

    expect(error).toMatchObject({ outcome: 'unverified', routingMayHaveChanged: true });
    const failed = error as SwitchoverFailed;
    expect(failed.readBackError).toBeInstanceOf(StatesUnreadable);
    expect(failed.progress.verified).toBeUndefined();
    expect(failed.message).toBe(
      'the cluster accepted the change; the states could not be read back (could not read the routing control states: no cluster endpoint answered ())',
    );
    expect(states('service1')).toEqual(['Off', 'On']);
  });

  it('fails before sending anything, routing unchanged, when no endpoint answers the first read', async () => {
    const bookmark = await start();
    for (const { region } of emulator.endpoints) await emulator.setFault(region, 'refuse');
    const error = await failureOf(
      planSwitchover({
        dataPlane: operator(),
        bookmark,
        targets: targets(bookmark, ['service1'], 'secondary'),
      }),
    );

    expect(error).toBeInstanceOf(StatesUnreadable);
    expect(error).toMatchObject({ routingMayHaveChanged: false });
    expect((error as StatesUnreadable).cause).toBeInstanceOf(NoEndpointAnswered);
    expect(emulator.operationCounts().UpdateRoutingControlStates).toBe(0);
  });

  it('names a bookmarked routing control the cluster does not have', async () => {
    const bookmark = await start();
    const service1 = bookmark.services.find((s) => s.name === 'service1')!;
    const gone = `${service1.controlPanelArn}/routingcontrol/0000`;
    service1.routingControls['us-west-2'] = gone;
    const error = await failureOf(
      planSwitchover({
        dataPlane: operator(),
        bookmark,
        targets: targets(bookmark, ['service1'], 'secondary'),
      }),
    );

    expect(error).toBeInstanceOf(StaleBookmark);
    expect((error as Error).message).toBe(
      `routing control ${gone} (service1 in us-west-2) is not in cluster ${emulator.clusterArn}: the bookmark is stale`,
    );
  });
});
