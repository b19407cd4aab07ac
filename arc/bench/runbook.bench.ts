import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { runProjectCommand } from '@arc-failover/shared';
import type { ExecutionReport } from '../src/report';

/**
 * A runbook end to end through the real CLI process: `runbook evacuate-us-east-1`, then
 * `return-to-primary`, against the sandbox (the ARC cluster emulation, the Regional APIs for readiness,
 * the sandbox DNS for the proof) with the approval gate on, with 0 and 4 of the 5 cluster endpoints
 * hanging (the first ones of the bookmark). The approver turns every gate On before each run (not timed),
 * so the approval step passes at its first read of the gates; its time counts as a wait, as do the
 * proof's (DNS and HTTP showing the target, bounded by the record TTL). Beside it, the same moves made by
 * single `npm run switch` calls (no --wait: no proof), in the same run, on the same sandbox.
 *   npm run bench:runbook      (BENCH_RUNS=3)
 */

const ROOT = path.resolve(__dirname, '..', '..');
const LAUNCHER = path.join(ROOT, 'arc', 'bin', 'switch.cjs');
const RESULTS = path.join(ROOT, 'bench-results');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TTL_SECONDS = 1;
const TARGETS = { 0: 1000, 4: 2000 } as Record<number, number>;
const HANGING = [0, 4];

interface Run {
  code: number | null;
  ms: number;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ms: performance.now() - started, stdout, stderr }));
  });
}

/** Per switch step: its time, the proof's wait in it, and the rest (the step's own work). */
interface StepTiming {
  step: string;
  totalMs: number;
  waitMs: number;
  workMs: number;
}

interface RunbookTiming {
  wallMs: number;
  /** Approval waits and proof waits, summed. */
  waitsMs: number;
  /** Wall time minus the waits: process start-up, evaluation, the steps' own work. */
  netMs: number;
  steps: StepTiming[];
}

const ms = (from?: string, to?: string) => (from && to ? Date.parse(to) - Date.parse(from) : 0);

function timingOf(r: Run, report: ExecutionReport): RunbookTiming {
  const steps: StepTiming[] = [];
  let waitsMs = 0;
  for (const step of report.steps) {
    const totalMs = ms(step.startedAt, step.finishedAt);
    if (step.kind === 'switch') {
      const proofMs = Math.max(
        0,
        ...(step.proof?.apis ?? []).map((a) => Math.max(a.dnsMs ?? 0, a.httpMs ?? 0)),
      );
      // the proof's times count from the update: its answer and the read back fall in the wait too
      const waitMs = Math.min(totalMs, proofMs);
      waitsMs += waitMs;
      steps.push({
        step: `${step.index + 1} switch ${step.target}`,
        totalMs,
        waitMs,
        workMs: totalMs - waitMs,
      });
    } else {
      const waitMs = step.kind === 'approval' ? (step.waitedMs ?? totalMs) : totalMs;
      waitsMs += waitMs;
      steps.push({ step: `${step.index + 1} ${step.kind}`, totalMs, waitMs, workMs: totalMs - waitMs });
    }
  }
  return { wallMs: r.ms, waitsMs, netMs: r.ms - waitsMs, steps };
}

/** `npm start -- --approval-gate` as its own process, on free ports, with a bookmark of its own. */
class Bench {
  private constructor(
    readonly sandbox: ChildProcess,
    readonly dir: string,
  ) {}

  static async start(): Promise<Bench> {
    const dir = mkdtempSync(path.join(tmpdir(), 'arc-runbook-bench-'));
    const bookmark = path.join(dir, 'bookmark.json');
    const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
    const main = path.join(ROOT, 'scripts', 'sandbox', 'src', 'commands', 'start', 'main.ts');
    const child = spawn(
      tsx,
      [
        main,
        '--approval-gate',
        '--quiet',
        '--bookmark',
        bookmark,
        '--ttl',
        String(TTL_SECONDS),
        '--wait-period-ms',
        '0',
        ...['--port', '0', '--api-port', '0', '--dns-port', '0', '--admin-port', '0', '--arc-ports', '0'],
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const seen = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Watch a failover')) resolve();
      };
      child.stdout.on('data', seen);
      child.stderr.on('data', seen);
      child.on('close', (code) => reject(new Error(`npm start ended (exit ${code}):\n${output}`)));
    });
    return new Bench(child, dir);
  }

  cli(...args: string[]): Promise<Run> {
    const audited = args[0] === 'status' ? [] : ['--audit-log', path.join(this.dir, 'audit.jsonl')];
    return run([...args, '--bookmark', path.join(this.dir, 'bookmark.json'), ...audited]);
  }

  async must(...args: string[]): Promise<Run> {
    const r = await this.cli(...args);
    if (r.code !== 0) throw new Error(`npm run switch -- ${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
    return r;
  }

  /** The first `count` endpoints of the bookmark hang (npm run fault -- arc <region> hang), the rest answer. */
  async hang(count: number): Promise<void> {
    const bookmark = path.join(this.dir, 'bookmark.json');
    const { endpoints } = JSON.parse(readFileSync(bookmark, 'utf8')) as { endpoints: { region: string }[] };
    for (const [i, { region }] of endpoints.entries()) {
      const fault = i < count ? 'hang' : 'none';
      if (this.faults.get(region) === fault) continue;
      const r = await runProjectCommand('fault', ['arc', region, fault, '--bookmark', bookmark]);
      if (r.exitCode !== 0) throw new Error(`npm run fault -- arc ${region} ${fault}: ${r.stderr}`);
      this.faults.set(region, fault);
    }
  }

  private readonly faults = new Map<string, string>();

  /** A timed runbook run with every gate On beforehand; its report read and removed from arc/reports. */
  async runbook(name: string, hanging: number): Promise<RunbookTiming> {
    await this.must('approve', '--all');
    await this.hang(hanging);
    const r = await this.cli('runbook', name, '--yes', '--wait-timeout', '10');
    await this.hang(0);
    await this.must('revoke', '--all');
    const file = /^Report: (.+\.json)$/m.exec(r.stdout)?.[1];
    if (r.code !== 0 || !file) throw new Error(`runbook ${name}: exit ${r.code}: ${r.stderr}`);
    const report = JSON.parse(readFileSync(file, 'utf8')) as ExecutionReport;
    for (const ext of ['.json', '.md', '.svg']) rmSync(file.replace(/\.json$/, ext), { force: true });
    return timingOf(r, report);
  }

  /** The same moves as single switch calls, each timed (readiness on, no --wait). */
  async singles(moves: string[][], hanging: number): Promise<number[]> {
    await this.must('approve', '--all');
    await this.hang(hanging);
    const times: number[] = [];
    try {
      for (const move of moves) times.push((await this.must(...move, '--yes')).ms);
    } finally {
      await this.hang(0);
      await this.must('revoke', '--all');
    }
    return times;
  }

  async close(): Promise<void> {
    const ended = new Promise((resolve) => this.sandbox.once('close', resolve));
    this.sandbox.kill('SIGINT');
    await ended;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const EVACUATE = [
  ['service1', 'service2', '--to', 'us-west-2'],
  ['external-api', '--to', 'us-west-2'],
];
const RETURN = [
  ['external-api', '--to', 'primary'],
  ['service1', 'service2', '--to', 'primary'],
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]!);
}

const s = (value: number) => `${(value / 1000).toFixed(2)} s`;

interface Row {
  hanging: number;
  runbook: string;
  wallMs: number;
  waitsMs: number;
  netMs: number;
  /** Median per switch step: the step's own work (its time minus the proof's wait). */
  stepWorkMs: number[];
  stepTotalMs: number[];
  approvalWaitMs: number;
  /** The same moves by single switch processes: median of each, and their sum. */
  singleSwitchMs: number[];
  singleSumMs: number;
  worstStepWorkMs: number;
  pass: boolean;
}

async function main(): Promise<void> {
  console.log(
    `Runbooks through the CLI against the sandbox (approval gate on), ${RUNS} runs per case (median)`,
  );
  const bench = await Bench.start();
  const rows: Row[] = [];
  try {
    for (const hanging of HANGING) {
      const runs = { evacuate: [] as RunbookTiming[], back: [] as RunbookTiming[] };
      const singles = { evacuate: [] as number[][], back: [] as number[][] };
      for (let i = 0; i < RUNS; i++) {
        runs.evacuate.push(await bench.runbook('evacuate-us-east-1', hanging));
        runs.back.push(await bench.runbook('return-to-primary', hanging));
        singles.evacuate.push(await bench.singles(EVACUATE, hanging));
        singles.back.push(await bench.singles(RETURN, hanging));
      }
      for (const [name, key] of [
        ['evacuate-us-east-1', 'evacuate'],
        ['return-to-primary', 'back'],
      ] as const) {
        const timings = runs[key];
        const switchSteps = (t: RunbookTiming) => t.steps.filter((st) => st.step.includes('switch'));
        const stepWorkMs = [0, 1].map((j) => median(timings.map((t) => switchSteps(t)[j]!.workMs)));
        const singleSwitchMs = [0, 1].map((j) => median(singles[key].map((m) => m[j]!)));
        const worstStepWorkMs = Math.max(...timings.flatMap((t) => switchSteps(t).map((st) => st.workMs)));
        const row: Row = {
          hanging,
          runbook: name,
          wallMs: median(timings.map((t) => t.wallMs)),
          waitsMs: median(timings.map((t) => t.waitsMs)),
          netMs: median(timings.map((t) => t.netMs)),
          stepWorkMs,
          stepTotalMs: [0, 1].map((j) => median(timings.map((t) => switchSteps(t)[j]!.totalMs))),
          approvalWaitMs: median(
            timings.map((t) => t.steps.find((st) => st.step.includes('approval'))!.waitMs),
          ),
          singleSwitchMs,
          singleSumMs: median(singles[key].map((m) => m[0]! + m[1]!)),
          worstStepWorkMs,
          pass: worstStepWorkMs < TARGETS[hanging]!,
        };
        rows.push(row);
        console.log(
          `  ${hanging} of 5 hanging  ${name.padEnd(19)} wall ${s(row.wallMs)}, waits ${s(row.waitsMs)}, net ${s(row.netMs)}; steps ${row.stepWorkMs.map(s).join(' + ')}; single switches ${row.singleSwitchMs.map(s).join(' + ')}`,
        );
      }
    }
  } finally {
    await bench.close();
  }

  const pass = rows.every((r) => r.pass);
  const table = [
    '| endpoints hanging | runbook | wall | waits (approval + proof) | wall minus waits | switch step 1: work (step) | switch step 3: work (step) | approval wait | single switches: each (sum) | worst step work | target |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.hanging} of 5 | ${r.runbook} | ${s(r.wallMs)} | ${s(r.waitsMs)} | ${s(r.netMs)} | ${s(r.stepWorkMs[0]!)} (${s(r.stepTotalMs[0]!)}) | ${s(r.stepWorkMs[1]!)} (${s(r.stepTotalMs[1]!)}) | ${s(r.approvalWaitMs)} | ${r.singleSwitchMs.map(s).join(' + ')} (${s(r.singleSumMs)}) | ${s(r.worstStepWorkMs)} | < ${s(TARGETS[r.hanging]!)}: ${r.pass ? 'met' : 'NOT met'} |`,
    ),
  ];
  const summary = `Targets: each switch step's own work under 1 s, under 2 s with 4 of 5 endpoints hanging (worst run): ${pass ? 'met' : 'NOT met'}.`;
  console.log(['', ...table, '', summary].join('\n'));

  mkdirSync(RESULTS, { recursive: true });
  const date = new Date().toISOString();
  const doc = {
    benchmark: 'runbooks end to end through the CLI, against the sandbox with the approval gate',
    date,
    node: process.version,
    cpus: cpus().length,
    runsPerCase: RUNS,
    ttlSeconds: TTL_SECONDS,
    targetsMs: TARGETS,
    pass,
    rows,
  };
  writeFileSync(path.join(RESULTS, 'runbook.json'), `${JSON.stringify(doc, null, 2)}\n`);
  const md = [
    '# Runbook benchmark',
    '',
    '`npm run switch -- runbook evacuate-us-east-1 --yes`, then `return-to-primary`, as real CLI processes against the',
    'sandbox (the ARC cluster emulation with the approval gate, the Regional APIs for the readiness gate, the sandbox DNS',
    `for the proof, record TTL ${TTL_SECONDS} s), with the first 0 or 4 of the bookmark's 5 cluster endpoints hanging. The approver`,
    'turns every gate On before each run (not timed): the approval step passes at its first read of the gates. Waits are',
    "the approval step's time and each switch step's proof (DNS and HTTP showing the target, from the step's report);",
    "a step's work is its time minus its proof. Single switches: the same moves as `npm run switch -- <apis> --to <region>",
    '--yes` processes (readiness on, no --wait, so no proof), on the same sandbox, in the same run.',
    `${RUNS} runs per case (median; worst run for the target), ${process.version}, ${cpus().length} CPUs, ${date}.`,
    '',
    ...table,
    '',
    summary,
    '',
  ].join('\n');
  writeFileSync(path.join(RESULTS, 'runbook.md'), md);
  console.log(`Wrote ${path.relative(ROOT, path.join(RESULTS, 'runbook.json'))} and runbook.md`);
}

main().catch((error: Error) => {
  console.error(`bench:runbook: ${error.message}`);
  process.exit(1);
});
