import { ARC_CLUSTER_ENDPOINT_REGIONS } from '@arc-failover/shared';
import { topologyWith } from '@arc-failover/testing';
import type { Bookmark } from '../../src/bookmark';
import { DataPlane } from '../../src/dataplane/client';
import { ClusterEmulator, SANDBOX_CREDENTIALS } from '../../src/emulator';
import { resolveTargets, selectApis, switchover, type SwitchoverResult } from '../../src/switchover';
import { spreadBatches, type Sent } from '../../src/switchover/scheduler';

// `--all` at ARC's quota: the entry API and 48 services, 98 routing controls, 10 batches of whole panels.
const topology = topologyWith(48);
const UPDATE = 'ToggleCustomerAPI.UpdateRoutingControlStates';

// reads of 98 controls and 10 updates at 3 per second, on a machine other test files share
jest.setTimeout(30_000);

let emulator: ClusterEmulator;
let client: DataPlane;
afterEach(async () => {
  client.close();
  await emulator.close();
});

async function start(): Promise<Bookmark> {
  emulator = await ClusterEmulator.start({ topology, waitPeriodMs: 0 });
  // reads of 98 controls on a busy 2-core machine: a generous read timeout, as the writes are under test
  client = new DataPlane({
    endpoints: emulator.endpoints,
    credentials: SANDBOX_CREDENTIALS,
    timeoutMs: 10_000,
  });
  return emulator.bookmark();
}

async function switchAll(bookmark: Bookmark, options: { concurrency?: number } = {}) {
  const targets = resolveTargets(selectApis(bookmark, 'all'), 'secondary');
  const result = await switchover({ dataPlane: client, bookmark, targets, ...options });
  return { result };
}

/** Arrival times of the updates each endpoint received. */
function updatesByEndpoint(): Map<string, number[]> {
  const by = new Map<string, number[]>(ARC_CLUSTER_ENDPOINT_REGIONS.map((r) => [r, []]));
  for (const r of emulator.requestLog()) if (r.target === UPDATE) by.get(r.region)!.push(r.atMs);
  return by;
}

/** From the first update any endpoint received to the last. */
function updateSpanMs(): number {
  const times = [...updatesByEndpoint().values()].flat();
  return Math.max(...times) - Math.min(...times);
}

/** The most updates one endpoint received within any 1 s (less a margin for loopback jitter). */
function mostInOneSecond(times: number[]): number {
  return Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u - t < 950).length));
}

function expectWholePanels(result: SwitchoverResult, bookmark: Bookmark): void {
  expect(result.batches).toHaveLength(10);
  for (const batch of result.batches) {
    expect(batch.entries.length).toBeLessThanOrEqual(10);
    const arns = new Set(batch.entries.map((e) => e.RoutingControlArn));
    for (const name of batch.apis) {
      const api = bookmark.services.find((s) => s.name === name)!;
      for (const arn of Object.values(api.routingControls)) expect(arns).toContain(arn);
    }
    expect(arns.size).toBe(batch.apis.length * 2);
  }
  expect(result.batches.flatMap((b) => b.apis)).toEqual(bookmark.services.map((s) => s.name));
}

describe('--all at 49 APIs', () => {
  it('spreads whole-panel batches over every endpoint at once, at most 3 updates per second on each', async () => {
    const bookmark = await start();
    const { result } = await switchAll(bookmark);

    expect(result).toMatchObject({ outcome: 'switched', verified: true });
    expectWholePanels(result, bookmark);
    const updates = updatesByEndpoint();
    for (const times of updates.values()) expect(mostInOneSecond(times)).toBeLessThanOrEqual(3);
    // one endpoint alone would need 3 s for 10 updates at 3 per second
    expect([...updates.values()].filter((t) => t.length > 0).length).toBeGreaterThanOrEqual(4);
    expect(updateSpanMs()).toBeLessThan(1000);
    // the report stays in batch order, whatever order the answers came in
    const calls = result.calls.map((c) => c.call);
    expect(calls).toEqual(['read', ...result.batches.map((_, i) => `update ${i + 1}/10`), 'read back']);
    for (const api of bookmark.services) {
      expect(emulator.stateOf(api.routingControls[api.secondaryRegion]!)).toBe('On');
      expect(emulator.stateOf(api.routingControls[api.primaryRegion]!)).toBe('Off');
    }
  });

  it('with concurrency 1 sends one batch at a time on one endpoint, at 3 per second', async () => {
    const bookmark = await start();
    const { result } = await switchAll(bookmark, { concurrency: 1 });

    expect(result.outcome).toBe('switched');
    const used = [...updatesByEndpoint().values()].filter((t) => t.length > 0);
    expect(used).toHaveLength(1);
    expect(mostInOneSecond(used[0]!)).toBe(3);
    expect(updateSpanMs()).toBeGreaterThanOrEqual(2900);
  });

  it('with 4 of 5 endpoints hanging, sends every update to the one that answers, none to a hanging one', async () => {
    const bookmark = await start();
    const [healthy, ...hanging] = ARC_CLUSTER_ENDPOINT_REGIONS;
    for (const region of hanging) await emulator.setFault(region, 'hang');
    const { result } = await switchAll(bookmark);

    expect(result).toMatchObject({ outcome: 'switched', verified: true });
    expectWholePanels(result, bookmark);
    expect(result.batches.every((b) => b.endpoint === healthy)).toBe(true);
    const updates = updatesByEndpoint();
    for (const region of hanging) expect(updates.get(region)).toEqual([]);
    expect(mostInOneSecond(updates.get(healthy!)!)).toBeLessThanOrEqual(3);
    // 10 updates at 3 per second on one endpoint: the 10th in the 4th second
    expect(updateSpanMs()).toBeGreaterThanOrEqual(2900);
    // no update waited out a hanging endpoint's 3 s write timeout
    expect(updateSpanMs()).toBeLessThan(4000);
  });
});

describe('spreadBatches', () => {
  const endpoint = (region: string) => ({ region, url: `http://${region}` });

  it('opens a lane per endpoint found, up to the concurrency, and takes no batch after a stop', async () => {
    const inFlight = new Map<string, number>();
    let most = 0;
    const sent: number[] = [];
    const send = async (index: number, e: { region: string } | undefined): Promise<Sent> => {
      sent.push(index);
      const key = e?.region ?? '?';
      inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
      most = Math.max(
        most,
        [...inFlight.values()].reduce((a, b) => a + b),
      );
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight.set(key, inFlight.get(key)! - 1);
      return { stop: index === 6 };
    };
    await spreadBatches(
      {
        count: 20,
        concurrency: 3,
        pauseMs: 0,
        first: endpoint('a'),
        discover: () => ['b', 'c', 'd'].map(async (r) => endpoint(r)),
      },
      send,
    );
    expect(most).toBe(3);
    // batch 6 stops it: those in flight with it end, none is taken after
    expect(Math.max(...sent)).toBeLessThanOrEqual(8);
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('takes nothing once halted', async () => {
    const halt = new AbortController();
    const sent: number[] = [];
    await spreadBatches({ count: 5, concurrency: 1, pauseMs: 5, halt: halt.signal }, async (index) => {
      sent.push(index);
      halt.abort();
      return { stop: false };
    });
    expect(sent).toEqual([0]);
  });
});
