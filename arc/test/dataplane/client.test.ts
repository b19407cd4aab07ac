import { ARC_CLUSTER_ENDPOINT_REGIONS, loadTopology } from '@arc-failover/shared';
import { DataPlane, EndpointRejection, NoEndpointAnswered, type Endpoint } from '../../src/dataplane/client';
import { ClusterEmulator, SANDBOX_CREDENTIALS, SANDBOX_READ_ONLY_CREDENTIALS } from '../../src/emulator';
import { topologyWith } from '@arc-failover/testing';

const TIMEOUT_MS = 400;
const HEDGE_MS = 50;
/**
 * Longer than any test: a test sets only the deadline it is about, and leaves the others here. The
 * emulation runs in this process, so after an event-loop stall on a loaded machine a due timer can fire
 * before the I/O that finished meanwhile, and a short deadline nobody meant to test would then decide.
 */
const NEVER_MS = 20_000;

let emulator: ClusterEmulator;
const dataPlanes: DataPlane[] = [];

// A cluster per test: requests a test cancelled can still reach the cluster afterwards, and must not be
// counted by the next test.
beforeEach(async () => {
  emulator = await ClusterEmulator.start({ topology: loadTopology('local'), waitPeriodMs: 0 });
});
afterEach(async () => {
  for (const dp of dataPlanes.splice(0)) dp.close();
  await emulator.close();
});

/**
 * A data plane that tries the endpoints in the cluster's listed order, so a test knows which comes first;
 * its connect timeout, timeouts and hedge delay are NEVER_MS unless the test is about one of them.
 */
function dataPlane(
  options: {
    credentials?: typeof SANDBOX_CREDENTIALS;
    timeoutMs?: number;
    writeTimeoutMs?: number;
    hedgeDelayMs?: number;
  } = {},
): DataPlane {
  const byRegion = (e: Endpoint) => ARC_CLUSTER_ENDPOINT_REGIONS.indexOf(e.region as never);
  const dp = new DataPlane({
    endpoints: emulator.endpoints,
    credentials: options.credentials ?? SANDBOX_CREDENTIALS,
    connectTimeoutMs: NEVER_MS,
    timeoutMs: options.timeoutMs ?? NEVER_MS,
    writeTimeoutMs: options.writeTimeoutMs ?? NEVER_MS,
    hedgeDelayMs: options.hedgeDelayMs ?? NEVER_MS,
    shuffle: (items) => [...items].sort((a, b) => byRegion(a) - byRegion(b)),
  });
  dataPlanes.push(dp);
  return dp;
}

const [first, second, third, fourth, fifth] = ARC_CLUSTER_ENDPOINT_REGIONS;
const service1East = () => emulator.routingControlArn('service1', 'us-east-1');
const service1West = () => emulator.routingControlArn('service1', 'us-west-2');
const allArns = () => emulator.bookmark().services.flatMap((s) => Object.values(s.routingControls));

function countsDelta(before: Record<string, number>): Record<string, number> {
  const now = emulator.requestCounts();
  return Object.fromEntries(Object.keys(now).map((r) => [r, now[r]! - (before[r] ?? 0)]));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
}

describe('reading through the five endpoints', () => {
  it('asks one endpoint only when it answers, one GetRoutingControlState per routing control', async () => {
    const arns = allArns();
    const before = emulator.requestCounts();
    const answer = await dataPlane().getRoutingControlStates(arns);
    expect(answer.endpoint.region).toBe(first);
    expect(answer.failures).toEqual([]);
    expect(answer.value).toEqual(new Map(arns.map((arn) => [arn, emulator.stateOf(arn)])));
    expect(countsDelta(before)).toEqual({
      [first!]: arns.length,
      [second!]: 0,
      [third!]: 0,
      [fourth!]: 0,
      [fifth!]: 0,
    });
  });

  it('sends the reads all at once: a hanging endpoint has received every one when its deadline comes', async () => {
    const arns = allArns();
    // only the second can answer, once the first has timed out and every other endpoint is asked
    for (const region of [first, third, fourth, fifth]) await emulator.setFault(region!, 'hang');
    const before = emulator.requestCounts();
    const answer = await dataPlane({ timeoutMs: TIMEOUT_MS }).getRoutingControlStates(arns);
    expect(answer.endpoint.region).toBe(second);
    expect(answer.failures).toEqual([
      expect.objectContaining({ kind: 'timeout', reason: `no answer within ${TIMEOUT_MS} ms` }),
    ]);
    expect(countsDelta(before)).toMatchObject({ [first!]: arns.length, [second!]: arns.length });
  });

  it('leaves out a routing control the cluster does not know, without trying another endpoint', async () => {
    const missing = service1East().replace(/[0-9a-f]{16}$/, '0123456789abcdef');
    const before = emulator.requestCounts();
    const answer = await dataPlane().getRoutingControlStates([service1East(), missing]);
    expect(answer.endpoint.region).toBe(first);
    expect(answer.value).toEqual(new Map([[service1East(), emulator.stateOf(service1East())]]));
    expect(Object.values(countsDelta(before)).reduce((a, b) => a + b)).toBe(2);
  });

  it('asks every other endpoint at once when the first stays silent past the hedge delay', async () => {
    for (const region of [first, second, third, fourth]) await emulator.setFault(region!, 'hang');
    // no timeout within the test: the hanging endpoints are outrun, not waited out
    const answer = await dataPlane({ hedgeDelayMs: HEDGE_MS }).getRoutingControlStates(allArns());
    expect(answer.endpoint.region).toBe(fifth);
    expect(answer.failures).toEqual([]);
    // cancelled because another answered: abandoned, not failed, each with how long it had run
    expect(answer.abandoned.map((a) => a.endpoint.region)).toEqual([first, second, third, fourth]);
    expect(answer.abandoned[0]!.elapsedMs).toBeGreaterThanOrEqual(HEDGE_MS - 5);
  });

  it('asks every other endpoint at once when the first fails, without waiting for the hedge delay', async () => {
    await emulator.setFault(first!, 'refuse');
    // one at a time, the fifth would never be asked: neither a timeout nor the hedge delay can pass here
    for (const region of [second, third, fourth]) await emulator.setFault(region!, 'hang');
    const answer = await dataPlane().getRoutingControlStates(allArns());
    expect(answer.endpoint.region).toBe(fifth);
    expect(answer.failures.map((f) => [f.endpoint.region, f.kind])).toEqual([[first, 'refused']]);
    expect(answer.abandoned.map((a) => a.endpoint.region)).toEqual([second, third, fourth]);
  });

  it.each([
    ['refuse', 'refused', 'connection refused'],
    ['unavailable', 'unavailable', 'EndpointTemporarilyUnavailableException (HTTP 503)'],
    ['throttle', 'throttled', 'ThrottlingException (HTTP 429)'],
    ['internal-error', 'server-error', 'InternalServerException (HTTP 500)'],
  ] as const)('moves on at once from an endpoint that answers %s', async (fault, kind, reason) => {
    await emulator.setFault(first!, fault);
    // only the second can answer; no hedging: only the failure itself can send the request on
    for (const region of [third, fourth, fifth]) await emulator.setFault(region!, 'hang');
    const answer = await dataPlane().getRoutingControlStates(allArns());
    expect(answer.endpoint.region).toBe(second);
    expect(answer.failures).toEqual([
      expect.objectContaining({ endpoint: expect.objectContaining({ region: first }), kind, reason }),
    ]);
  });

  it('fails with every endpoint and its reason when none answers', async () => {
    await emulator.setFault(first!, 'hang');
    await emulator.setFault(second!, 'refuse');
    await emulator.setFault(third!, 'unavailable');
    await emulator.setFault(fourth!, 'throttle');
    await emulator.setFault(fifth!, 'internal-error');
    const error = await dataPlane({ timeoutMs: TIMEOUT_MS })
      .getRoutingControlStates(allArns())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoEndpointAnswered);
    const failures = (error as NoEndpointAnswered).failures.map((f) => [f.endpoint.region, f.kind]);
    expect(failures).toEqual(
      expect.arrayContaining([
        [first, 'timeout'],
        [second, 'refused'],
        [third, 'unavailable'],
        [fourth, 'throttled'],
        [fifth, 'server-error'],
      ]),
    );
    expect((error as Error).message).toMatch(new RegExp(`${first}: no answer within ${TIMEOUT_MS} ms`));
  });
});

describe('writing through the five endpoints', () => {
  const failOver = () => [
    { RoutingControlArn: service1West(), RoutingControlState: 'On' as const },
    { RoutingControlArn: service1East(), RoutingControlState: 'Off' as const },
  ];

  it('sends a write to one endpoint at a time, waiting out a hanging one for the write timeout', async () => {
    await emulator.setFault(first!, 'hang');
    const before = emulator.requestCounts();
    // a read timeout that would have ended the attempt long before, were it the one applied
    const { value: answer, ms } = await timed(() =>
      dataPlane({ timeoutMs: 10, writeTimeoutMs: TIMEOUT_MS }).updateRoutingControlStates(failOver()),
    );
    expect(answer.endpoint.region).toBe(second);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(answer.failures).toEqual([
      expect.objectContaining({
        kind: 'timeout',
        reason: `no answer within ${TIMEOUT_MS} ms`,
        mayHaveApplied: true,
      }),
    ]);
    expect(countsDelta(before)).toMatchObject({ [first!]: 1, [second!]: 1, [third!]: 0 });
    expect(emulator.stateOf(service1West())).toBe('On');
    expect(emulator.stateOf(service1East())).toBe('Off');
  });

  it('writes first to the endpoint that answered the last read, skipping the hanging ones', async () => {
    // the fifth hangs too during the read, so that a hedged read cannot be answered by it first
    for (const region of [first, second, third, fifth]) await emulator.setFault(region!, 'hang');
    const dp = dataPlane({ hedgeDelayMs: HEDGE_MS });
    const read = await dp.getRoutingControlStates([service1East(), service1West()]);
    expect(read.endpoint.region).toBe(fourth);
    await emulator.setFault(fifth!, 'none');
    const before = emulator.requestCounts();
    const write = await dp.updateRoutingControlStates(
      failOver().map((e) => ({ ...e, RoutingControlState: e.RoutingControlState === 'On' ? 'Off' : 'On' })),
    );
    expect(write.endpoint.region).toBe(fourth);
    expect(write.failures).toEqual([]);
    expect(countsDelta(before)).toMatchObject({ [first!]: 0, [second!]: 0, [third!]: 0, [fourth!]: 1 });
    expect(emulator.stateOf(service1East())).toBe('On');
  });

  it('stops at a 4xx that every endpoint would give, trying no other endpoint', async () => {
    const before = emulator.requestCounts();
    const error = await dataPlane({ credentials: SANDBOX_READ_ONLY_CREDENTIALS })
      .updateRoutingControlStates(failOver())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EndpointRejection);
    expect((error as EndpointRejection).error.name).toBe('AccessDeniedException');
    expect((error as EndpointRejection).endpoint.region).toBe(first);
    expect(Object.values(countsDelta(before)).reduce((a, b) => a + b)).toBe(1);
  });

  it('passes a safety-rule refusal through untouched, with the rule ARN', async () => {
    const bothOff = failOver().map((e) => ({ ...e, RoutingControlState: 'Off' as const }));
    const error = (await dataPlane()
      .updateRoutingControlStates(bothOff)
      .catch((e: unknown) => e)) as EndpointRejection;
    expect(error.error.name).toBe('ConflictException');
    const rule = emulator.bookmark().safetyRules.find((r) => r.service === 'service1')!;
    expect((error.error as Error & { resourceId?: string }).resourceId).toBe(rule.arn);
    // and the override is sent with the batch
    await dataPlane().updateRoutingControlStates(bothOff, [rule.arn]);
    expect(emulator.stateOf(service1East())).toBe('Off');
    expect(emulator.stateOf(service1West())).toBe('Off');
  });
});

describe('a cluster with many routing controls', () => {
  // 31 APIs, 62 routing controls: more than the 50 reads kept in flight on one endpoint
  let big: ClusterEmulator;
  beforeEach(async () => {
    big = await ClusterEmulator.start({ topology: topologyWith(30), waitPeriodMs: 0 });
  });
  afterEach(() => big.close());

  const bigArns = () => big.bookmark().services.flatMap((s) => Object.values(s.routingControls));
  const onlyEndpoint = (cluster: ClusterEmulator) => {
    const dp = new DataPlane({
      endpoints: [cluster.endpoints[0]!],
      credentials: SANDBOX_CREDENTIALS,
      connectTimeoutMs: NEVER_MS,
      timeoutMs: NEVER_MS,
    });
    dataPlanes.push(dp);
    return dp;
  };

  it('reads every one of them from one endpoint', async () => {
    const arns = bigArns();
    expect(arns).toHaveLength(62);
    const answer = await onlyEndpoint(big).getRoutingControlStates(arns);
    expect(answer.value.size).toBe(62);
    expect(big.requestCounts()[first!]).toBe(62);
  });

  it('keeps at most 50 reads in flight on one endpoint', async () => {
    await big.setFault(first!, 'hang');
    const dp = onlyEndpoint(big);
    const read = dp.getRoutingControlStates(bigArns()).catch((e: unknown) => e);
    // the 50 arrive together; were there no cap, the other 12 would have come with them
    while (big.requestCounts()[first!]! < 50) await sleep(10);
    await sleep(100);
    expect(big.requestCounts()[first!]).toBe(50);
    dp.close();
    expect(await read).toBeInstanceOf(NoEndpointAnswered);
  });
});
