import type { RoutingControlState } from '@arc-failover/shared';
import type { Bookmark } from '../../src/bookmark';
import { ReadinessUnavailable } from '../../src/readiness';
import { TargetNotReady } from '../../src/switchover/errors';
import { planSwitch, resolveTargets, selectApis } from '../../src/switchover/plan';
import { readinessGate, readinessTargets } from '../../src/switchover/readiness-step';
import { apiWith } from './fixtures';
import { startHttpServer, type TestHttpServer } from './servers';

// external-api and service1: primary us-east-1; service2: primary us-west-2
const REGIONS = ['us-east-1', 'us-west-2'];
const options = { connectTimeoutMs: 500, timeoutMs: 1000 };

/** external-api, service1 and service2 (the other way round), each answering at <base>/<api>/<region>/health. */
function bookmarkOn(base: string): Bookmark {
  const api = (name: string) =>
    apiWith(name, Object.fromEntries(REGIONS.map((r) => [r, `${base}/${name}/${r}`])), '/health');
  return {
    version: 2,
    stage: 'test',
    clusterArn: 'arn:aws:route53-recovery-control::111122223333:cluster/c-test',
    endpoints: [{ region: 'us-east-1', url: 'https://c.us-east-1.invalid/v1' }],
    services: [
      api('external-api'),
      api('service1'),
      { ...api('service2'), primaryRegion: 'us-west-2', secondaryRegion: 'us-east-1' },
    ],
    safetyRules: [],
    writtenAt: '2026-01-01T00:00:00.000Z',
    writtenBy: 'test',
  };
}

/** States for every control: `on` lists the "api@region" pairs that are On, the rest are Off. */
function states(bookmark: Bookmark, ...on: string[]): Map<string, RoutingControlState> {
  return new Map(
    bookmark.services.flatMap((s) =>
      Object.entries(s.routingControls).map(
        ([region, arn]) => [arn, on.includes(`${s.name}@${region}`) ? 'On' : 'Off'] as const,
      ),
    ),
  );
}

describe('the readiness gate', () => {
  let server: TestHttpServer;
  let bookmark: Bookmark;
  /** "api/region" pairs that answer 503. */
  const down = new Set<string>();

  beforeAll(async () => {
    server = await startHttpServer((request, response) => {
      const [, api, region] = (request.url ?? '').split('/');
      response.writeHead(down.has(`${api}/${region}`) ? 503 : 200).end();
    });
    bookmark = bookmarkOn(server.url);
  });

  afterAll(() => server.close());

  beforeEach(() => {
    down.clear();
    server.requests.length = 0;
  });

  const plan = (to: string, current: Map<string, RoutingControlState>, names: string[] | 'all' = 'all') =>
    planSwitch(resolveTargets(selectApis(bookmark, names), to), current);

  it('checks only the APIs whose traffic moves, not those already there or whose controls change in place', () => {
    // external-api serves from us-east-1 and goes to us-west-2: moves.
    // service1 is already On/Off in us-west-2: no change.
    // service2 has both On, so serves from its primary us-west-2: its us-east-1 control goes Off, traffic stays.
    const current = states(
      bookmark,
      'external-api@us-east-1',
      'service1@us-west-2',
      'service2@us-east-1',
      'service2@us-west-2',
    );
    const p = plan('us-west-2', current);
    expect(p.apis.map((a) => [a.api.name, a.changes, a.servingBefore])).toEqual([
      ['external-api', true, 'us-east-1'],
      ['service1', false, 'us-west-2'],
      ['service2', true, 'us-west-2'],
    ]);
    expect(readinessTargets(p).map((a) => [a.api.name, a.region])).toEqual([['external-api', 'us-west-2']]);
  });

  it('counts Off/Off as serving from the primary (Route 53 fails open): only a move to the secondary is checked', () => {
    const current = states(bookmark);
    expect(readinessTargets(plan('primary', current))).toEqual([]);
    expect(readinessTargets(plan('secondary', current)).map((a) => [a.api.name, a.region])).toEqual([
      ['external-api', 'us-west-2'],
      ['service1', 'us-west-2'],
      ['service2', 'us-east-1'],
    ]);
  });

  it('GETs each moving API in its target Region and lets the switch go on when all answer 2xx', async () => {
    const current = states(bookmark, 'external-api@us-east-1', 'service1@us-east-1', 'service2@us-west-2');
    const answers = await readinessGate(plan('us-west-2', current), options);
    // service2's primary already is us-west-2
    expect(answers.map((a) => [a.api, a.region, a.ready])).toEqual([
      ['external-api', 'us-west-2', true],
      ['service1', 'us-west-2', true],
    ]);
    expect(server.requests.map((r) => r.url).sort()).toEqual([
      '/external-api/us-west-2/health',
      '/service1/us-west-2/health',
    ]);
  });

  it('calls nobody when nothing moves', async () => {
    const current = states(bookmark, 'external-api@us-east-1', 'service1@us-east-1', 'service2@us-west-2');
    await expect(readinessGate(plan('primary', current), options)).resolves.toEqual([]);
    expect(server.requests).toEqual([]);
  });

  it('throws TargetNotReady with every answer, ready ones too, when one target is not ready', async () => {
    down.add('service1/us-west-2');
    const current = states(bookmark, 'external-api@us-east-1', 'service1@us-east-1', 'service2@us-west-2');
    const failure = await readinessGate(plan('secondary', current), options).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TargetNotReady);
    const error = failure as TargetNotReady;
    expect(error.routingMayHaveChanged).toBe(false);
    expect(error.answers.map((a) => [a.api, a.region, a.ready, a.answer])).toEqual([
      ['external-api', 'us-west-2', true, 'HTTP 200'],
      ['service1', 'us-west-2', false, 'HTTP 503'],
      ['service2', 'us-east-1', true, 'HTTP 200'],
    ]);
    // the message names the target that is not ready, and only it
    expect(error.message).toMatch(
      new RegExp(
        `^service1 is not ready in us-west-2: GET ${server.url}/service1/us-west-2/health answered HTTP 503 after \\d+ ms$`,
      ),
    );
  });

  it('refuses a bookmark without Regional URLs for a moving API, before any GET', async () => {
    const old: Bookmark = {
      ...bookmark,
      services: bookmark.services.map((s) => (s.name === 'service2' ? { ...s, regions: undefined } : s)),
    };
    const current = states(old, 'external-api@us-east-1', 'service1@us-east-1', 'service2@us-west-2');
    const p = planSwitch(resolveTargets(selectApis(old, 'all'), 'secondary'), current);
    await expect(readinessGate(p, options)).rejects.toThrow(ReadinessUnavailable);
    expect(server.requests).toEqual([]);
    // an API that does not move needs no Regional URL: service2 already serves from its secondary
    const there = states(old, 'external-api@us-east-1', 'service1@us-east-1', 'service2@us-east-1');
    const answers = await readinessGate(
      planSwitch(resolveTargets(selectApis(old, 'all'), 'secondary'), there),
      options,
    );
    expect(answers.map((a) => a.api)).toEqual(['external-api', 'service1']);
  });
});
