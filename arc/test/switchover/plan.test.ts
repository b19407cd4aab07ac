import type { RoutingControlState } from '@arc-failover/shared';
import type { Bookmark } from '../../src/bookmark';
import { SwitchoverRequestError } from '../../src/switchover/errors';
import {
  MAX_BATCH_ENTRIES,
  planSwitch,
  resolveTargets,
  selectApis,
  unmetTargets,
} from '../../src/switchover/plan';
import { bookmarkFor, topologyWith } from '@arc-failover/testing';

const bookmark = bookmarkFor();
const arn = (b: Bookmark, api: string, region: string) =>
  b.services.find((s) => s.name === api)!.routingControls[region]!;

/** States for every control of the bookmark: `on` lists "api@region" pairs that are On, the rest Off. */
function states(b: Bookmark, ...on: string[]): Map<string, RoutingControlState> {
  return new Map(
    b.services.flatMap((s) =>
      Object.entries(s.routingControls).map(
        ([region, a]) => [a, on.includes(`${s.name}@${region}`) ? 'On' : 'Off'] as const,
      ),
    ),
  );
}

const plan = (names: string[] | 'all', to: string, current: Map<string, RoutingControlState>, b = bookmark) =>
  planSwitch(resolveTargets(selectApis(b, names), to), current);

describe('resolving --to', () => {
  it.each([
    ['primary', 'service1', 'us-east-1', 'primary'],
    ['secondary', 'service1', 'us-west-2', 'secondary'],
    ['us-west-2', 'service1', 'us-west-2', 'secondary'],
    ['us-east-1', 'service1', 'us-east-1', 'primary'],
    // service2 runs the other way round: us-west-2 primary
    ['primary', 'service2', 'us-west-2', 'primary'],
    ['us-east-1', 'service2', 'us-east-1', 'secondary'],
  ])('--to %s for %s is %s (%s)', (to, api, region, role) => {
    const [target] = resolveTargets(selectApis(bookmark, [api]), to);
    expect(target).toMatchObject({ region, role });
  });

  it('sends each API of --all --to primary to its own primary', () => {
    const targets = resolveTargets(selectApis(bookmark, 'all'), 'primary');
    expect(targets.map((t) => [t.api.name, t.region])).toEqual([
      ['external-api', 'us-east-1'],
      ['service1', 'us-east-1'],
      ['service2', 'us-west-2'],
    ]);
  });

  it('rejects an unknown API, listing the known ones', () => {
    expect(() => selectApis(bookmark, ['service9'])).toThrow(
      new SwitchoverRequestError('unknown API "service9" (known: external-api, service1, service2)'),
    );
  });

  it('rejects a Region the API does not run in, naming its Regions', () => {
    expect(() => resolveTargets(selectApis(bookmark, ['service1']), 'eu-west-1')).toThrow(
      new SwitchoverRequestError(
        'service1 does not run in eu-west-1 (its Regions: us-east-1 primary, us-west-2 secondary)',
      ),
    );
  });

  it('rejects a value that is not a Region at all', () => {
    expect(() => resolveTargets(selectApis(bookmark, ['service1']), 'us-esat-1')).toThrow(
      /--to us-esat-1: not a Region; give primary, secondary or a Region name/,
    );
  });

  it('names each API once even when asked twice', () => {
    expect(selectApis(bookmark, ['service1', 'service1']).map((s) => s.name)).toEqual(['service1']);
  });
});

describe('planning a switch', () => {
  it('fails over: target On, the other Off, On listed first, in one batch', () => {
    const p = plan(['service1'], 'secondary', states(bookmark, 'service1@us-east-1'));
    expect(p.apis[0]).toMatchObject({ changes: true, servingBefore: 'us-east-1', region: 'us-west-2' });
    expect(p.batches).toEqual([
      {
        apis: ['service1'],
        entries: [
          { RoutingControlArn: arn(bookmark, 'service1', 'us-west-2'), RoutingControlState: 'On' },
          { RoutingControlArn: arn(bookmark, 'service1', 'us-east-1'), RoutingControlState: 'Off' },
        ],
      },
    ]);
  });

  it('is a no-op with no batch when the API is already there', () => {
    const p = plan(['service1'], 'primary', states(bookmark, 'service1@us-east-1'));
    expect(p.apis[0]!.changes).toBe(false);
    expect(p.batches).toEqual([]);
  });

  it('turns Off/Off (after a first deploy) into primary On, sending both controls', () => {
    const p = plan('all', 'primary', states(bookmark));
    expect(p.apis.every((a) => a.changes)).toBe(true);
    expect(p.batches).toHaveLength(1);
    const entries = p.batches[0]!.entries;
    expect(entries.map((e) => e.RoutingControlState)).toEqual(['On', 'On', 'On', 'Off', 'Off', 'Off']);
    expect(entries.slice(0, 3).map((e) => e.RoutingControlArn)).toEqual([
      arn(bookmark, 'external-api', 'us-east-1'),
      arn(bookmark, 'service1', 'us-east-1'),
      arn(bookmark, 'service2', 'us-west-2'),
    ]);
  });

  it('turns On/On into the target, keeping the API whose traffic already flows there', () => {
    const p = plan(['service1'], 'primary', states(bookmark, 'service1@us-east-1', 'service1@us-west-2'));
    expect(p.apis[0]).toMatchObject({ changes: true, servingBefore: 'us-east-1' });
    expect(p.apis[0]!.controls.map((c) => [c.region, c.from, c.to])).toEqual([
      ['us-east-1', 'On', 'On'],
      ['us-west-2', 'On', 'Off'],
    ]);
  });

  it('leaves APIs already in place out of the batch but in the plan', () => {
    const p = plan('all', 'primary', states(bookmark, 'external-api@us-east-1', 'service1@us-west-2'));
    expect(p.apis.map((a) => [a.api.name, a.changes])).toEqual([
      ['external-api', false],
      ['service1', true],
      ['service2', true],
    ]);
    expect(p.batches.map((b) => b.apis)).toEqual([['service1', 'service2']]);
  });

  it('splits more than 10 entries into batches of whole control panels, each at most 10', () => {
    const big = bookmarkFor(topologyWith(6)); // 7 APIs, 14 entries
    const p = plan('all', 'secondary', states(big), big);
    expect(p.batches.map((b) => b.apis)).toEqual([
      ['external-api', 'service1', 'service2', 'service3', 'service4'],
      ['service5', 'service6'],
    ]);
    for (const batch of p.batches) {
      expect(batch.entries.length).toBeLessThanOrEqual(MAX_BATCH_ENTRIES);
      const panels = batch.apis.map((api) => big.services.find((s) => s.name === api)!);
      // every control of every panel in the batch is in it: a safety rule sees the whole change
      expect(new Set(batch.entries.map((e) => e.RoutingControlArn))).toEqual(
        new Set(panels.flatMap((s) => Object.values(s.routingControls))),
      );
      const firstOff = batch.entries.findIndex((e) => e.RoutingControlState === 'Off');
      expect(batch.entries.slice(firstOff).every((e) => e.RoutingControlState === 'Off')).toBe(true);
    }
  });

  it('keeps exactly 10 entries in one atomic batch', () => {
    const b = bookmarkFor(topologyWith(4)); // 5 APIs, 10 entries
    expect(plan('all', 'primary', states(b), b).batches).toHaveLength(1);
  });

  it('reports which APIs the cluster does not show in their target state', () => {
    const p = plan(['service1', 'service2'], 'secondary', states(bookmark, 'service1@us-east-1'));
    const after = states(bookmark, 'service1@us-west-2', 'service2@us-west-2');
    expect(unmetTargets(p, after).map((a) => a.api.name)).toEqual(['service2']);
    expect(unmetTargets(p, states(bookmark, 'service1@us-west-2', 'service2@us-east-1'))).toEqual([]);
  });
});
