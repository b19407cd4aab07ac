import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { ARC_CLUSTER_ENDPOINT_REGIONS, loadTopology } from '@arc-failover/shared';
import { RegionalTargets } from '@arc-failover/testing';
import { writeBookmark } from '../src/bookmark';
import { ClusterEmulator, type EndpointFault } from '../src/emulator';

/**
 * Wall time of a one-service switch with failing cluster endpoints: our CLI (the real process) against a
 * baseline doing what the common samples do (arc/bench/baseline.ts). Both run as processes, so both pay
 * Node start-up and the SDK import. The faulted endpoints are the first ones of the bookmark, as when the
 * failing Region's endpoint is listed first. The emulation's safety-rule wait period is 0 here so that
 * back-to-back switches of the same service are allowed.
 * First, the CLI's start-up: `--help` and a `status` against the emulation, through the launcher and, as
 * the baseline, through tsx as `npm run switch` used to, beside a bare `node -e 0` (what no Node program
 * can beat on this machine); the three interleaved, so a busy machine slows each alike.
 * Every switch of ours runs the readiness gate: a GET of the API's own URL in its target Region, served by
 * loopback stand-ins (RegionalTargets, all healthy). Then the gate's cost: the same switch with readiness
 * and with --skip-readiness, interleaved, with 0 and with 4 of 5 cluster endpoints hanging.
 *   npm run bench:switch      (BENCH_RUNS=7, BENCH_STARTUP_RUNS=20, BENCH_BASELINE_CAP_S=60)
 */

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
/** The CLI as `npm run switch` runs it: one Node process on its prebuilt bundle. */
const LAUNCHER = path.join(ROOT, 'arc', 'bin', 'switch.cjs');
/** The CLI's TypeScript entry, as `npm run switch` ran it before: tsx, compiling on the fly, and its child. */
const CLI = path.join(ROOT, 'arc', 'src', 'cli', 'main.ts');
const BASELINE = path.join(ROOT, 'arc', 'bench', 'baseline.ts');
const RESULTS = path.join(ROOT, 'bench-results');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 20);
const STARTUP_TARGET_MS = 150;
const CAP_MS = Number(process.env.BENCH_BASELINE_CAP_S ?? 60) * 1000;
const TARGET_MS = 2000;
const API = 'service1';

interface Case {
  name: string;
  fault: EndpointFault;
  count: number;
}

const CASES: Case[] = [
  ...[0, 1, 2, 3, 4].map((count) => ({ name: `${count} of 5 hanging`, fault: 'hang' as const, count })),
  { name: '4 of 5 refusing', fault: 'refuse', count: 4 },
];
/** With readiness and with --skip-readiness, side by side. */
const READINESS_CASES = CASES.filter((c) => c.fault === 'hang' && (c.count === 0 || c.count === 4));

interface Timing {
  medianMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  runsMs: number[];
  /** Runs stopped at the cap (never finished). */
  capped: number;
}

/** A cluster of its own, every API's Regional URL for readiness, its bookmark, and every API on its primary. */
class Bench {
  private constructor(
    readonly emulator: ClusterEmulator,
    readonly targets: RegionalTargets,
    readonly dir: string,
  ) {}

  static async start(): Promise<Bench> {
    const [emulator, targets] = await Promise.all([
      ClusterEmulator.start({ topology: loadTopology('local'), waitPeriodMs: 0 }),
      RegionalTargets.start(),
    ]);
    const bench = new Bench(emulator, targets, mkdtempSync(path.join(tmpdir(), 'arc-bench-')));
    writeBookmark(bench.bookmark, targets.withUrls(emulator.bookmark()));
    const ready = await bench.cli(['--all', '--to', 'primary', '--yes']);
    if (ready.code !== 0) throw new Error(`could not put every API on its primary: ${ready.stderr}`);
    return bench;
  }

  get bookmark(): string {
    return path.join(this.dir, 'bookmark.json');
  }

  get auditLog(): string {
    return path.join(this.dir, 'audit.jsonl');
  }

  cli(args: string[]): Promise<Run> {
    return run(process.execPath, [
      LAUNCHER,
      ...args,
      '--bookmark',
      this.bookmark,
      '--audit-log',
      this.auditLog,
    ]);
  }

  /** How long the last switch's readiness GET took, as its audit line records it. */
  lastReadinessMs(): number | undefined {
    const lines = readFileSync(this.auditLog, 'utf8').trim().split('\n');
    const outcome = JSON.parse(lines.at(-1)!) as { readiness?: { elapsedMs: number }[] };
    return outcome.readiness?.[0]?.elapsedMs;
  }

  async fault(c: Case): Promise<void> {
    for (const [i, region] of ARC_CLUSTER_ENDPOINT_REGIONS.entries()) {
      await this.emulator.setFault(region, i < c.count ? c.fault : 'none');
    }
  }

  /** The Region service1 is not on: where the next switch goes. */
  nextTarget(): string {
    const primaryOn = this.emulator.stateOf(this.emulator.routingControlArn(API, 'us-east-1')) === 'On';
    return primaryOn ? 'us-west-2' : 'us-east-1';
  }

  /** After a switch, the target On and the other Off, or the switch did not happen. */
  check(target: string, what: string): void {
    const other = target === 'us-east-1' ? 'us-west-2' : 'us-east-1';
    const state = (r: string) => this.emulator.stateOf(this.emulator.routingControlArn(API, r));
    if (state(target) !== 'On' || state(other) !== 'Off')
      throw new Error(`${what}: ${API} did not reach ${target}`);
  }

  async close(): Promise<void> {
    await Promise.all([this.emulator.close(), this.targets.close()]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

interface Run {
  code: number | null;
  ms: number;
  stderr: string;
  capped: boolean;
}

function run(command: string, args: string[], capMs = CAP_MS): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // Its own process group, so the cap stops tsx and the Node process it starts alike.
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    let capped = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const cap = setTimeout(() => {
      capped = true;
      process.kill(-child.pid!, 'SIGKILL');
    }, capMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(cap);
      resolve({ code, ms: performance.now() - started, stderr, capped });
    });
  });
}

function timing(runsMs: number[], capped = 0): Timing {
  const sorted = [...runsMs].sort((a, b) => a - b);
  const round = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms));
  return {
    medianMs: capped > 0 ? null : round(sorted[Math.floor(sorted.length / 2)]),
    minMs: round(sorted[0]),
    maxMs: round(sorted.at(-1)),
    runsMs: runsMs.map(Math.round),
    capped,
  };
}

/** Our CLI, RUNS switches back and forth per case, one cluster for all cases. */
async function measureOurs(bench: Bench): Promise<Timing[]> {
  const results: Timing[] = [];
  for (const c of CASES) {
    await bench.fault(c);
    const runsMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const target = bench.nextTarget();
      const r = await bench.cli([API, '--to', target, '--yes']);
      if (r.code !== 0) throw new Error(`our CLI failed (${c.name}): ${r.stderr}`);
      bench.check(target, `our CLI (${c.name})`);
      runsMs.push(r.ms);
    }
    results.push(timing(runsMs));
    console.log(`  ours     ${c.name.padEnd(16)} ${format(results.at(-1)!)}`);
  }
  await bench.fault({ name: 'none', fault: 'none', count: 0 });
  return results;
}

interface ReadinessRow {
  case: string;
  faulted: string[];
  withReadiness: Timing;
  skipReadiness: Timing;
  /** Median with readiness minus median with --skip-readiness. */
  overheadMs: number;
  /** The gate's own GET of the target, as the audit log records it: median. */
  readinessGetMs: number;
}

/**
 * The same switch with the readiness gate and with --skip-readiness, alternating run by run so that load
 * from elsewhere falls on both alike; RUNS of each per case.
 */
async function measureReadiness(bench: Bench): Promise<ReadinessRow[]> {
  const rows: ReadinessRow[] = [];
  for (const c of READINESS_CASES) {
    await bench.fault(c);
    const times = { with: [] as number[], skip: [] as number[], get: [] as number[] };
    for (let i = 0; i < 2 * RUNS; i++) {
      const skip = i % 2 === 1;
      const target = bench.nextTarget();
      const r = await bench.cli([API, '--to', target, '--yes', ...(skip ? ['--skip-readiness'] : [])]);
      if (r.code !== 0)
        throw new Error(`our CLI failed (${c.name}, ${skip ? 'skip' : 'with'} readiness): ${r.stderr}`);
      bench.check(target, `our CLI (${c.name})`);
      if (skip) times.skip.push(r.ms);
      else {
        times.with.push(r.ms);
        const getMs = bench.lastReadinessMs();
        if (getMs === undefined)
          throw new Error(`the audit line of a switch with readiness has no readiness answer`);
        times.get.push(getMs);
      }
    }
    const [withReadiness, skipReadiness] = [timing(times.with), timing(times.skip)];
    const row: ReadinessRow = {
      case: c.name,
      faulted: ARC_CLUSTER_ENDPOINT_REGIONS.slice(0, c.count),
      withReadiness,
      skipReadiness,
      overheadMs: withReadiness.medianMs! - skipReadiness.medianMs!,
      readinessGetMs: timing(times.get).medianMs!,
    };
    rows.push(row);
    console.log(
      `  readiness ${c.name.padEnd(15)} with ${format(withReadiness)}   --skip-readiness ${format(skipReadiness)}   overhead ${milliseconds(row.overheadMs)} (its GET ${row.readinessGetMs} ms)`,
    );
  }
  await bench.fault({ name: 'none', fault: 'none', count: 0 });
  return rows;
}

/**
 * The baseline for one case on a cluster of its own. A run that hits the cap never finished: the fixed
 * order and no timeout make it deterministic, so it is not repeated.
 */
async function measureBaseline(c: Case): Promise<Timing> {
  const bench = await Bench.start();
  try {
    await bench.fault(c);
    const runsMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const target = bench.nextTarget();
      const r = await run(TSX, [BASELINE, bench.bookmark, API, target]);
      if (r.capped) return timing(runsMs, 1);
      if (r.code !== 0) throw new Error(`baseline failed (${c.name}): ${r.stderr}`);
      bench.check(target, `baseline (${c.name})`);
      runsMs.push(r.ms);
    }
    return timing(runsMs);
  } finally {
    await bench.close();
  }
}

interface Spread {
  medianMs: number;
  p90Ms: number;
  runsMs: number[];
}

function spread(runsMs: number[]): Spread {
  const sorted = [...runsMs].sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  return { medianMs: at(0.5), p90Ms: at(0.9), runsMs: runsMs.map(Math.round) };
}

interface StartupRow {
  what: string;
  launcher: Spread;
  tsx: Spread;
  node: Spread;
}

/**
 * STARTUP_RUNS rounds; each round runs the launcher, the tsx baseline and `node -e 0` once, in turn, so that
 * load from elsewhere falls on all three.
 */
async function measureStartup(bench: Bench): Promise<StartupRow[]> {
  const status = ['status', '--bookmark', bench.bookmark];
  const cases = [
    { what: '--help', args: ['--help'] },
    { what: 'status (emulation)', args: status },
  ];
  const rows: StartupRow[] = [];
  for (const { what, args } of cases) {
    const times = { launcher: [] as number[], tsx: [] as number[], node: [] as number[] };
    for (let i = 0; i < STARTUP_RUNS; i++) {
      const launched = await run(process.execPath, [LAUNCHER, ...args]);
      const tsx = await run(TSX, [CLI, ...args]);
      const node = await run(process.execPath, ['-e', '0']);
      for (const r of [launched, tsx]) {
        if (r.code !== 0) throw new Error(`CLI start-up (${what}) failed: ${r.stderr}`);
      }
      times.launcher.push(launched.ms);
      times.tsx.push(tsx.ms);
      times.node.push(node.ms);
    }
    rows.push({ what, launcher: spread(times.launcher), tsx: spread(times.tsx), node: spread(times.node) });
    const r = rows.at(-1)!;
    console.log(
      `  CLI start-up, ${what.padEnd(18)} launcher ${spreadText(r.launcher)}   tsx (before) ${spreadText(r.tsx)}   node -e 0 ${spreadText(r.node)}`,
    );
  }
  return rows;
}

function spreadText(s: Spread): string {
  return `${seconds(s.medianMs)} / ${seconds(s.p90Ms)}`;
}

function format(t: Timing): string {
  if (t.capped > 0) return `> ${CAP_MS / 1000} s (did not finish)`;
  return `${seconds(t.medianMs!)} (${seconds(t.minMs!)}-${seconds(t.maxMs!)})`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function milliseconds(ms: number): string {
  return `${ms >= 0 ? '+' : ''}${Math.round(ms)} ms`;
}

async function main(): Promise<void> {
  console.log(`Switching ${API} against the ARC emulation, ${RUNS} runs per case (median, min-max)`);
  const bench = await Bench.start();
  let ours: Timing[];
  let startup: StartupRow[];
  let readiness: ReadinessRow[];
  try {
    console.log(`CLI start-up, ${STARTUP_RUNS} runs each (median / p90)`);
    startup = await measureStartup(bench);
    ours = await measureOurs(bench);
    console.log(`The readiness gate: with it and with --skip-readiness, ${RUNS} runs each, interleaved`);
    readiness = await measureReadiness(bench);
  } finally {
    await bench.close();
  }

  // Cases that can stall wait out the cap together, each on its own cluster; the others run alone.
  const stalls = (c: Case) => c.fault === 'hang' && c.count > 0;
  const baseline = new Map<Case, Timing>();
  for (const c of CASES.filter((c) => !stalls(c))) baseline.set(c, await measureBaseline(c));
  const stalling = CASES.filter(stalls);
  const stalled = await Promise.all(stalling.map((c) => measureBaseline(c)));
  stalling.forEach((c, i) => baseline.set(c, stalled[i]!));

  const rows = CASES.map((c, i) => ({
    case: c.name,
    faulted: ARC_CLUSTER_ENDPOINT_REGIONS.slice(0, c.count),
    ours: ours[i]!,
    baseline: baseline.get(c)!,
  }));
  // the worst run, not only the median: an operator gets one run, not the median of seven
  const pass = rows.every((r) => r.ours.maxMs! < TARGET_MS);
  const table = [
    '| case | our CLI: median (min-max) | baseline: median (min-max) |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.case} | ${format(r.ours)} | ${format(r.baseline)} |`),
  ];
  const summary = `Target: our CLI under ${TARGET_MS / 1000} s in every case, median and worst run: ${pass ? 'met' : 'NOT met'}.`;
  const readinessPass = readiness.every((r) => r.withReadiness.maxMs! < TARGET_MS);
  const readinessTable = [
    '| cluster endpoints | with readiness: median (min-max) | --skip-readiness: median (min-max) | readiness overhead (medians) | its GET (median, audit log) |',
    '|---|---|---|---|---|',
    ...readiness.map(
      (r) =>
        `| ${r.case} | ${format(r.withReadiness)} | ${format(r.skipReadiness)} | ${milliseconds(r.overheadMs)} | ${r.readinessGetMs} ms |`,
    ),
  ];
  const readinessSummary = `Target: the whole switch with readiness under ${TARGET_MS / 1000} s, median and worst run: ${readinessPass ? 'met' : 'NOT met'}.`;
  // Start-up is what launching costs before any work: --help. A status adds its reads of the cluster.
  const startupPass = startup[0]!.launcher.medianMs < STARTUP_TARGET_MS;
  const startupTable = [
    '| CLI start-up: median / p90 | launcher (`npm run switch` now) | tsx (before) | `node -e 0` (floor) |',
    '|---|---|---|---|',
    ...startup.map(
      (r) => `| ${r.what} | ${spreadText(r.launcher)} | ${spreadText(r.tsx)} | ${spreadText(r.node)} |`,
    ),
  ];
  const startupSummary = `Target: CLI start-up (--help) through the launcher under ${STARTUP_TARGET_MS / 1000} s (median): ${startupPass ? 'met' : 'NOT met'}.`;
  console.log(
    [
      '',
      ...startupTable,
      '',
      startupSummary,
      '',
      ...table,
      '',
      summary,
      '',
      ...readinessTable,
      '',
      readinessSummary,
    ].join('\n'),
  );

  mkdirSync(RESULTS, { recursive: true });
  const doc = {
    benchmark: 'switch one service with failing ARC cluster endpoints',
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    runsPerCase: RUNS,
    baselineCapSeconds: CAP_MS / 1000,
    targetMs: TARGET_MS,
    pass,
    readinessPass,
    startupRuns: STARTUP_RUNS,
    startupTargetMs: STARTUP_TARGET_MS,
    startupPass,
    cliStartup: startup,
    cases: rows,
    readiness,
  };
  writeFileSync(path.join(RESULTS, 'switch.json'), `${JSON.stringify(doc, null, 2)}\n`);
  const md = [
    '# Switch benchmark',
    '',
    `Switching ${API} through the real CLI process (a read of its two routing controls, one GetRoutingControlState call`,
    'each, hedged: one endpoint, then after 400 ms all the others; one UpdateRoutingControlStates call; a read back),',
    'against the ARC emulation on loopback, with some of the five cluster endpoints failing (the first ones of the',
    'bookmark; the CLI picks its first endpoint at random). Baseline: what the common samples do, per routing control',
    'one UpdateRoutingControlState call, endpoints tried in listed order with a default SDK client (no timeouts, 3 attempts',
    `per endpoint); stopped at ${CAP_MS / 1000} s. Both are processes: ours through its launcher (Node, the`,
    'prebuilt bundle, the SDK), the baseline through tsx (which also compiles it on the fly). Ours checks readiness',
    "first (a GET of service1's own URL in its target Region: a healthy loopback stand-in), as every switch does.",
    `${RUNS} runs per case, ${process.version}, ${cpus().length} CPUs, ${doc.date}.`,
    '',
    `CLI start-up: wall time of ${STARTUP_RUNS} process runs each, interleaved; \`status\` reads every routing`,
    'control from the emulation. tsx is how `npm run switch` launched the CLI before; `node -e 0` is Node alone.',
    '',
    ...startupTable,
    '',
    startupSummary,
    '',
    ...table,
    '',
    summary,
    '',
    '## The readiness gate',
    '',
    `The same switch of ${API} with the readiness gate and with \`--skip-readiness\`, alternating run by run, ${RUNS} runs`,
    'each, with no and with 4 of the 5 cluster endpoints hanging. The overhead is the difference of the medians; "its',
    'GET" is how long the gate\'s GET of the target took, as the audit line records it.',
    '',
    ...readinessTable,
    '',
    readinessSummary,
    '',
  ].join('\n');
  writeFileSync(path.join(RESULTS, 'switch.md'), md);
  console.log(`Wrote ${path.relative(ROOT, path.join(RESULTS, 'switch.json'))} and switch.md`);
}

main().catch((error: Error) => {
  console.error(`bench:switch: ${error.message}`);
  process.exit(1);
});
