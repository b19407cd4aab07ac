import { ARC_CLUSTER_ENDPOINT_REGIONS } from '@arc-failover/shared';
import { topologyWith, CliHarness } from '@arc-failover/testing';

// `status` and `--all` through the real CLI process at ARC's quota: the entry API and 48 services, 98
// routing controls, 10 batches. The ARC emulation alone stands in for the sandbox here: the sandbox would
// package 49 APIs with osls first, minutes on this machine, for nothing this test looks at.
const topology = topologyWith(48);
const UPDATE = 'ToggleCustomerAPI.UpdateRoutingControlStates';
let cli: CliHarness;

jest.setTimeout(60_000);
beforeAll(async () => {
  cli = await CliHarness.start(topology);
});
afterAll(() => cli.close());

const stateOf = (api: string, region: string) =>
  cli.emulator.stateOf(cli.emulator.routingControlArn(api, region));
const primaryOf = (api: string) => topology.all.find((s) => s.name === api)!.primaryRegion;
const onSecondary = () => topology.all.filter((s) => stateOf(s.name, s.secondaryRegion) === 'On').length;

function updatesSince(index: number): { region: string; atMs: number }[] {
  return cli.emulator
    .requestLog()
    .slice(index)
    .filter((r) => r.target === UPDATE);
}

/** The most updates one endpoint received within any 950 ms. */
function mostPerSecond(updates: { region: string; atMs: number }[]): number {
  return Math.max(
    ...ARC_CLUSTER_ENDPOINT_REGIONS.map((region) => {
      const times = updates.filter((u) => u.region === region).map((u) => u.atMs);
      return Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u - t < 950).length));
    }),
  );
}

it('puts every API on its primary, then status lists all 49 APIs', async () => {
  expect((await cli.run(['--all', '--to', 'primary', '--yes'])).exitCode).toBe(0);
  const status = await cli.run(['status']);
  expect(status.exitCode).toBe(0);
  for (const api of topology.all) expect(status.stdout).toContain(api.name);
});

it('--all --to secondary: 10 whole-panel batches over several endpoints, at most 3 per second on each', async () => {
  const from = cli.emulator.requestLog().length;
  const run = await cli.run(['--all', '--to', 'secondary', '--yes']);
  expect(run.exitCode).toBe(0);
  const updates = updatesSince(from);
  expect(updates).toHaveLength(10);
  expect(new Set(updates.map((u) => u.region)).size).toBeGreaterThan(1);
  expect(mostPerSecond(updates)).toBeLessThanOrEqual(3);
  expect(onSecondary()).toBe(49);
});

it('--all with 4 of 5 endpoints hanging: every update to the healthy one, within 6 s', async () => {
  const [healthy, ...hanging] = ARC_CLUSTER_ENDPOINT_REGIONS;
  for (const region of hanging) await cli.emulator.setFault(region, 'hang');
  try {
    const from = cli.emulator.requestLog().length;
    const started = performance.now();
    const run = await cli.run(['--all', '--to', 'primary', '--yes']);
    expect(run.exitCode).toBe(0);
    expect(performance.now() - started).toBeLessThan(6000);
    const updates = updatesSince(from);
    expect(updates.map((u) => u.region)).toEqual(Array(10).fill(healthy));
    expect(mostPerSecond(updates)).toBeLessThanOrEqual(3);
    expect(onSecondary()).toBe(0);
  } finally {
    for (const region of hanging) await cli.emulator.setFault(region, 'none');
  }
});

it('a refused last batch is a PARTIAL SWITCH, exit 3, the other batches applied and read back', async () => {
  cli.emulator.addSafetyRule({
    Name: 'service48-needs-service47-primary',
    GatingControls: [cli.emulator.routingControlArn('service47', primaryOf('service47'))],
    TargetControls: ['us-west-2', 'us-east-1'].map((r) => cli.emulator.routingControlArn('service48', r)),
    RuleConfig: { Type: 'ATLEAST', Threshold: 1, Inverted: false },
  });
  const run = await cli.run(['--all', '--to', 'secondary', '--yes']);
  expect(run.exitCode).toBe(3);
  expect(run.stderr).toMatch(/PARTIAL SWITCH/);
  // service45-service48 share the last batch: none of them moved, every other API did
  expect(onSecondary()).toBe(45);
  expect(stateOf('service48', primaryOf('service48'))).toBe('On');
});
