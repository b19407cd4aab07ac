import { RollingRateLimit } from '../../src/dataplane/rate';

describe('the per-endpoint rate of mutating calls', () => {
  it('holds a slot from sending until a window after its answer, so arrivals stay a window apart', async () => {
    const rate = new RollingRateLimit(3, 100);
    const releases = await Promise.all([1, 2, 3].map(() => rate.acquire('a')));
    const started = performance.now();
    const fourth = rate.acquire('a');
    // the first call answers 50 ms later: the fourth may go 100 ms after that answer, not after its sending
    await new Promise((resolve) => setTimeout(resolve, 50));
    releases[0]!();
    await fourth;
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('counts each key apart', async () => {
    const rate = new RollingRateLimit(1, 10_000);
    expect(await rate.acquire('a')).toBeDefined();
    expect(await rate.acquire('b')).toBeDefined();
  });

  it('gives no slot once halted, waiting or not', async () => {
    const rate = new RollingRateLimit(1, 10_000);
    const halt = new AbortController();
    await rate.acquire('a');
    const waiting = rate.acquire('a', halt.signal);
    halt.abort();
    expect(await waiting).toBeUndefined();
    expect(await rate.acquire('b', halt.signal)).toBeUndefined();
  });
});
