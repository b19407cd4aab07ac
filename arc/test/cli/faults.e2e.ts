import { ARC_CLUSTER_ENDPOINT_REGIONS, loadTopology } from '@arc-failover/shared';
import type { EndpointFault } from '../../src/emulator';
import { CliHarness } from '@arc-failover/testing';

/** The one endpoint left healthy when four are faulted. */
const HEALTHY = 'ap-southeast-2';
const OTHERS = ARC_CLUSTER_ENDPOINT_REGIONS.filter((r) => r !== HEALTHY);
let cli: CliHarness;

// Each test runs the CLI as processes (~0.4 s each, several at once on a 2-core machine).
jest.setTimeout(30_000);

beforeAll(async () => {
  cli = await CliHarness.start(loadTopology('local'));
  expect((await cli.run(['--all', '--to', 'primary', '--yes'])).exitCode).toBe(0);
});
afterAll(() => cli.close());
afterEach(async () => {
  for (const region of ARC_CLUSTER_ENDPOINT_REGIONS) await cli.emulator.setFault(region, 'none');
});

async function fault(regions: readonly string[], mode: EndpointFault): Promise<void> {
  for (const region of regions) await cli.emulator.setFault(region, mode);
}

const service1 = () => cli.states('service1');

describe('with 4 of 5 endpoints failing, a switch goes through the fifth', () => {
  it.each([
    // hanging endpoints are outrun by the hedged reads and never asked to write: no failure to report
    ['hang', null],
    ['refuse', 'connection refused'],
    ['unavailable', 'EndpointTemporarilyUnavailableException \\(HTTP 503\\)'],
    ['throttle', 'ThrottlingException \\(HTTP 429\\)'],
    ['internal-error', 'InternalServerException \\(HTTP 500\\)'],
  ] as const)('%s', async (mode, reason) => {
    await fault(OTHERS, mode);
    const out = await cli.run(['service1', '--to', 'secondary', '--yes']);
    expect(out.exitCode).toBe(0);
    expect(service1()).toEqual(['Off', 'On']);
    const back = await cli.run(['service1', '--to', 'primary', '--yes']);
    expect(back.exitCode).toBe(0);
    expect(service1()).toEqual(['On', 'Off']);

    for (const run of [out, back]) {
      for (const call of ['read', 'update 1/1', 'read back']) {
        expect(run.stderr).toContain(`${call}: answered by the ${HEALTHY} endpoint`);
      }
      // every failure reported names a faulted endpoint and the fault's reason
      const failures = run.stderr.split('\n').filter((line) => line.includes(' endpoint failed: '));
      if (reason === null) expect(failures).toEqual([]);
      for (const line of failures) {
        expect(line).toMatch(
          new RegExp(`^(read|update 1/1|read back): the (${OTHERS.join('|')}) endpoint failed: ${reason}$`),
        );
      }
    }
  });

  it('status names the endpoints a hedged read outran only in --json, as abandoned', async () => {
    await fault(OTHERS, 'hang');
    const [text, json] = await Promise.all([cli.run(['status']), cli.run(['status', '--json'])]);
    expect(text.exitCode).toBe(0);
    expect(text.stderr).toMatch(new RegExp(`^read: answered by the ${HEALTHY} endpoint \\(.*\\)\n$`));
    const doc = JSON.parse(json.stdout) as {
      endpoints: { answeredBy: { region: string }; failed: unknown[]; abandoned: { region: string }[] }[];
    };
    expect(doc.endpoints[0]).toMatchObject({ answeredBy: { region: HEALTHY }, failed: [] });
    // the first endpoint asked, if it hung, and the others asked with the fifth
    for (const { region } of doc.endpoints[0]!.abandoned) expect(OTHERS).toContain(region);
  });
});

describe('with every endpoint failing: one line listing each, exit 1, nothing changed', () => {
  it('status, all hanging', async () => {
    await fault(ARC_CLUSTER_ENDPOINT_REGIONS, 'hang');
    const run = await cli.run(['status', '--timeout-ms', '300']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^error: could not read the routing control states: no cluster endpoint answered \(/,
    );
    for (const region of ARC_CLUSTER_ENDPOINT_REGIONS)
      expect(lines[0]).toContain(`${region}: no answer within 300 ms`);
  });

  it.each([
    ['refuse', 'connection refused'],
    ['throttle', 'ThrottlingException (HTTP 429)'],
  ] as const)('a switch, all answering %s', async (mode, reason) => {
    await fault(ARC_CLUSTER_ENDPOINT_REGIONS, mode);
    const run = await cli.run(['service1', '--to', 'secondary', '--yes']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    for (const region of ARC_CLUSTER_ENDPOINT_REGIONS) expect(run.stderr).toContain(`${region}: ${reason}`);
    // nothing listening at all on a sandbox bookmark: most likely the sandbox is not running
    expect(run.stderr.includes('is the sandbox running? ("npm start")')).toBe(mode === 'refuse');
    expect(service1()).toEqual(['On', 'Off']);
    expect(cli.auditLines().at(-1)).toMatchObject({
      outcome: 'failed',
      error: expect.stringContaining(reason),
    });
  });

  it('a mix of every fault', async () => {
    const modes: EndpointFault[] = ['hang', 'refuse', 'unavailable', 'throttle', 'internal-error'];
    for (const [i, region] of ARC_CLUSTER_ENDPOINT_REGIONS.entries())
      await cli.emulator.setFault(region, modes[i]!);
    const run = await cli.run(['--all', '--to', 'secondary', '--yes', '--timeout-ms', '300', '--json']);
    expect(run.exitCode).toBe(1);
    const doc = JSON.parse(run.stdout) as {
      outcome: string;
      endpoints: { failed: { region: string; kind: string }[] }[];
    };
    expect(doc.outcome).toBe('failed');
    expect(doc.endpoints).toEqual([]); // the first read never got an answer
    expect(run.stderr).toMatch(
      /^error: could not read the routing control states: no cluster endpoint answered/,
    );
    expect(service1()).toEqual(['On', 'Off']);
  });
});
