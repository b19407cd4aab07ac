import { setTimeout as sleep } from 'node:timers/promises';
import { loadTopology, type Service, type Topology } from '@arc-failover/shared';
import { admin } from '../../admin/client';
import { convergence } from './convergence';
import { findRunningSandbox } from '../../admin/running-sandbox';
import { runDemoRunbooks, type RunbookRun } from './runbooks';
import { runSwitchCli, type ReportFiles, type SwitchRun } from './switch-cli';
import { publicPath, publicPaths, type ProbeResult } from '../probe/probe';
import type { SandboxStatus } from '../../admin/protocol';
import { Traffic } from './traffic';

/** How a path's answering Region moved during one step. */
export interface PathReport {
  path: string;
  from: string;
  to: string;
  requests: number;
  failures: number;
  /** From the routing-control change to the first request served by the new Region. */
  firstMs?: number;
  /** From the change until every request was served by the new Region. */
  allMs?: number;
}

export interface StepReport {
  title: string;
  command?: string;
  ok: boolean;
  problems: string[];
  /** From the switch's start until it had proven the move in DNS and HTTP (--wait). */
  switchMs?: number;
  /** The execution report the step's switch wrote. */
  report?: ReportFiles;
  paths: PathReport[];
}

export interface DemoReport {
  ok: boolean;
  steps: StepReport[];
  /** The runbooks it ended with (dry runs when there was no terminal to approve on). */
  runbooks: RunbookRun[];
  /** Every execution report the demo's switches wrote, in step order. */
  reports: ReportFiles[];
}

export interface DemoOptions {
  bookmarkFile: string;
  print: (line: string) => void;
  auditLog?: string;
  /**
   * How long after the TTL a request may still reach the old Region (the probe period and scheduling
   * jitter), and how long each step then keeps watching. Default 1000 ms.
   */
  settleMs?: number;
}

type Placement = Map<string, string>;

interface Context {
  topology: Topology;
  status: SandboxStatus;
  adminUrl: string;
  bookmarkFile: string;
  auditLog?: string;
  traffic: Traffic;
  print: (line: string) => void;
  /** Allowed slack after the TTL for a request to still reach the old Region: the probe period and jitter. */
  settleMs: number;
}

/**
 * The design's failover test, end to end against a running sandbox: all traffic on the primaries; service1
 * failed over with `npm run switch` (only it moves); failed back; everything failed over at once; failed
 * back. Every switch runs the real CLI process with --wait, so it proves its move in DNS and HTTP and
 * writes an execution report; every observation is an HTTP request through the public entry. True only if
 * every step behaved.
 */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const sandbox = await findRunningSandbox(options.bookmarkFile);
  const topology = loadTopology(sandbox.bookmark.stage);
  const status = await admin.status(sandbox.adminUrl);
  const paths = publicPaths(topology.all);
  const traffic = new Traffic(sandbox.entryUrl, paths);
  const context: Context = {
    topology,
    status,
    adminUrl: sandbox.adminUrl,
    bookmarkFile: options.bookmarkFile,
    auditLog: options.auditLog,
    traffic,
    print: options.print,
    settleMs: options.settleMs ?? 1000,
  };
  const print = options.print;
  print(
    `against the sandbox at ${sandbox.entryUrl}: DNS TTL ${status.ttlSeconds} s; safety rules lock an API's controls for ${status.waitPeriodMs} ms after each change, so the demo waits that out between switches of one API, as a real cluster requires`,
  );

  const service = topology.services[0]!;
  const primaries = placement(topology.all, 'primary');
  const steps: StepReport[] = [];
  traffic.start();
  try {
    steps.push(await onPrimaries(context, primaries));
    if (steps[0]!.ok) {
      const plan: [string, string[], Placement][] = [
        [
          `fail over ${service.name}`,
          [service.name, '--to', 'secondary'],
          new Map([...primaries, ...placement([service], 'secondary')]),
        ],
        [`fail back ${service.name}`, [service.name, '--to', 'primary'], primaries],
        [
          'fail over everything at once',
          ['--all', '--to', 'secondary'],
          placement(topology.all, 'secondary'),
        ],
        ['fail back everything', ['--all', '--to', 'primary'], primaries],
      ];
      let before = primaries;
      for (const [index, [title, args, after]] of plan.entries()) {
        const report = await switchStep(
          context,
          { number: index + 2, last: index === plan.length - 1 },
          title,
          args,
          before,
          after,
        );
        steps.push(report);
        if (!report.ok) break;
        before = after;
      }
    }
  } finally {
    await traffic.stop();
  }
  const switched = steps.length === 5 && steps.every((step) => step.ok);
  print('');
  for (const line of timeline(steps).split('\n')) print(line);
  print('');
  for (const line of reportsSection(steps)) print(line);
  const runbooks = switched ? await finale(context) : [];
  // a dry run is refused at its approval check when nobody is at a terminal: that is its point
  const ok = switched && runbooks.length === 2 && runbooks.every((run) => run.dryRun || run.exitCode === 0);
  return { ok, steps, runbooks, reports: steps.flatMap((step) => (step.report ? [step.report] : [])) };
}

/** The demo ends with the topology's runbooks: the failover as a process, in its set order. */
async function finale(context: Context): Promise<RunbookRun[]> {
  const { print, status } = context;
  print('');
  print('Runbooks (shared/topology.json): services before the public entry, an approval between them');
  const runs = await runDemoRunbooks({
    bookmark: context.bookmarkFile,
    auditLog: context.auditLog,
    waitTimeoutSeconds: status.ttlSeconds + 10,
    waitPeriodMs: status.waitPeriodMs,
    print,
  });
  print('');
  print('Runbook reports:');
  for (const run of runs)
    print(`  ${run.runbook}${run.dryRun ? ' (dry run)' : ''}: ${run.report ?? 'none written'}`);
  return runs;
}

/**
 * `npm run switch -- <args> --yes --wait`: the CLI proves the move in DNS and HTTP before it ends, and writes
 * its report. The proof through the public entry waits out the entry's cached answer (the TTL), so the
 * wait is bounded by the TTL plus a margin, not the CLI's default two minutes.
 */
function switchWithProof(context: Context, args: string[]): Promise<SwitchRun> {
  return runSwitchCli(
    [...args, '--yes', '--wait', '--wait-timeout', String(context.status.ttlSeconds + 10)],
    {
      bookmark: context.bookmarkFile,
      auditLog: context.auditLog,
    },
  );
}

/** Where each step's switch wrote its execution report: the Markdown, then its JSON and SVG timeline. */
export function reportsSection(steps: StepReport[]): string[] {
  const written = steps.flatMap((step, index) => (step.report ? [{ step, number: index + 1 }] : []));
  if (written.length === 0) return ['Reports: none written (no switch got as far as its update).'];
  return [
    'Reports:',
    ...written.flatMap(({ step, number }) => [
      `  step ${number} ${step.title}: ${step.report!.markdown}`,
      `    JSON ${step.report!.json}`,
      `    timeline ${step.report!.svg}`,
    ]),
  ];
}

/** Where each of `apis` answers while it is on its primary, or its secondary, Region. */
function placement(apis: Service[], role: 'primary' | 'secondary'): Placement {
  return new Map(apis.map((s) => [publicPath(s), role === 'primary' ? s.primaryRegion : s.secondaryRegion]));
}

/** Step 1: every routing control says primary, and every request is answered there. */
async function onPrimaries(context: Context, primaries: Placement): Promise<StepReport> {
  const { print, topology } = context;
  const title = 'all traffic on the primary Regions';
  let status = context.status;
  let files: ReportFiles | undefined;
  const offPrimary = status.apis.filter((api) =>
    api.regions.some((r) => r.routingControl !== (r.role === 'primary' ? 'On' : 'Off')),
  );
  if (offPrimary.length > 0) {
    print(
      `${offPrimary.map((api) => api.api).join(', ')} not on the primary: putting everything there first`,
    );
    const run = await switchWithProof(context, ['--all', '--to', 'primary']);
    files = run.report;
    if (run.exitCode !== 0) {
      const problems = [`${run.command} failed: ${firstLine(run.stderr)}`];
      return { title, ok: false, problems, ...(files && { report: files }), paths: [] };
    }
    status = await admin.status(context.adminUrl);
    await sleep(status.ttlSeconds * 1000 + context.settleMs);
  }
  const from = Date.now();
  await sleep(2 * context.settleMs);
  const observed = context.traffic.between(from, Date.now());
  const problems: string[] = [];
  const paths: PathReport[] = [];
  for (const [path, region] of primaries) {
    const results = observed.get(path)!;
    const failures = results.filter(failed).length;
    const elsewhere = results.filter((r) => r.region && r.region !== region);
    if (results.length === 0) problems.push(`${path}: no answer`);
    if (failures > 0)
      problems.push(`${path}: ${failures} of ${results.length} requests failed (${firstError(results)})`);
    if (elsewhere.length > 0)
      problems.push(`${path}: answered from ${elsewhere[0]!.region}, expected ${region}`);
    paths.push({ path, from: region, to: region, requests: results.length, failures });
  }
  const report = { title, ok: problems.length === 0, problems, ...(files && { report: files }), paths };
  printStep(context, 1, report, primaries);
  // A switch made just before the demo still locks its API's controls.
  if (report.ok) await waitOutSafetyRules(context, status, topology.all);
  return report;
}

async function switchStep(
  context: Context,
  { number, last }: { number: number; last: boolean },
  title: string,
  args: string[],
  before: Placement,
  after: Placement,
): Promise<StepReport> {
  const { print, traffic } = context;
  print(`step ${number}: ${title}: npm run switch -- ${args.join(' ')} --yes --wait`);
  const run = await switchWithProof(context, args);
  const { command, report: files } = run;
  if (run.exitCode !== 0) {
    return {
      title,
      command,
      ok: false,
      problems: [`the switch failed: ${firstLine(run.stderr)}`],
      ...(files && { report: files }),
      paths: [],
    };
  }
  const status = await admin.status(context.adminUrl);
  const changedAt = Math.max(...status.apis.map((api) => api.changedAt ?? 0));
  const ttlMs = status.ttlSeconds * 1000;
  // Every resolver's cached answer has expired by changedAt + TTL; watch a little longer to be sure.
  await sleep(Math.max(0, changedAt + ttlMs + 2 * context.settleMs - Date.now()));
  const observed = traffic.between(run.startedAt, Date.now());

  const problems: string[] = [];
  const paths: PathReport[] = [];
  for (const [path, to] of after) {
    const from = before.get(path)!;
    const results = observed.get(path)!;
    const failures = results.filter(failed);
    const report: PathReport = { path, from, to, requests: results.length, failures: failures.length };
    if (failures.length > 0) {
      problems.push(
        `${path}: ${failures.length} of ${results.length} requests failed (${firstError(results)})`,
      );
    }
    if (from === to) {
      const strays = results.filter((r) => r.region && r.region !== from);
      if (strays.length > 0)
        problems.push(
          `${path} should have stayed on ${from} but ${strays.length} requests went to ${strays[0]!.region}`,
        );
    } else {
      Object.assign(report, convergence(results, changedAt, to));
      const late = results.filter((r) => r.at >= changedAt + ttlMs + context.settleMs && r.region !== to);
      if (report.firstMs === undefined) problems.push(`${path} never reached ${to}`);
      else if (late.length > 0) {
        problems.push(
          `${path}: ${late.length} requests still answered from ${late[0]!.region ?? 'nowhere'} after TTL + ${context.settleMs} ms`,
        );
      }
    }
    paths.push(report);
  }
  const report: StepReport = {
    title,
    command,
    ok: problems.length === 0,
    problems,
    switchMs: run.endedAt - run.startedAt,
    ...(files && { report: files }),
    paths,
  };
  printStep(context, number, report, after);
  if (report.ok && !last) await waitOutSafetyRules(context, status, context.topology.all);
  return report;
}

async function waitOutSafetyRules(
  context: Context,
  status: SandboxStatus,
  services: Service[],
): Promise<void> {
  const names = new Set(services.map((s) => s.name));
  const lastChange = Math.max(
    ...status.apis.filter((api) => names.has(api.api)).map((api) => api.changedAt ?? 0),
  );
  const remaining = lastChange + status.waitPeriodMs + 100 - Date.now();
  if (remaining <= 0) return;
  context.print(
    `  waiting ${(remaining / 1000).toFixed(1)} s more: the safety rules' wait period (${status.waitPeriodMs} ms after a change)`,
  );
  await sleep(remaining);
}

function failed(result: ProbeResult): boolean {
  return result.status !== 200 || result.region === undefined;
}

function firstError(results: ProbeResult[]): string {
  const bad = results.find(failed);
  return bad ? `${bad.status || 'no response'}: ${bad.error ?? ''}`.trim() : '';
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] || 'no message';
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`;
}

function printStep(context: Context, number: number, report: StepReport, placement: Placement): void {
  const where = [...placement].map(([path, region]) => `${path} ${region}`).join(', ');
  context.print(`step ${number}: ${report.title}: ${report.ok ? 'ok' : 'FAILED'} (${where})`);
  for (const path of report.paths.filter((p) => p.from !== p.to)) {
    context.print(
      `  ${path.path} ${path.from} -> ${path.to}: first request served by ${path.to} ${seconds(path.firstMs)} after the change, all ${seconds(path.allMs)} after`,
    );
  }
  for (const problem of report.problems) context.print(`  problem: ${problem}`);
}

/** The steps as a table: when each moved path first and fully reached its new Region. */
export function timeline(steps: StepReport[]): string {
  const rows = [['step', 'switch (CLI)', 'path', 'from -> to', 'first new', 'all new', 'failed', 'result']];
  steps.forEach((step, index) => {
    const movedPaths = step.paths.filter((p) => p.from !== p.to);
    const failures = step.paths.reduce((sum, p) => sum + p.failures, 0);
    const requests = step.paths.reduce((sum, p) => sum + p.requests, 0);
    const first = movedPaths[0];
    const label = `${index + 1} ${step.title}`;
    const result = step.ok ? 'ok' : 'FAILED';
    if (!first) {
      rows.push([label, seconds(step.switchMs), '-', '-', '-', '-', `${failures}/${requests}`, result]);
      return;
    }
    movedPaths.forEach((p, i) =>
      rows.push([
        i === 0 ? label : '',
        i === 0 ? seconds(step.switchMs) : '',
        p.path,
        `${p.from} -> ${p.to}`,
        seconds(p.firstMs),
        seconds(p.allMs),
        i === 0 ? `${failures}/${requests}` : '',
        i === 0 ? result : '',
      ]),
    );
  });
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
