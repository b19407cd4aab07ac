import { setTimeout as sleep } from 'node:timers/promises';
import { ARC_CLUSTER_ENDPOINT_REGIONS, loadTopology } from '@arc-failover/shared';
import type { EndpointFault } from '../../src/emulator';
import { CliHarness, type TerminalRun } from '@arc-failover/testing';

const CTRL_C = '\x03';
/** Every call goes to this endpoint: the bookmark lists no other. */
const ONLY = ARC_CLUSTER_ENDPOINT_REGIONS[0];
const NOTICE = 'interrupted: no further update will be sent';
let cli: CliHarness;

// Processes on a terminal, each waiting out an update that never gets its answer.
jest.setTimeout(30_000);

beforeAll(async () => {
  cli = await CliHarness.start(loadTopology('local'));
  expect((await cli.run(['--all', '--to', 'primary', '--yes'])).exitCode).toBe(0);
});
afterAll(() => cli.close());
afterEach(() => cli.emulator.setFault(ONLY, 'none'));

const service1 = () => cli.states('service1');
const sent = () => cli.emulator.requestCounts()[ONLY]!;

/**
 * Fails over service1 on a terminal, answering "y" once the plan is read; from then on the endpoint never
 * answers the update: it 'hang's (takes every request, answers none, applies none), or, with
 * 'hang-after-update', applies the update and answers reads. Resolves when the update has reached it.
 */
async function switchWithHangingUpdate(
  flags: string[],
  { viaNpm = false, fault = 'hang' as EndpointFault } = {},
): Promise<TerminalRun> {
  const bookmark = cli.writeVariant('one-endpoint.json', {
    ...cli.bookmark,
    endpoints: cli.bookmark.endpoints.filter((e) => e.region === ONLY),
  });
  let sentAtPrompt: number | undefined;
  const run = cli.startOnTerminal(
    ['service1', '--to', 'secondary', '--bookmark', bookmark, ...flags],
    async () => {
      await cli.emulator.setFault(ONLY, fault);
      sentAtPrompt = sent();
      return 'y';
    },
    { viaNpm },
  );
  while (sentAtPrompt === undefined || sent() === sentAtPrompt) await sleep(10);
  return run;
}

describe('Ctrl-C once a switch has sent its update', () => {
  // by npm run switch, which passes the terminal's Ctrl-C on once more: still one interrupt
  it('lets the update end, reads the states back, shows them, records "interrupted" and exits 130', async () => {
    const run = await switchWithHangingUpdate([], { viaNpm: true });
    run.type(CTRL_C);
    await run.printed(NOTICE);
    // the update in flight stays unanswered until its timeout; the read back will be answered
    await cli.emulator.setFault(ONLY, 'none');
    const { exitCode, stdout } = await run.ended;

    expect(exitCode).toBe(130);
    expect(stdout).toContain('Interrupted. Read back from the cluster:');
    expect(stdout).toMatch(/^ {2}service1\s+us-east-1 On\s+us-west-2 Off\s+us-east-1 \(primary\)\r?$/m);
    expect(stdout).toContain(
      'error: interrupted: service1 not switched, as read back from the cluster; run status before switching again',
    );
    expect(stdout).not.toContain('interrupted again');
    expect(service1()).toEqual(['On', 'Off']);
    expect(cli.auditLines().at(-1)).toMatchObject({
      action: 'switch',
      outcome: 'interrupted',
      verified: false,
      error: expect.stringContaining('service1 not switched'),
      readBack: [
        {
          name: 'service1',
          controls: [
            { region: 'us-east-1', state: 'On' },
            { region: 'us-west-2', state: 'Off' },
          ],
          servingRegion: 'us-east-1',
        },
      ],
      endpoints: [
        { call: 'read', answeredBy: { region: ONLY } },
        { call: 'update 1/1', failed: [{ region: ONLY, kind: 'timeout' }] },
        { call: 'read back', answeredBy: { region: ONLY } },
      ],
    });
  });

  it('says so when the update it waited for had moved traffic after all', async () => {
    const run = await switchWithHangingUpdate([], { fault: 'hang-after-update' });
    run.type(CTRL_C);
    const { exitCode, stdout } = await run.ended;

    expect(exitCode).toBe(130);
    expect(stdout).toMatch(/^ {2}service1\s+us-east-1 Off\s+us-west-2 On\s+us-west-2 \(secondary\)\r?$/m);
    expect(stdout).toContain(
      'error: interrupted, but the switch took effect: service1 as planned, read back from the cluster',
    );
    expect(service1()).toEqual(['Off', 'On']);
    expect(cli.auditLines().at(-1)).toMatchObject({
      outcome: 'interrupted',
      verified: true,
      readBack: [{ name: 'service1', servingRegion: 'us-west-2' }],
    });
    await cli.emulator.setFault(ONLY, 'none');
    expect((await cli.run(['service1', '--to', 'primary', '--yes'])).exitCode).toBe(0);
  });

  it('quits at once on a second Ctrl-C, still recording "interrupted"', async () => {
    // an update timeout the test cannot wait out: only the second Ctrl-C can end the run in time
    const run = await switchWithHangingUpdate(['--write-timeout-ms', '60000']);
    run.type(CTRL_C);
    await run.printed(NOTICE);
    // sooner, it would count as the first one passed on by a wrapper
    await sleep(1100);
    run.type(CTRL_C);
    const { exitCode, stdout } = await run.ended;

    expect(exitCode).toBe(130);
    expect(stdout).toContain(
      'error: interrupted again: quit without reading the states back; run status to see where traffic is',
    );
    expect(stdout).not.toContain('Read back from the cluster');
    const line = cli.auditLines().at(-1)!;
    expect(line).toMatchObject({
      outcome: 'interrupted',
      error: expect.stringContaining('interrupted again'),
    });
    expect(line).not.toHaveProperty('readBack');
  });
});

describe('SIGHUP (a closed terminal, a dropped SSH session) once a switch has sent its update', () => {
  it('is handled as SIGTERM: the update ends, the states are read back, "interrupted" recorded, exit 129', async () => {
    const bookmark = cli.writeVariant('one-endpoint.json', {
      ...cli.bookmark,
      endpoints: cli.bookmark.endpoints.filter((e) => e.region === ONLY),
    });
    // the update is applied and never answered; reads are answered
    await cli.emulator.setFault(ONLY, 'hang-after-update');
    const landed = new Promise<void>((resolve) => {
      const stop = cli.emulator.onChange(() => {
        stop();
        resolve();
      });
    });
    const { child, ended } = cli.spawn([
      'service1',
      '--to',
      'secondary',
      '--yes',
      '--bookmark',
      bookmark,
      '--write-timeout-ms',
      '1000',
    ]);
    await landed;
    child.kill('SIGHUP');
    const { exitCode, stdout, stderr } = await ended;

    expect(exitCode).toBe(129);
    expect(stderr).toContain(NOTICE);
    expect(stdout).toContain('Interrupted. Read back from the cluster:');
    expect(stderr).toContain(
      'error: interrupted, but the switch took effect: service1 as planned, read back from the cluster',
    );
    expect(service1()).toEqual(['Off', 'On']);
    const [intent, outcome] = cli.auditLines().slice(-2);
    expect(intent).toMatchObject({ phase: 'intent', to: 'secondary' });
    expect(outcome).toMatchObject({
      phase: 'outcome',
      id: intent!.id,
      outcome: 'interrupted',
      verified: true,
      readBack: [{ name: 'service1', servingRegion: 'us-west-2' }],
    });
    await cli.emulator.setFault(ONLY, 'none');
    expect((await cli.run(['service1', '--to', 'primary', '--yes'])).exitCode).toBe(0);
  });
});
