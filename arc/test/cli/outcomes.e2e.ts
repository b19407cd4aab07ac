import { ARC_CLUSTER_ENDPOINT_REGIONS, loadTopology, type ProcessRun } from '@arc-failover/shared';
import { topologyWith, CliHarness } from '@arc-failover/testing';

/** Every call goes to this endpoint when the bookmark lists no other. */
const ONLY = ARC_CLUSTER_ENDPOINT_REGIONS[0];

// CLI processes against an emulated cluster, some of them racing another operator.
jest.setTimeout(30_000);

/** A failed run: the exit status and exactly one line on stderr. */
function expectFailure(run: ProcessRun, code: number, line: RegExp): void {
  expect({ code: run.exitCode, lines: run.stderr.trimEnd().split('\n').length }).toEqual({ code, lines: 1 });
  expect(run.stderr).toMatch(line);
}

/** Resolves once the cluster applies a change. */
function nextChange(cli: CliHarness): Promise<void> {
  return new Promise((resolve) => {
    const stop = cli.emulator.onChange(() => {
      stop();
      resolve();
    });
  });
}

describe('two operators making the same change at once', () => {
  let cli: CliHarness;
  beforeAll(async () => {
    cli = await CliHarness.start(loadTopology('local'), (emulator) => {
      // as ARC's assertion rules do: no change of service1's controls for a while after one
      emulator.addSafetyRule({
        Name: 'service1-settles',
        AssertedControls: ['us-east-1', 'us-west-2'].map((r) => emulator.routingControlArn('service1', r)),
        RuleConfig: { Type: 'ATLEAST', Threshold: 1, Inverted: false },
        WaitPeriodMs: 30_000,
      });
    });
  });
  afterAll(() => cli.close());

  it('the one whose update meets the wait period says the change is in place, made by someone else; exit 0', async () => {
    // the other operator switches once this one has read the states and shows its plan
    const mine = cli.startOnTerminal(['service1', '--to', 'secondary'], async () => {
      const other = await cli.run(['service1', '--to', 'secondary', '--yes']);
      expect(other.exitCode).toBe(0);
      return 'y';
    });
    const { exitCode, stdout } = await mine.ended;

    expect(exitCode).toBe(0);
    expect(stdout).toContain(
      'Already in place: service1 on us-west-2 (secondary), changed by someone else; verified by reading the states back.',
    );
    expect(stdout).toMatch(
      /note: this switch's own update was not applied \(the [a-z0-9-]+ endpoint refused to update the routing controls \(ConflictException, HTTP 409\): .*wait period.*\): another operator made the same change first/,
    );
    expect(stdout).not.toContain('the update got no clear answer');
    expect(stdout).not.toContain('Switched service1');
    expect(cli.states('service1')).toEqual(['Off', 'On']);
    expect(cli.auditOutcomes().at(-1)).toMatchObject({
      outcome: 'already-in-place-by-someone-else',
      verified: true,
      batches: [{ apis: ['service1'], applied: false }],
    });
  });
});

describe('exit 3: the switch failed, and routing may have changed or did partly change', () => {
  // the entry API and six services: 14 routing controls, two UpdateRoutingControlStates calls
  let cli: CliHarness;
  beforeAll(async () => {
    cli = await CliHarness.start(topologyWith(6));
  });
  afterAll(() => cli.close());
  afterEach(() => cli.emulator.setFault(ONLY, 'none'));

  it('an update that may have landed, and states that cannot be read back', async () => {
    const oneEndpoint = cli.writeVariant('one-endpoint.json', {
      ...cli.bookmark,
      endpoints: cli.bookmark.endpoints.filter((e) => e.region === ONLY),
    });
    // applied, never answered; then the endpoint goes away, cutting the update's connection
    await cli.emulator.setFault(ONLY, 'hang-after-update');
    const landed = nextChange(cli).then(() => cli.emulator.setFault(ONLY, 'refuse'));
    const run = await cli.run(['service1', '--to', 'secondary', '--yes', '--bookmark', oneEndpoint]);
    await landed;

    expectFailure(
      run,
      3,
      /^error: could not update the routing controls: no cluster endpoint answered \(.*\); an attempt timed out, so the change may or may not be applied: run status; the states could not be read back \(could not read the routing control states: .*\): run status\n$/,
    );
    expect(cli.states('service1')).toEqual(['Off', 'On']);
    expect(cli.auditOutcomes().at(-1)).toMatchObject({
      outcome: 'failed',
      routingMayHaveChanged: true,
      failure: 'unverified',
    });
  });

  it("an accepted change that reads back otherwise: another operator's change in between", async () => {
    const arn = (region: string) => cli.emulator.routingControlArn('external-api', region);
    // the moment the first batch is applied, before the switch reads back, the other operator puts the
    // entry API back on its primary (batches now go out together: there is no pause between them to use)
    const stop = cli.emulator.onChange(() => {
      stop();
      cli.emulator.update([
        { routingControlArn: arn('us-east-1'), state: 'On' },
        { routingControlArn: arn('us-west-2'), state: 'Off' },
      ]);
    });
    const run = await cli.run(['--all', '--to', 'secondary', '--yes']);

    expectFailure(
      run,
      3,
      /^error: the cluster accepted the change but reads back external-api us-west-2 Off\/us-east-1 On: run status, and switch again if needed\n$/,
    );
    expect(cli.auditOutcomes().at(-1)).toMatchObject({
      outcome: 'failed',
      routingMayHaveChanged: true,
      failure: 'changed-by-someone-else',
      batches: [{ applied: true }, { applied: true }],
    });
  });
});
