import { setTimeout as sleep } from 'node:timers/promises';
import {
  GetRoutingControlStateCommand,
  Route53RecoveryClusterClient,
  UpdateRoutingControlStatesCommand,
} from '@aws-sdk/client-route53-recovery-cluster';
import { readBookmark } from '@arc-failover/arc';
import { runDemo } from '../src/commands/demo/demo';
import { probe } from '../src/commands/probe/probe';
import { queryTcp, queryUdp } from './helpers/dns-query';
import { startHarness, type Harness } from './helpers/sandbox-harness';

// Real servers and CLI processes: seconds per test, more on a loaded 2-core machine.
jest.setTimeout(30_000);

const TTL_SECONDS = 1;
const WAIT_PERIOD_MS = 800;

/** The whole system in one process, driven as a user drives it: the CLI, HTTP through the entry, DNS. */
describe('the sandbox, end to end', () => {
  let h: Harness;
  const addressOf = (api: string, region: string) => new URL(h.sandbox.urls[api]![region]!).hostname;
  const controls = (api: string) =>
    Object.fromEntries(
      h.sandbox.topology.all
        .find((s) => s.name === api)!
        .regions.map((region) => [
          region,
          h.sandbox.emulator.stateOf(h.sandbox.emulator.routingControlArn(api, region)),
        ]),
    );
  const regionOf = async (path: string) => (await probe(h.sandbox.entryUrl, path)).region;
  /** Polls until the answer is the expected one, or fails with the last answer seen. */
  const eventually = async <T>(read: () => Promise<T>, expected: T, withinMs = TTL_SECONDS * 1000 + 2000) => {
    const deadline = Date.now() + withinMs;
    let last = await read();
    while (last !== expected && Date.now() < deadline) {
      await sleep(100);
      last = await read();
    }
    expect(last).toBe(expected);
  };
  const waitOutSafetyRule = () => sleep(WAIT_PERIOD_MS + 50);
  /** Exit status 0; on failure the assertion shows the CLI's one line. */
  const succeeded = (run: { exitCode: number | null; stderr: string }) =>
    expect({ exitCode: run.exitCode, error: run.exitCode === 0 ? '' : run.stderr }).toEqual({
      exitCode: 0,
      error: '',
    });

  beforeAll(async () => {
    h = await startHarness({ ttlSeconds: TTL_SECONDS, waitPeriodMs: WAIT_PERIOD_MS, leaveOff: true });
  });
  afterAll(() => h?.stop());

  it('starts like a first deploy, every control Off and DNS answering the primaries; one CLI command puts everything on its primary', async () => {
    for (const api of ['external-api', 'service1', 'service2'])
      expect(Object.values(controls(api))).toEqual(['Off', 'Off']);
    expect((await queryUdp(h.sandbox.dns.port, 'service2.example.com')).answers?.[0]).toMatchObject({
      data: addressOf('service2', 'us-west-2'),
    });

    succeeded(await h.switch('--all', '--to', 'primary'));
    expect(controls('external-api')).toEqual({ 'us-east-1': 'On', 'us-west-2': 'Off' });
    expect(controls('service2')).toEqual({ 'us-west-2': 'On', 'us-east-1': 'Off' });
    expect(await regionOf('/service2')).toBe('us-west-2');
    await waitOutSafetyRule();
  });

  it('runs the design’s failover test: service1 alone, back, everything, back, with no failed request', async () => {
    const lines: string[] = [];
    const report = await runDemo({
      bookmarkFile: h.bookmarkFile,
      print: (line) => lines.push(line),
      auditLog: h.auditLog,
      settleMs: 500,
    });
    expect(report.steps.map((s) => [s.title, s.ok, s.problems])).toEqual([
      ['all traffic on the primary Regions', true, []],
      ['fail over service1', true, []],
      ['fail back service1', true, []],
      ['fail over everything at once', true, []],
      ['fail back everything', true, []],
    ]);
    expect(report.ok).toBe(true);
    const failover = report.steps[1]!;
    expect(failover.paths.map((p) => [p.path, p.from, p.to])).toEqual([
      ['/', 'us-east-1', 'us-east-1'],
      ['/service1', 'us-east-1', 'us-west-2'],
      ['/service2', 'us-west-2', 'us-west-2'],
    ]);
    const moved = failover.paths[1]!;
    // Correctness, not speed (bench:sandbox measures that): every request moved to the new Region soon
    // after the TTL, not only once pooled connections to the old one happened to close. The margin is
    // generous so that a loaded machine does not fail it.
    expect(moved.allMs).toEqual(expect.any(Number));
    expect(moved.allMs).toBeLessThan(TTL_SECONDS * 1000 + 5000);
    expect(report.steps.flatMap((s) => s.paths).every((p) => p.failures === 0 && p.requests > 0)).toBe(true);
    expect(report.steps[3]!.paths.map((p) => p.to)).toEqual(['us-west-2', 'us-west-2', 'us-east-1']);
    expect(lines.join('\n')).toContain('first request served by us-west-2');
    // it ends with both runbooks; with no terminal to approve on, as dry runs that write their reports
    expect(report.runbooks.map((r) => [r.runbook, r.dryRun, Boolean(r.report)])).toEqual([
      ['evacuate-us-east-1', true, true],
      ['return-to-primary', true, true],
    ]);
    expect(lines.join('\n')).toContain('step 2/3 approval');
    await waitOutSafetyRule();
  }, 60_000);

  it('answers DNS over UDP and TCP from the routing controls, with the configured TTL', async () => {
    succeeded(await h.switch('service1', '--to', 'secondary'));
    const [udp, [tcp]] = await Promise.all([
      queryUdp(h.sandbox.dns.port, 'service1.example.com'),
      queryTcp(h.sandbox.dns.port, [{ name: 'service1.example.com' }]),
    ]);
    expect(udp.answers?.[0]).toMatchObject({ data: addressOf('service1', 'us-west-2'), ttl: TTL_SECONDS });
    expect(tcp!.answers?.[0]).toMatchObject({ data: addressOf('service1', 'us-west-2') });
    expect((await queryUdp(h.sandbox.dns.port, 'example.com')).answers?.[0]).toMatchObject({
      data: addressOf('external-api', 'us-east-1'),
    });
    await eventually(() => regionOf('/service1'), 'us-west-2');
    await waitOutSafetyRule();
    succeeded(await h.switch('service1', '--to', 'primary'));
    await eventually(() => regionOf('/service1'), 'us-east-1');
    await waitOutSafetyRule();
  });

  it('unplanned: service1’s primary Region goes down; requests fail until the switch, then none fail once the TTL has passed', async () => {
    const down = await h.fault('service1', 'us-east-1', 'down');
    expect([down.exitCode, down.stdout.trim()]).toEqual([0, 'service1 in us-east-1 refuses connections']);
    try {
      const failing = await probe(h.sandbox.entryUrl, '/service1');
      expect([failing.status, failing.error]).toEqual([503, '{"message":"Service Unavailable"}']);
      expect(await regionOf('/service2')).toBe('us-west-2');

      succeeded(await h.switch('service1', '--to', 'secondary'));
      await sleep(TTL_SECONDS * 1000 + 200);
      const after = await Promise.all(
        Array.from({ length: 20 }, () => probe(h.sandbox.entryUrl, '/service1')),
      );
      expect(after.map((r) => `${r.status} ${r.region}`)).toEqual(Array(20).fill('200 us-west-2'));
    } finally {
      expect((await h.fault('service1', 'us-east-1', 'up')).exitCode).toBe(0);
    }
    await waitOutSafetyRule();
    succeeded(await h.switch('service1', '--to', 'primary'));
    await eventually(() => regionOf('/service1'), 'us-east-1');
    await waitOutSafetyRule();
  });

  it('an API answering 5xx in one Region is visible through the entry, and only there', async () => {
    expect((await h.fault('service2', 'us-west-2', 'error')).exitCode).toBe(0);
    try {
      expect((await probe(h.sandbox.entryUrl, '/service2')).status).toBe(500);
      expect((await probe(h.sandbox.entryUrl, '/service1')).status).toBe(200);
    } finally {
      await h.fault('service2', 'us-west-2', 'up');
    }
    expect((await probe(h.sandbox.entryUrl, '/service2')).status).toBe(200);
  });

  it('the CLI still switches with three of the five cluster endpoints refusing, hanging or unavailable', async () => {
    const faults = { 'us-east-1': 'refuse', 'us-west-2': 'hang', 'eu-west-1': 'unavailable' };
    for (const [region, fault] of Object.entries(faults))
      expect((await h.fault('arc', region, fault)).exitCode).toBe(0);
    try {
      const before = h.sandbox.emulator.requestCounts();
      succeeded(await h.switch('service2', '--to', 'secondary', '--timeout-ms', '500'));
      expect(controls('service2')).toEqual({ 'us-west-2': 'Off', 'us-east-1': 'On' });
      const after = h.sandbox.emulator.requestCounts();
      const served = ['ap-northeast-1', 'ap-southeast-2'].reduce((n, r) => n + after[r]! - before[r]!, 0);
      expect(served).toBeGreaterThan(0);
      await eventually(() => regionOf('/service2'), 'us-east-1');
    } finally {
      for (const region of Object.keys(faults)) await h.fault('arc', region, 'none');
    }
    await waitOutSafetyRule();
    succeeded(await h.switch('service2', '--to', 'primary'));
    await waitOutSafetyRule();
    // eight processes (six fault commands, two switches) and two wait periods: slow on a loaded machine
  }, 60_000);

  it('fails over through the AWS SDK client talking to the cluster endpoints directly, not through our CLI', async () => {
    const bookmark = readBookmark(h.bookmarkFile);
    const endpoint = bookmark.endpoints.find((e) => e.region === 'ap-southeast-2')!;
    const client = new Route53RecoveryClusterClient({
      region: endpoint.region,
      endpoint: endpoint.url,
      credentials: bookmark.sandbox!.credentials,
    });
    const service1 = bookmark.services.find((s) => s.name === 'service1')!;
    try {
      await client.send(
        new UpdateRoutingControlStatesCommand({
          UpdateRoutingControlStateEntries: [
            { RoutingControlArn: service1.routingControls['us-west-2'], RoutingControlState: 'On' },
            { RoutingControlArn: service1.routingControls['us-east-1'], RoutingControlState: 'Off' },
          ],
        }),
      );
      const read = await client.send(
        new GetRoutingControlStateCommand({ RoutingControlArn: service1.routingControls['us-west-2'] }),
      );
      expect(read.RoutingControlState).toBe('On');
      expect((await queryUdp(h.sandbox.dns.port, 'service1.example.com')).answers?.[0]).toMatchObject({
        data: addressOf('service1', 'us-west-2'),
      });
      await eventually(() => regionOf('/service1'), 'us-west-2');

      // Both Off would leave service1 with no Region: the assertion rule refuses it, and nothing changes.
      await waitOutSafetyRule();
      await expect(
        client.send(
          new UpdateRoutingControlStatesCommand({
            UpdateRoutingControlStateEntries: [
              { RoutingControlArn: service1.routingControls['us-west-2'], RoutingControlState: 'Off' },
            ],
          }),
        ),
      ).rejects.toMatchObject({ name: 'ConflictException' });
      expect(controls('service1')).toEqual({ 'us-east-1': 'Off', 'us-west-2': 'On' });
    } finally {
      client.destroy();
    }
  });
});
