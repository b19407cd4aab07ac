import { readFileSync } from 'node:fs';
import type { ProcessRun } from '@arc-failover/shared';
import type { Bookmark } from '../../src/bookmark';
import { CliHarness, topologyWith } from '@arc-failover/testing';

// The real CLI process against the cluster emulation, its readiness gate asking loopback stand-ins of each
// API's Regional URL (RegionalTargets): healthy, answering 503, or never answering.
jest.setTimeout(30_000);

let cli: CliHarness;
beforeAll(async () => {
  cli = await CliHarness.start(topologyWith());
  // every API on its primary, so that a switch to the secondary moves it
  const ready = await cli.run(['--all', '--to', 'primary', '--yes']);
  expect(ready.exitCode).toBe(0);
});
afterEach(() => cli.targets.reset());
afterAll(() => cli.close());

/** A failed run: the exit status and exactly one line on stderr. */
function expectFailure(run: ProcessRun, code: number, line: RegExp): void {
  expect({ code: run.exitCode, lines: run.stderr.trimEnd().split('\n').length }).toEqual({ code, lines: 1 });
  expect(run.stderr).toMatch(line);
}

/** A bookmark with one endpoint only, so that no hedged read blurs a count of requests. */
function oneEndpoint(name: string): string {
  const bookmark = cli.bookmark;
  return cli.writeVariant(name, { ...bookmark, endpoints: [bookmark.endpoints[0]!] });
}

/** Runs the CLI; the requests the cluster served meanwhile, and the readiness targets were asked. */
async function runCounting(args: string[]) {
  const [before, asked] = [cli.emulator.operationCounts(), cli.targets.requests.length];
  const run = await cli.run(args);
  const after = cli.emulator.operationCounts();
  const operations = Object.fromEntries(
    Object.entries(after).map(([op, n]) => [op, n - (before[op as keyof typeof before] ?? 0)]),
  );
  return { run, operations, targetsAsked: cli.targets.requests.slice(asked) };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const notReady = (answer: string) =>
  new RegExp(
    `^error: not switching, nothing changed: service1 is not ready in us-west-2: GET ${escape(cli.targets.url('service1', 'us-west-2'))}/ answered ${answer} after (\\d+) ms \\(fix the target, or break glass with --skip-readiness\\)\\n$`,
  );

describe('the readiness gate, before any update', () => {
  it('refuses a target answering 503 in one line, exit 1; no update is sent', async () => {
    cli.targets.set('service1', 'us-west-2', 503);
    const states = cli.allStates();
    const { run, operations, targetsAsked } = await runCounting(['service1', '--to', 'secondary', '--yes']);
    expectFailure(run, 1, notReady('HTTP 503'));
    expect(operations).toMatchObject({ UpdateRoutingControlStates: 0 });
    expect(targetsAsked).toEqual(['service1/us-west-2']);
    expect(cli.allStates()).toEqual(states);
    expect(cli.auditOutcomes().at(-1)).toMatchObject({
      outcome: 'refused',
      readiness: [{ api: 'service1', region: 'us-west-2', ready: false, status: 503 }],
    });
  });

  it('refuses a target that never answers after its 2 s timeout, well under 5 s in all', async () => {
    cli.targets.set('service1', 'us-west-2', 'hang');
    const states = cli.allStates();
    const run = await cli.run(['service1', '--to', 'secondary', '--yes']);
    expectFailure(run, 1, notReady('timeout \\(no answer within 2000 ms\\)'));
    const waited = Number(notReady('timeout \\(no answer within 2000 ms\\)').exec(run.stderr)![1]);
    expect(waited).toBeGreaterThanOrEqual(2000);
    expect(run.endedAt - run.startedAt).toBeLessThan(5000);
    expect(cli.allStates()).toEqual(states);
  });

  it('--dry-run shows every moving API’s answer and changes nothing, ready or not', async () => {
    cli.targets.set('service1', 'us-west-2', 503);
    const states = cli.allStates();
    const { run, operations } = await runCounting(['service1', 'service2', '--to', 'secondary', '--dry-run']);
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    const url = (api: string, region: string) => escape(`${cli.targets.url(api, region)}/`);
    expect(run.stdout).toMatch(
      new RegExp(
        [
          "Readiness \\(each target Region's own URL, not the failover name\\):",
          `  service1  us-west-2  NOT READY: GET ${url('service1', 'us-west-2')} answered HTTP 503 after \\d+ ms`,
          `  service2  us-east-1  ready: GET ${url('service2', 'us-east-1')} answered HTTP 200 after \\d+ ms`,
          'Dry run: nothing changed\\. This switch would be refused now: a target is not ready\\.',
        ].join('\n'),
      ),
    );
    expect(operations).toMatchObject({ UpdateRoutingControlStates: 0 });
    expect(cli.allStates()).toEqual(states);

    cli.targets.reset();
    const ready = await cli.run(['service1', '--to', 'secondary', '--dry-run']);
    expect(ready.stdout).toMatch(
      / {2}service1 {2}us-west-2 {2}ready: GET .* answered HTTP 200 after \d+ ms\nDry run: nothing changed\.\n/,
    );
    expect(cli.allStates()).toEqual(states);
  });

  it.each([['--yes'], ['--dry-run']])(
    'a bookmark written before readiness (no Regional URLs) says to run sync or pass --skip-readiness (%s)',
    async (flag) => {
      const v1: Bookmark = {
        ...cli.bookmark,
        version: 1,
        services: cli.bookmark.services.map(({ regions: _regions, ...service }) => service),
      };
      const states = cli.allStates();
      const run = await cli.run([
        'service1',
        '--to',
        'secondary',
        flag,
        '--bookmark',
        cli.writeVariant('v1.json', v1),
      ]);
      expectFailure(
        run,
        1,
        /^error: the bookmark has no Regional URL for service1 \(written before readiness checks\): run "npm run switch -- sync" to write it again, or pass --skip-readiness to switch without checking the target\n$/,
      );
      expect(cli.allStates()).toEqual(states);
    },
  );
});

describe('--wait', () => {
  it('on a bookmark without the zone’s name servers is refused after the read, before readiness or any update', async () => {
    expect(cli.bookmark.nameServers).toBeUndefined();
    const file = oneEndpoint('one-endpoint.json');
    const states = cli.allStates();
    // what the read of service1's two routing controls costs: a dry run that asks nothing else
    const read = await runCounting([
      'service1',
      '--to',
      'secondary',
      '--dry-run',
      '--skip-readiness',
      '--bookmark',
      file,
    ]);
    expect(read.run.exitCode).toBe(0);
    const total = cli.totalRequests();
    const { run, operations, targetsAsked } = await runCounting([
      'service1',
      '--to',
      'secondary',
      '--yes',
      '--wait',
      '--bookmark',
      file,
    ]);
    // the run is still recorded, in the audit log and a report, as refused: nothing was sent
    const report = /^Report: .+ \(JSON (.+), timeline .+\)$/m.exec(run.stdout);
    expect(JSON.parse(readFileSync(report![1]!, 'utf8'))).toMatchObject({ outcome: 'refused' });
    expect(cli.auditOutcomes().at(-1)).toMatchObject({ outcome: 'refused', phase: 'outcome' });
    expectFailure(
      run,
      1,
      /^error: the bookmark lists no name servers of the hosted zone \(written before --wait existed\): run "npm run switch -- sync" to write it again, or switch without --wait\n$/,
    );
    expect(cli.totalRequests() - total).toBe(2);
    expect(operations).toEqual(read.operations);
    expect(operations).toMatchObject({ GetRoutingControlState: 2, UpdateRoutingControlStates: 0 });
    expect(targetsAsked).toEqual([]);
    expect(cli.allStates()).toEqual(states);
  });
});

describe('status --probe', () => {
  it('on a bookmark without the zone’s name servers says so in one line, pointing at status without --probe', async () => {
    const run = await cli.run(['status', '--probe']);
    expectFailure(
      run,
      1,
      /^error: the bookmark lists no name servers of the hosted zone \(written before --wait existed\): run "npm run switch -- sync" to write it again, or run status without --probe\n$/,
    );
  });
});
