import { CommandError } from '@arc-failover/shared/command';
import { mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { DEFAULT_TOPOLOGY_FILE, parseTopology } from '@arc-failover/shared';
import type { CommonOptions } from '../../src/cli/args';
import { Output } from '../../src/cli/output';
import { runbookCommand, runbookList, type RunbookRequest } from '../../src/cli/runbook';
import { ClusterEmulator } from '../../src/emulator';

// The runbook command in-process: a topology and a bookmark of a stage of its own, the cluster emulator,
// loopback Regional URLs, an audit log in a temporary directory. Jest has no terminal: approvals without a
// gate and confirmations cannot be asked.

const STAGE = 'runbook-cli';
const REPORTS = path.resolve(__dirname, '..', '..', 'reports', STAGE);

let dir: string;
let emulator: ClusterEmulator;
let servers: Server[];
let options: CommonOptions;
const previousTopology = process.env.ARC_FAILOVER_TOPOLOGY;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'runbook-cli-'));
  const doc = JSON.parse(readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8')) as {
    stages: Record<string, unknown>;
    runbooks: Record<string, unknown>;
  };
  doc.stages = { [STAGE]: doc.stages.local };
  doc.runbooks['service1-away'] = { steps: [{ switch: ['service1'], to: 'secondary' }] };
  const topologyFile = path.join(dir, 'topology.json');
  writeFileSync(topologyFile, JSON.stringify(doc));
  process.env.ARC_FAILOVER_TOPOLOGY = topologyFile;
  const topology = parseTopology(doc, STAGE);
  emulator = await ClusterEmulator.start({ topology, waitPeriodMs: 0 });
  emulator.update(
    topology.all.map((api) => ({
      routingControlArn: emulator.routingControlArn(api.name, api.primaryRegion),
      state: 'On',
    })),
  );
  servers = [];
  const bookmark = emulator.bookmark();
  // a name server that never answers: the real proof runs and times out
  bookmark.nameServers = [{ host: '127.0.0.1', port: await closedPort() }];
  for (const api of bookmark.services) {
    api.regions = {};
    for (const region of [api.primaryRegion, api.secondaryRegion]) {
      const server = createServer((_request, response) => response.end('{}'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      const { port } = server.address() as AddressInfo;
      api.regions[region] = { url: `http://127.0.0.1:${port}/`, address: `127.0.0.${servers.length + 1}` };
    }
  }
  const bookmarkFile = path.join(dir, 'bookmark.json');
  writeFileSync(bookmarkFile, JSON.stringify(bookmark));
  options = {
    stage: STAGE,
    stageGiven: true,
    bookmark: bookmarkFile,
    json: false,
    auditLog: path.join(dir, 'audit.jsonl'),
  };
});

afterEach(async () => {
  process.env.ARC_FAILOVER_TOPOLOGY = previousTopology;
  if (previousTopology === undefined) delete process.env.ARC_FAILOVER_TOPOLOGY;
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(REPORTS, { recursive: true, force: true });
});
afterAll(() => {
  // arc/reports itself, if this file made it and nothing else is in it
  try {
    rmdirSync(path.dirname(REPORTS));
  } catch {
    // not empty, or not there
  }
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function capture(): { out: Output; stdout: () => string; stderr: () => string } {
  const streams = [0, 1].map(() => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    return { stream, text: () => text };
  });
  return {
    out: new Output(false, streams[0]!.stream, streams[1]!.stream),
    stdout: streams[0]!.text,
    stderr: streams[1]!.text,
  };
}

const request = (name: string, extra: Partial<RunbookRequest> = {}): RunbookRequest => ({
  name,
  options,
  yes: true,
  dryRun: false,
  overrides: [],
  skipReadiness: false,
  waitTimeoutMs: 300,
  ...extra,
});

async function failure(run: Promise<void>): Promise<CommandError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof CommandError) return error;
    throw error;
  }
  throw new Error('expected the command to fail');
}

const audit = () =>
  readFileSync(options.auditLog!, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
const serving = (api: string, region: string) => emulator.stateOf(emulator.routingControlArn(api, region));

describe('npm run switch -- runbook', () => {
  it('lists the runbooks: name and description on one line, the steps on the next', () => {
    const { out, stdout } = capture();
    runbookList(options, out);
    expect(stdout().split('\n').slice(0, 4)).toEqual([
      'evacuate-us-east-1: Every API off us-east-1: the services first, then, once approved, the public entry.',
      '  1. switch service1, service2 -> us-west-2; 2. approval (up to 1800 s): the services serve from us-west-2: move the public entry; 3. switch external-api -> us-west-2',
      'return-to-primary: Every API back on its primary: the public entry first, then the services, in the reverse order of the evacuation.',
      '  1. switch external-api -> primary; 2. approval (up to 1800 s): the public entry is back on its primary: move the services; 3. switch service1, service2 -> primary',
    ]);
  });

  it('--dry-run shows the evaluation and each step’s plan, changes nothing, exits 1 for a run it would refuse', async () => {
    const { out, stdout } = capture();
    const error = await failure(
      runbookCommand(request('evacuate-us-east-1', { yes: false, dryRun: true }), out, ['runbook']),
    );
    expect(error).toMatchObject({
      exitCode: 1,
      message:
        'the runbook would be refused: approval step 2 needs an approver: run on a terminal or turn on the approval gate',
    });

    const lines = stdout().split('\n');
    expect(lines[0]).toBe(
      'Runbook evacuate-us-east-1: Every API off us-east-1: the services first, then, once approved, the public entry.',
    );
    expect(lines).toContain('Evaluation:');
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}FAILED {2}approvals: approval step 2 needs an approver: run on a terminal/),
    );
    expect(lines).toContain('step 1/3 switch service1, service2 -> us-west-2');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}Plan:$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {4}service1 .*traffic us-east-1 -> us-west-2 \(secondary\)$/),
    );
    expect(serving('service1', 'us-east-1')).toBe('On');
    expect(emulator.operationCounts().UpdateRoutingControlStates).toBe(0);
    expect(audit()).toEqual([
      expect.objectContaining({ action: 'runbook', outcome: 'dry-run', exitCode: 1 }),
    ]);
  });

  it('--dry-run of a runbook it would run exits 0', async () => {
    const { out, stdout } = capture();
    await runbookCommand(request('service1-away', { yes: false, dryRun: true }), out, ['runbook']);
    expect(stdout()).toContain('Dry run: nothing changed.');
    expect(emulator.operationCounts().UpdateRoutingControlStates).toBe(0);
    expect(audit()).toEqual([expect.objectContaining({ outcome: 'dry-run', exitCode: 0 })]);
  });

  it('refuses before the first step, with nothing changed, an approval nobody can answer', async () => {
    const { out, stdout } = capture();
    const error = await failure(runbookCommand(request('evacuate-us-east-1'), out, ['runbook']));

    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(
      'runbook evacuate-us-east-1 refused before its first step, nothing changed: approval step 2 needs an approver: run on a terminal or turn on the approval gate',
    );
    expect(emulator.operationCounts().UpdateRoutingControlStates).toBe(0);
    const [entry, ...more] = audit();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      action: 'runbook',
      runbook: 'evacuate-us-east-1',
      outcome: 'refused',
      exitCode: 1,
      id: expect.any(String),
      report: expect.stringMatching(/\.json$/),
    });
    const report = JSON.parse(readFileSync(entry!.report as string, 'utf8')) as {
      id: string;
      outcome: string;
    };
    expect(report).toMatchObject({ id: entry!.id, outcome: 'refused' });
    expect(stdout()).toContain(`Report: ${entry!.report as string}`);
  });

  it('runs with --yes, one timestamped line per event, and exits 4 when the switch is not proven in time', async () => {
    const { out, stdout } = capture();
    const error = await failure(runbookCommand(request('service1-away'), out, ['runbook', 'run']));

    expect(error.exitCode).toBe(4);
    expect(error.message).toMatch(/^step 1\/1: switched, but not proven within --wait-timeout 0.3 s: /);
    expect(serving('service1', 'us-west-2')).toBe('On');
    const events = stdout()
      .split('\n')
      .filter((line) => /^\d\d:\d\d:\d\d\.\d{3} /.test(line))
      .map((line) => line.slice(13));
    expect(events).toEqual(
      expect.arrayContaining([
        'step 1/1 switch service1 -> secondary: service1 us-east-1 -> us-west-2 (one atomic call)',
        'step 1/1: read back: service1 on us-west-2 (secondary)',
        error.message,
      ]),
    );
    expect(events.at(-1)).toMatch(/^runbook service1-away: not-proven at step 1\/1 \(exit 4\) after/);
    expect(audit()).toEqual([
      expect.objectContaining({
        action: 'runbook',
        runbook: 'service1-away',
        outcome: 'not-proven',
        exitCode: 4,
      }),
    ]);
  });

  it('refuses to run without --yes when there is no terminal to confirm on', async () => {
    const { out } = capture();
    const error = await failure(runbookCommand(request('service1-away', { yes: false }), out, ['runbook']));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      'not running the runbook without confirmation: no terminal to ask on; pass --yes (automation) or --dry-run (evaluation and plans only)',
    );
  });

  it('refuses an unknown runbook and a --resume report of another runbook', async () => {
    const { out } = capture();
    expect((await failure(runbookCommand(request('nope'), out, []))).message).toBe(
      'unknown runbook "nope" (known: evacuate-us-east-1, return-to-primary, service1-away; see npm run switch -- runbook list)',
    );
    const other = path.join(dir, 'other.json');
    writeFileSync(
      other,
      JSON.stringify({
        version: 1,
        id: 'r-1',
        kind: 'runbook',
        runbook: 'return-to-primary',
        stage: STAGE,
        steps: [],
      }),
    );
    const error = await failure(runbookCommand(request('service1-away', { resume: other }), out, []));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      `--resume ${other}: the report r-1 is of the runbook return-to-primary, not service1-away: resume a run of the same runbook`,
    );
  });
});
