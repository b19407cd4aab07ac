import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { ARC_CLUSTER_ENDPOINT_REGIONS } from '@arc-failover/shared';
import { RegionalTargets, topologyWith } from '@arc-failover/testing';
import { writeBookmark, type Bookmark } from '../src/bookmark';
import { DataPlane } from '../src/dataplane/client';
import { ClusterEmulator, SANDBOX_CREDENTIALS } from '../src/emulator';
import { MUTATING_CALL_INTERVAL_MS, resolveTargets, selectApis, switchover } from '../src/switchover';

/**
 * `status` and `--all` at ARC's quota: the entry API and 48 services (98 routing controls, 10 batches),
 * against the ARC emulation on loopback, every endpoint healthy or 4 of 5 hanging (the healthy one is
 * us-east-1). Through the real CLI process (its launcher), and in process side by side: the scheduler's
 * batches spread over the endpoints that answer against one batch at a time (concurrency 1, 350 ms apart,
 * the apply before the scheduler). Loopback figures: they say how the client schedules, nothing about AWS.
 *   npm run bench:scale      (BENCH_SCALE_RUNS=3)
 */

const ROOT = path.resolve(__dirname, '..', '..');
const LAUNCHER = path.join(ROOT, 'arc', 'bin', 'switch.cjs');
const RESULTS = path.join(ROOT, 'bench-results');
const RUNS = Number(process.env.BENCH_SCALE_RUNS ?? 3);
/** `status` has a target with every endpoint healthy; with 4 hanging it is shown, not judged. */
const TARGETS = { status: 1000, healthy: 3000, hanging: 6000 };
const HANGING = ARC_CLUSTER_ENDPOINT_REGIONS.slice(1);

interface Case {
  name: string;
  hanging: readonly string[];
  targetMs: number;
}
const CASES: Case[] = [
  { name: 'every endpoint healthy', hanging: [], targetMs: TARGETS.healthy },
  { name: '4 of 5 hanging', hanging: HANGING, targetMs: TARGETS.hanging },
];

function runCli(args: string[]): Promise<{ code: number | null; ms: number; stderr: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ms: performance.now() - started, stderr }));
  });
}

async function setHanging(emulator: ClusterEmulator, hanging: readonly string[]): Promise<void> {
  for (const region of ARC_CLUSTER_ENDPOINT_REGIONS) {
    await emulator.setFault(region, hanging.includes(region) ? 'hang' : 'none');
  }
}

/** Every API back on its primary, through a healthy cluster, unmeasured. */
async function reset(emulator: ClusterEmulator, bookmark: Bookmark): Promise<void> {
  await setHanging(emulator, []);
  const dataPlane = new DataPlane({ endpoints: emulator.endpoints, credentials: SANDBOX_CREDENTIALS });
  try {
    await switchover({
      dataPlane,
      bookmark,
      targets: resolveTargets(selectApis(bookmark, 'all'), 'primary'),
    });
  } finally {
    dataPlane.close();
  }
}

function median(values: number[]): number {
  return Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!);
}

function worst(values: number[]): number {
  return Math.round(Math.max(...values));
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const emulator = await ClusterEmulator.start({ topology: topologyWith(48), waitPeriodMs: 0 });
  // every switch asks each moving API's target Region first: healthy loopback stand-ins answer
  const targets = await RegionalTargets.start();
  const dir = mkdtempSync(path.join(tmpdir(), 'arc-scale-bench-'));
  const bookmark = targets.withUrls(emulator.bookmark());
  const file = path.join(dir, 'bookmark.json');
  writeBookmark(file, bookmark);
  const common = ['--bookmark', file];
  const audit = ['--audit-log', path.join(dir, 'audit.jsonl')];
  const rows: { what: string; targetMs?: number; runsMs: number[] }[] = [];
  const side: { case: string; scheduler: number[]; oneAtATime: number[] }[] = [];
  try {
    await reset(emulator, bookmark);
    console.log(`49 APIs (${bookmark.services.length * 2} routing controls), ${RUNS} runs per case`);
    for (const c of CASES) {
      await setHanging(emulator, c.hanging);
      const status: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const r = await runCli(['status', ...common]);
        if (r.code !== 0) throw new Error(`status (${c.name}) exited ${r.code}: ${r.stderr}`);
        status.push(r.ms);
      }
      const statusTarget = c.hanging.length === 0 ? TARGETS.status : undefined;
      rows.push({ what: `status, ${c.name}`, targetMs: statusTarget, runsMs: status });
      const all: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        await setHanging(emulator, c.hanging);
        const r = await runCli(['--all', '--to', 'secondary', '--yes', ...common, ...audit]);
        if (r.code !== 0) throw new Error(`--all (${c.name}) exited ${r.code}: ${r.stderr}`);
        all.push(r.ms);
        await reset(emulator, bookmark);
      }
      rows.push({ what: `--all --to secondary, ${c.name}`, targetMs: c.targetMs, runsMs: all });

      const inProcess = { scheduler: [] as number[], oneAtATime: [] as number[] };
      for (let i = 0; i < RUNS; i++) {
        for (const [key, options] of [
          ['scheduler', {}],
          ['oneAtATime', { concurrency: 1, pauseMs: MUTATING_CALL_INTERVAL_MS }],
        ] as const) {
          await setHanging(emulator, c.hanging);
          const dataPlane = new DataPlane({
            endpoints: emulator.endpoints,
            credentials: SANDBOX_CREDENTIALS,
          });
          const started = performance.now();
          const targets = resolveTargets(selectApis(bookmark, 'all'), 'secondary');
          const result = await switchover({ dataPlane, bookmark, targets, ...options });
          inProcess[key].push(performance.now() - started);
          dataPlane.close();
          if (result.outcome !== 'switched') throw new Error(`in process (${c.name}): ${result.outcome}`);
          await reset(emulator, bookmark);
        }
      }
      side.push({ case: c.name, ...inProcess });
    }
  } finally {
    await Promise.all([emulator.close(), targets.close()]);
    rmSync(dir, { recursive: true, force: true });
  }

  const pass = rows.every((r) => r.targetMs === undefined || worst(r.runsMs) < r.targetMs);
  const cliTable = [
    '| CLI process, 49 APIs | median | worst | target |',
    '|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.what} | ${s(median(r.runsMs))} | ${s(worst(r.runsMs))} | ${r.targetMs === undefined ? '-' : `< ${s(r.targetMs)}`} |`,
    ),
  ];
  const sideTable = [
    '| in process, --all --to secondary | scheduler (5 lanes): median / worst | one batch at a time (before): median / worst |',
    '|---|---|---|',
    ...side.map(
      (r) =>
        `| ${r.case} | ${s(median(r.scheduler))} / ${s(worst(r.scheduler))} | ${s(median(r.oneAtATime))} / ${s(worst(r.oneAtATime))} |`,
    ),
  ];
  const summary = `Targets (worst run): ${pass ? 'met' : 'NOT met'}.`;
  console.log(['', ...cliTable, '', ...sideTable, '', summary].join('\n'));

  mkdirSync(RESULTS, { recursive: true });
  const date = new Date().toISOString();
  const doc = {
    benchmark: 'status and --all at 49 APIs',
    date,
    node: process.version,
    cpus: cpus().length,
    runsPerCase: RUNS,
    pass,
    cli: rows,
    inProcess: side,
  };
  writeFileSync(path.join(RESULTS, 'scale.json'), `${JSON.stringify(doc, null, 2)}\n`);
  const md = [
    '# Scale benchmark: 49 APIs',
    '',
    'The entry API and 48 services (98 routing controls; `--all` is 10 batches of whole control panels) against the',
    'ARC emulation on loopback, every endpoint healthy or 4 of 5 hanging (all but us-east-1). The CLI is the real process',
    'through its launcher: `status` reads every control, `--all` reads, sends the 10 batches, reads back. In process,',
    'side by side: the batch scheduler (one lane per endpoint found answering, at most 3 updates per second on each)',
    'against one batch at a time, 350 ms apart (the apply before it). Loopback: no figure here is an AWS figure.',
    `${RUNS} runs per case, ${process.version}, ${cpus().length} CPUs, ${date}.`,
    '',
    ...cliTable,
    '',
    ...sideTable,
    '',
    summary,
    '',
  ].join('\n');
  writeFileSync(path.join(RESULTS, 'scale.md'), md);
  console.log('Wrote bench-results/scale.json and scale.md');
}

main().catch((error: Error) => {
  console.error(`bench:scale: ${error.message}`);
  process.exit(1);
});
