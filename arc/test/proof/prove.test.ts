import { notProvenLine, proveSwitch, ProofUnavailable, type ProofResult } from '../../src/proof';
import { a, startDnsResponder, type TestDnsServer } from './dns-responder';
import { startEntry, type TestEntry } from './entry';
import { bookmarkWith, SANDBOX_ADDRESS, sandboxApi } from './fixtures';

describe('proveSwitch', () => {
  let dns: TestDnsServer;
  let entry: TestEntry;
  const service1 = sandboxApi('service1');
  const service2 = sandboxApi('service2');
  const timers: NodeJS.Timeout[] = [];
  const after = (ms: number, change: () => void) => void timers.push(setTimeout(change, ms));

  beforeAll(async () => {
    [dns, entry] = await Promise.all([startDnsResponder(), startEntry()]);
  });

  afterAll(() => Promise.all([dns.close(), entry.close()]));

  /** Both APIs served from us-east-1: its address in DNS, its answer at the entry. */
  beforeEach(() => {
    dns.silent = false;
    entry.delayMs = 0;
    for (const api of [service1, service2]) {
      dns.set(api.hostname, [a(SANDBOX_ADDRESS['us-east-1'])]);
      entry.serving.set(api.hostname, 'us-east-1');
    }
  });

  afterEach(() => {
    for (const timer of timers.splice(0)) clearTimeout(timer);
  });

  const flipDns = (hostname: string) => () => dns.set(hostname, [a(SANDBOX_ADDRESS['us-west-2'])]);
  const flipHttp = (hostname: string) => () => entry.serving.set(hostname, 'us-west-2');

  it('is proven once DNS and then HTTP answer from the target Region, with when each did', async () => {
    const bookmark = bookmarkWith([service1], [dns], entry.url);
    const since = Date.now();
    after(300, flipDns(service1.hostname));
    after(500, flipHttp(service1.hostname));
    const result = await proveSwitch({
      bookmark,
      moves: [{ api: service1, region: 'us-west-2' }],
      since,
      timeoutMs: 3000,
      intervalMs: 50,
    });
    expect(result.proven).toBe(true);
    const [proof] = result.apis;
    expect(proof).toMatchObject({
      api: 'service1',
      hostname: 'service1.example.com',
      region: 'us-west-2',
      nameServer: `127.0.0.1:${dns.port}`,
      lastDns: 'A 127.0.0.12 (us-west-2)',
      publicUrl: entry.url,
      lastHttp: 'answered from us-west-2',
    });
    const { dnsMs, httpMs } = proof!;
    expect(dnsMs).toBeGreaterThanOrEqual(290);
    expect(httpMs).toBeGreaterThanOrEqual(490);
    expect(dnsMs!).toBeLessThan(httpMs!);
    // one round of 50 ms or so after each change, with room for a slow machine
    expect(httpMs).toBeLessThan(1500);
    expect(result.waitedMs).toBeGreaterThanOrEqual(httpMs!);
    expect(result.timeoutMs).toBe(3000);

    // the timeline: us-east-1 for both, then DNS on us-west-2 first, then both
    const samples = proof!.samples;
    const regions = samples.map((s) => `${s.dnsRegion}/${s.httpRegion}`);
    expect(regions[0]).toBe('us-east-1/us-east-1');
    expect(regions.at(-1)).toBe('us-west-2/us-west-2');
    expect(regions).toContain('us-west-2/us-east-1');
    expect(regions).not.toContain('us-east-1/us-west-2');
    expect([...new Set(regions)]).toEqual([
      'us-east-1/us-east-1',
      'us-west-2/us-east-1',
      'us-west-2/us-west-2',
    ]);
    expect(samples.every((s) => s.httpStatus === 200 && s.error === undefined)).toBe(true);
    const times = samples.map((s) => s.atMs);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(times[0]).toBeLessThan(200);
  });

  it('is not proven after timeoutMs when nothing flips, and says what was not seen', async () => {
    const bookmark = bookmarkWith([service1], [dns], entry.url);
    const since = Date.now();
    const result = await proveSwitch({
      bookmark,
      moves: [{ api: service1, region: 'us-west-2' }],
      since,
      timeoutMs: 600,
      intervalMs: 100,
    });
    const waited = Date.now() - since;
    expect(result).toMatchObject({ proven: false, timeoutMs: 600 });
    expect(result.waitedMs).toBeGreaterThanOrEqual(600);
    expect(waited).toBeLessThan(1500);
    expect(result.apis[0]!.dnsMs).toBeUndefined();
    expect(result.apis[0]!.httpMs).toBeUndefined();
    expect(result.apis[0]!.samples.length).toBeGreaterThanOrEqual(3);
    expect(notProvenLine(result)).toBe(
      'switched, but not proven within --wait-timeout 0.6 s: ' +
        "the name servers still answer A 127.0.0.11 (us-east-1) for service1.example.com, not us-west-2's record; " +
        `${entry.url} for service1: answered from us-east-1, not us-west-2`,
    );
  });

  it('waits for every API, and names only what was not seen', async () => {
    const bookmark = bookmarkWith([service1, service2], [dns], entry.url);
    // service1 moves all the way; service2 only in DNS
    flipDns(service1.hostname)();
    flipHttp(service1.hostname)();
    flipDns(service2.hostname)();
    const result = await proveSwitch({
      bookmark,
      moves: [
        { api: service1, region: 'us-west-2' },
        { api: service2, region: 'us-west-2' },
      ],
      since: Date.now(),
      timeoutMs: 400,
      intervalMs: 100,
    });
    expect(result.proven).toBe(false);
    expect(result.apis.map((p) => [p.api, p.dnsMs !== undefined, p.httpMs !== undefined])).toEqual([
      ['service1', true, true],
      ['service2', true, false],
    ]);
    expect(notProvenLine(result)).toBe(
      `switched, but not proven within --wait-timeout 0.4 s: ${entry.url} for service2: answered from us-east-1, not us-west-2`,
    );
  });

  it('counts DNS from its own answer, not from the end of a slow public GET in the same round', async () => {
    const bookmark = bookmarkWith([service1], [dns], entry.url);
    flipDns(service1.hostname)();
    flipHttp(service1.hostname)();
    entry.delayMs = 400;
    const result = await proveSwitch({
      bookmark,
      moves: [{ api: service1, region: 'us-west-2' }],
      since: Date.now(),
      timeoutMs: 2000,
      intervalMs: 50,
    });
    expect(result.proven).toBe(true);
    const { dnsMs, httpMs } = result.apis[0]!;
    expect(httpMs).toBeGreaterThanOrEqual(390);
    expect(dnsMs).toBeLessThan(200);
  });

  it('records a name server that does not answer as the DNS side of a sample', async () => {
    dns.silent = true;
    const bookmark = bookmarkWith([service1], [dns], entry.url);
    const result: ProofResult = await proveSwitch({
      bookmark,
      moves: [{ api: service1, region: 'us-west-2' }],
      since: Date.now(),
      timeoutMs: 300,
    });
    expect(result.proven).toBe(false);
    const [proof] = result.apis;
    expect(proof!.lastDns).toBe('no answer (cannot resolve service1.example.com: ETIMEOUT)');
    expect(proof!.samples[0]).toMatchObject({
      httpRegion: 'us-east-1',
      error: 'no answer (cannot resolve service1.example.com: ETIMEOUT)',
    });
    expect(proof!.samples[0]!.dnsRegion).toBeUndefined();
    expect(notProvenLine(result)).toContain(
      "the name servers gave no answer (cannot resolve service1.example.com: ETIMEOUT) for service1.example.com, not us-west-2's record",
    );
  });

  it('throws ProofUnavailable for a bookmark without name servers, before asking anything', async () => {
    const bookmark = bookmarkWith([service1], undefined, entry.url);
    const before = entry.requests.length;
    await expect(
      proveSwitch({
        bookmark,
        moves: [{ api: service1, region: 'us-west-2' }],
        since: Date.now(),
        timeoutMs: 500,
      }),
    ).rejects.toThrow(ProofUnavailable);
    expect(entry.requests.length).toBe(before);
  });
});
