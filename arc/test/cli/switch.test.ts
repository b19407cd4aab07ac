import { Writable } from 'node:stream';
import { ARC_CLUSTER_ENDPOINT_REGIONS, loadTopology } from '@arc-failover/shared';
import { parseArgs, type Command } from '../../src/cli/args';
import { InterruptTrap } from '../../src/cli/interrupt';
import { Output } from '../../src/cli/output';
import { prepareSwitch, runSwitch, type SwitchReport } from '../../src/cli/switch';
import { DataPlane } from '../../src/dataplane/client';
import { ClusterEmulator, SANDBOX_CREDENTIALS } from '../../src/emulator';

/** Longer than the test: only the write timeout may fire. */
const NEVER_MS = 20_000;
const WRITE_TIMEOUT_MS = 300;
const [first, second] = ARC_CLUSTER_ENDPOINT_REGIONS;

let emulator: ClusterEmulator;
beforeEach(async () => {
  // every control Off, no wait period running; after a change, a wait period no retry can outlast
  emulator = await ClusterEmulator.start({ topology: loadTopology('local'), waitPeriodMs: 10_000 });
});
afterEach(() => emulator.close());

function text(): { stream: Writable; read: () => string } {
  let written = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString();
      done();
    },
  });
  return { stream, read: () => written };
}

describe('a switch whose update timed out on one endpoint and was refused on the next', () => {
  it('succeeds when the states read back are the plan: the timed-out attempt had been applied', async () => {
    // reads are answered; an update is applied and its answer lost
    await emulator.setFault(first!, 'hang-after-update');
    const bookmark = emulator.bookmark();
    const byRegion = (region: string) => ARC_CLUSTER_ENDPOINT_REGIONS.indexOf(region as never);
    const dataPlane = new DataPlane({
      endpoints: emulator.endpoints.filter((e) => e.region === first || e.region === second),
      credentials: SANDBOX_CREDENTIALS,
      connectTimeoutMs: NEVER_MS,
      timeoutMs: NEVER_MS,
      hedgeDelayMs: NEVER_MS,
      writeTimeoutMs: WRITE_TIMEOUT_MS,
      // the first endpoint answers the read, so the update goes there first
      shuffle: (endpoints) => [...endpoints].sort((a, b) => byRegion(a.region) - byRegion(b.region)),
    });
    const command = parseArgs(['service1', '--to', 'secondary', '--yes', '--skip-readiness']) as Extract<
      Command,
      { kind: 'switch' }
    >;
    const [stdout, stderr] = [text(), text()];
    const out = new Output(false, stdout.stream, stderr.stream);
    const report: SwitchReport = {
      outcome: 'failed',
      to: 'secondary',
      overrides: [],
      endpoints: [],
      skippedReadiness: true,
    };
    const interrupt = new InterruptTrap('', () => undefined);
    try {
      const session = {
        bookmark,
        bookmarkFile: 'bookmark.json',
        credentials: SANDBOX_CREDENTIALS,
        dataPlane,
      };
      await runSwitch(command, prepareSwitch(command, bookmark), session, out, report, interrupt);
    } finally {
      interrupt.release();
      dataPlane.close();
    }
    out.flushNotes();

    expect(report).toMatchObject({ outcome: 'switched', verified: true });
    expect(report.endpoints).toEqual([
      expect.objectContaining({ call: 'read', answeredBy: expect.objectContaining({ region: first }) }),
      {
        call: 'update 1/1',
        rejectedBy: expect.objectContaining({ region: second }),
        failed: [expect.objectContaining({ region: first, kind: 'timeout' })],
      },
      expect.objectContaining({ call: 'read back' }),
    ]);
    // the second endpoint's refusal: the wait period the first attempt's own change had started
    expect(emulator.operationCounts().UpdateRoutingControlStates).toBe(2);
    expect(stdout.read()).toContain(
      'Switched service1: traffic now on us-west-2 (secondary); verified by reading the states back.',
    );
    expect(stderr.read()).toContain(
      'note: the update got no clear answer, but the cluster holds the target states',
    );
    expect(emulator.stateOf(emulator.routingControlArn('service1', 'us-west-2'))).toBe('On');
    expect(emulator.stateOf(emulator.routingControlArn('service1', 'us-east-1'))).toBe('Off');
  });
});
