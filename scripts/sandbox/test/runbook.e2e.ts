import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT, runProcess, type ProcessRun } from '@arc-failover/shared';
import { runCommand } from '@arc-failover/testing';
import { startSandboxOnFreePorts, type TemporarySandbox } from '../src/free-ports';

// Runbooks through the real CLI process against the whole sandbox, started once as `npm start --
// --approval-gate` starts it: the operator runs the runbook, the approver (the bookmark's approver keys)
// runs approve and revoke beside it, faults come from `npm run fault`. Processes and DNS TTLs: seconds
// per test, more on a loaded 2-core machine.
jest.setTimeout(60_000);

const TTL_SECONDS = 1;
const WAIT_PERIOD_MS = 300;
const LAUNCHER = path.join(REPO_ROOT, 'arc', 'bin', 'switch.cjs');

interface Report {
  id: string;
  runbook: string;
  outcome: string;
  exitCode: number;
  resumedFrom?: string;
  evaluation?: { check: string; ok: boolean; detail: string }[];
  steps: {
    kind: string;
    index: number;
    outcome: string;
    startedAt?: string;
    finishedAt?: string;
    via?: string;
    notes?: string[];
  }[];
}

let dir: string;
let bookmarkFile: string;
let auditLog: string;
/** Every report file a CLI run of this file printed: removed at the end, with its renderings. */
const reports = new Set<string>();

let temporary: TemporarySandbox;

beforeAll(async () => {
  temporary = await startSandboxOnFreePorts({
    approvalGate: true,
    ttlSeconds: TTL_SECONDS,
    waitPeriodMs: WAIT_PERIOD_MS,
    log: () => undefined,
  });
  ({ bookmarkFile } = temporary);
  dir = mkdtempSync(path.join(tmpdir(), 'arc-runbook-e2e-'));
  auditLog = path.join(dir, 'audit.jsonl');
}, 120_000);

afterAll(async () => {
  await temporary?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  for (const json of reports) {
    for (const file of [json, json.replace(/\.json$/, '.md'), json.replace(/\.json$/, '.svg')])
      rmSync(file, { force: true });
  }
});

function env(): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith('AWS_') && key !== 'ARC_BOOKMARK') clean[key] = value;
  return { ...clean, HOME: dir, AWS_EC2_METADATA_DISABLED: 'true' };
}

function cliArgs(args: string[]): string[] {
  // status and runbook list read only: they write no audit line, and refuse --audit-log
  const readOnly = args[0] === 'status' || (args[0] === 'runbook' && args[1] === 'list');
  const audited = readOnly ? [] : ['--audit-log', auditLog];
  return [LAUNCHER, ...args, '--bookmark', bookmarkFile, ...audited];
}

function remember(run: ProcessRun): ProcessRun {
  for (const match of run.stdout.matchAll(/^Report: (.+\.json)$/gm)) reports.add(match[1]!);
  return run;
}

/** `npm run switch -- <args>` as its own process (the launcher npm execs), no terminal. */
async function cli(...args: string[]): Promise<ProcessRun> {
  return remember(await runProcess(process.execPath, cliArgs(args), { cwd: REPO_ROOT, env: env() }));
}

/** A CLI process left running: its output so far, a wait for a line of it, signals. */
function start(...args: string[]) {
  const startedAt = Date.now();
  const child = spawn(process.execPath, cliArgs(args), {
    cwd: REPO_ROOT,
    env: env(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let [stdout, stderr] = ['', ''];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ended = new Promise<ProcessRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) =>
      resolve(remember({ exitCode, stdout, stderr, startedAt, endedAt: Date.now() })),
    );
  });
  let over = false;
  void ended.then(() => (over = true));
  return {
    child,
    ended,
    /** Resolves once stdout has a line matching `pattern`; rejects if the process ends first. */
    async printed(pattern: RegExp): Promise<void> {
      const deadline = Date.now() + 30_000;
      while (!pattern.test(stdout)) {
        if (over) throw new Error(`the CLI ended before printing ${pattern}:\n${stdout}\n${stderr}`);
        if (Date.now() > deadline) throw new Error(`no ${pattern} within 30 s:\n${stdout}`);
        await sleep(50);
      }
    },
  };
}

const fault = (...args: string[]) => runCommand('fault', [...args, '--bookmark', bookmarkFile]);

/** Exit status `code`; otherwise the assertion shows what the CLI said. */
function exited(run: ProcessRun, code: number): void {
  expect({ code: run.exitCode, said: run.exitCode === code ? '' : `${run.stdout}\n${run.stderr}` }).toEqual({
    code,
    said: '',
  });
}

async function serving(): Promise<Record<string, string>> {
  const run = await cli('status', '--json');
  exited(run, 0);
  const { apis } = JSON.parse(run.stdout) as { apis: { name: string; servingRegion: string }[] };
  return Object.fromEntries(apis.map((a) => [a.name, a.servingRegion]));
}

const PRIMARIES = { 'external-api': 'us-east-1', service1: 'us-east-1', service2: 'us-west-2' };
const EVACUATED = { 'external-api': 'us-west-2', service1: 'us-west-2', service2: 'us-west-2' };

function audit(): Record<string, unknown>[] {
  if (!existsSync(auditLog)) return [];
  return readFileSync(auditLog, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
const runbookAudit = () => audit().filter((line) => line.action === 'runbook');

function printedReport(run: ProcessRun): { file: string; report: Report } {
  const file = /^Report: (.+\.json)$/m.exec(run.stdout)?.[1];
  expect(file).toEqual(expect.stringMatching(/\.json$/));
  return { file: file!, report: JSON.parse(readFileSync(file!, 'utf8')) as Report };
}

/** The events' messages, without the "HH:MM:SS.mmm " prefix every one of them carries. */
function events(run: ProcessRun): string[] {
  return run.stdout
    .split('\n')
    .filter((line) => /^\d\d:\d\d:\d\d\.\d{3} /.test(line))
    .map((line) => line.slice(13));
}

/** As an operator and approver would: every API on its primary again, every gate Off. */
async function backToPrimary(): Promise<void> {
  await sleep(WAIT_PERIOD_MS + 50);
  exited(await cli('approve', '--all'), 0);
  exited(await cli('--all', '--to', 'primary', '--yes', '--skip-readiness'), 0);
  exited(await cli('revoke', '--all'), 0);
  expect(await serving()).toEqual(PRIMARIES);
  await sleep(WAIT_PERIOD_MS + 50);
}

describe('runbooks through the CLI against the sandbox with the approval gate', () => {
  it('runbook list shows both runbooks', async () => {
    const run = await cli('runbook', 'list');
    exited(run, 0);
    expect(run.stdout).toMatch(/^evacuate-us-east-1: Every API off us-east-1/m);
    expect(run.stdout).toMatch(/^return-to-primary: Every API back on its primary/m);
    expect(run.stdout).toContain(
      '  1. switch service1, service2 -> us-west-2; 2. approval (up to 1800 s): the services serve from us-west-2: move the public entry; 3. switch external-api -> us-west-2',
    );
  });

  it('refuses at evaluation a first switch step whose gate is Off with no approval step before it, saying to run approve', async () => {
    const before = runbookAudit().length;
    const run = await cli('runbook', 'evacuate-us-east-1', '--yes');
    exited(run, 1);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /runbook evacuate-us-east-1 refused before its first step, nothing changed: .*step 1 \(service1\): the approval gate is Off .*npm run switch -- approve service1/,
      ),
    ]);
    expect(events(run)).toContainEqual(expect.stringMatching(/^evaluation: FAILED approval gate: /));
    expect(await serving()).toEqual(PRIMARIES);
    const lines = runbookAudit().slice(before);
    expect(lines).toEqual([expect.objectContaining({ outcome: 'refused', exitCode: 1 })]);
  });

  it('--dry-run prints the evaluation and each step’s plan, and changes nothing', async () => {
    exited(await cli('approve', 'service1', 'service2'), 0);
    try {
      const run = await cli('runbook', 'evacuate-us-east-1', '--dry-run');
      exited(run, 0);
      const lines = run.stdout.split('\n');
      expect(lines).toContain('Evaluation:');
      for (const check of [
        'bookmark',
        'credentials',
        'states',
        'readiness',
        'approval gate',
        'approvals',
        'proof',
      ])
        expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^ {2}ok {6}${check}: `)));
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^ {2}ok {6}approval gate: step 1 \(service1\): the approval gate is already On; step 3 \(external-api\): approval step 2 waits for its gate$/,
        ),
      );
      expect(lines).toContain('step 1/3 switch service1, service2 -> us-west-2');
      expect(lines).toContainEqual(
        expect.stringMatching(/^ {4}service1 .*traffic us-east-1 -> us-west-2 \(secondary\)$/),
      );
      expect(lines).toContainEqual(expect.stringMatching(/^step 2\/3 approval \(up to 1800 s\)/));
      expect(lines).toContain('step 3/3 switch external-api -> us-west-2');
      expect(lines).toContainEqual(
        expect.stringMatching(/^ {4}external-api .*traffic us-east-1 -> us-west-2 \(secondary\)$/),
      );
      expect(lines).toContain('Dry run: nothing changed.');
      expect(await serving()).toEqual(PRIMARIES);
      expect(runbookAudit().at(-1)).toMatchObject({ outcome: 'dry-run', exitCode: 0 });
    } finally {
      exited(await cli('revoke', '--all'), 0);
    }
  });

  it('refuses at evaluation when service1 is down in us-west-2: exit 1, one line naming it, nothing changed', async () => {
    exited(await cli('approve', 'service1', 'service2'), 0);
    exited(await fault('service1', 'us-west-2', 'down'), 0);
    try {
      const run = await cli('runbook', 'evacuate-us-east-1', '--yes');
      exited(run, 1);
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /refused before its first step, nothing changed: service1 is not ready in us-west-2: /,
      );
      expect(await serving()).toEqual(PRIMARIES);
      expect(printedReport(run).report).toMatchObject({ outcome: 'refused', exitCode: 1 });
      expect(printedReport(run).report.steps.every((s) => s.outcome === 'pending')).toBe(true);
    } finally {
      exited(await fault('service1', 'us-west-2', 'up'), 0);
      exited(await cli('revoke', '--all'), 0);
    }
  });

  it('the gate: the operator alone is refused by the cluster; approve lets the switch through; revoke closes it again', async () => {
    const alone = await cli('service1', '--to', 'secondary', '--yes');
    exited(alone, 1);
    expect(alone.stderr).toMatch(/approval gate "service1-approval-gate".*refused|refused.*approval gate/);
    expect(await serving()).toEqual(PRIMARIES);

    exited(await cli('approve', 'service1'), 0);
    exited(await cli('service1', '--to', 'secondary', '--yes'), 0);
    expect((await serving()).service1).toBe('us-west-2');

    exited(await cli('revoke', 'service1'), 0);
    await sleep(WAIT_PERIOD_MS + 50);
    const again = await cli('service1', '--to', 'primary', '--yes');
    exited(again, 1);
    expect(again.stderr).toMatch(/approval gate "service1-approval-gate"/);
    expect((await serving()).service1).toBe('us-west-2');
    await backToPrimary();
  });

  it('a whole run: the services, the wait for the approver, the public entry; then return-to-primary', async () => {
    exited(await cli('approve', 'service1', 'service2'), 0);
    const run = start('runbook', 'evacuate-us-east-1', '--yes', '--wait-timeout', '15');
    await run.printed(/step 2\/3 approval: waiting for the approval gate of external-api/);
    // waiting for the approver: the services moved, the public entry not yet
    expect(await serving()).toEqual({ ...EVACUATED, 'external-api': 'us-east-1' });
    exited(await cli('approve', 'external-api'), 0);
    const ended = await run.ended;
    exited(ended, 0);
    expect(await serving()).toEqual(EVACUATED);

    const { file, report } = printedReport(ended);
    expect(report).toMatchObject({ runbook: 'evacuate-us-east-1', outcome: 'proven', exitCode: 0 });
    expect(report.steps.map((s) => [s.kind, s.outcome])).toEqual([
      ['switch', 'proven'],
      ['approval', 'done'],
      ['switch', 'proven'],
    ]);
    expect(report.steps[1]!.via).toBe('gate');
    const [first, , third] = report.steps;
    expect(Date.parse(first!.finishedAt!)).toBeLessThanOrEqual(Date.parse(third!.startedAt!));
    const messages = events(ended);
    const moved = (api: string) => messages.findIndex((m) => m.includes(`${api} us-east-1 -> us-west-2`));
    expect(moved('service1')).toBeGreaterThanOrEqual(0);
    expect(moved('service1')).toBeLessThan(moved('external-api'));
    expect(messages.at(-1)).toMatch(/^runbook evacuate-us-east-1: proven after \d+\.\d s$/);
    expect(runbookAudit().at(-1)).toMatchObject({
      action: 'runbook',
      runbook: 'evacuate-us-east-1',
      outcome: 'proven',
      exitCode: 0,
      id: report.id,
      report: file,
    });
    exited(await cli('revoke', '--all'), 0);

    // back: every gate On beforehand, so the approval step passes at once
    await sleep(WAIT_PERIOD_MS + 50);
    exited(await cli('approve', '--all'), 0);
    const back = await cli('runbook', 'return-to-primary', '--yes', '--wait-timeout', '15');
    exited(back, 0);
    expect(await serving()).toEqual(PRIMARIES);
    expect(printedReport(back).report.steps.map((s) => s.outcome)).toEqual(['proven', 'done', 'proven']);
    expect(events(back)).toContainEqual(
      expect.stringMatching(
        /^step 2\/3 approval: the approval gate of service1, service2 is On after \d+\.\d s$/,
      ),
    );
    exited(await cli('revoke', '--all'), 0);
    await sleep(WAIT_PERIOD_MS + 50);
  });

  it('a step that fails after step 1 switched exits 3; --resume skips step 1 and finishes', async () => {
    exited(await cli('approve', 'service1', 'service2'), 0);
    const run = start('runbook', 'evacuate-us-east-1', '--yes', '--wait-timeout', '15');
    await run.printed(/step 2\/3 approval: waiting for the approval gate/);
    // after the evaluation: the public entry's us-west-2 deployment goes down while the run waits
    exited(await fault('external-api', 'us-west-2', 'down'), 0);
    let failed: { file: string; report: Report };
    try {
      exited(await cli('approve', 'external-api'), 0);
      const ended = await run.ended;
      exited(ended, 3);
      expect(ended.stderr.trimEnd().split('\n')).toEqual([
        expect.stringMatching(
          /^error: step 3\/3 refused, nothing changed: external-api is not ready in us-west-2: /,
        ),
      ]);
      expect(await serving()).toEqual({ ...EVACUATED, 'external-api': 'us-east-1' });
      failed = printedReport(ended);
      expect(failed.report).toMatchObject({ outcome: 'failed', exitCode: 3 });
      expect(failed.report.steps.map((s) => s.outcome)).toEqual(['proven', 'done', 'refused']);
    } finally {
      exited(await fault('external-api', 'us-west-2', 'up'), 0);
    }
    const resumed = await cli(
      'runbook',
      'evacuate-us-east-1',
      '--resume',
      failed.file,
      '--yes',
      '--wait-timeout',
      '15',
    );
    exited(resumed, 0);
    expect(await serving()).toEqual(EVACUATED);
    expect(events(resumed)[0]).toMatch(
      /^step 1\/3 switch service1, service2 -> us-west-2: skipped \(proven in the run /,
    );
    const { report } = printedReport(resumed);
    expect(report).toMatchObject({ outcome: 'proven', exitCode: 0, resumedFrom: failed.file });
    expect(report.steps.map((s) => s.outcome)).toEqual(['skipped', 'done', 'proven']);
    expect(runbookAudit().at(-1)).toMatchObject({ outcome: 'proven', resumedFrom: failed.file });
    exited(await cli('revoke', '--all'), 0);
    await backToPrimary();
  });

  it('Ctrl-C while the run waits for the approver exits 130, the rest pending; --resume finishes it', async () => {
    exited(await cli('approve', 'service1', 'service2'), 0);
    const run = start('runbook', 'evacuate-us-east-1', '--yes', '--wait-timeout', '15');
    await run.printed(/step 2\/3 approval: waiting for the approval gate/);
    run.child.kill('SIGINT');
    const ended = await run.ended;
    exited(ended, 130);
    expect(await serving()).toEqual({ ...EVACUATED, 'external-api': 'us-east-1' });
    const interrupted = printedReport(ended);
    expect(interrupted.report).toMatchObject({ outcome: 'interrupted', exitCode: 130 });
    expect(interrupted.report.steps.map((s) => s.outcome)).toEqual(['proven', 'interrupted', 'pending']);
    expect(runbookAudit().at(-1)).toMatchObject({
      outcome: 'interrupted',
      exitCode: 130,
      report: interrupted.file,
    });

    exited(await cli('approve', 'external-api'), 0);
    const resumed = await cli(
      'runbook',
      'evacuate-us-east-1',
      '--resume',
      interrupted.file,
      '--yes',
      '--wait-timeout',
      '15',
    );
    exited(resumed, 0);
    expect(await serving()).toEqual(EVACUATED);
    expect(printedReport(resumed).report.steps.map((s) => s.outcome)).toEqual(['skipped', 'done', 'proven']);
    exited(await cli('revoke', '--all'), 0);
    await backToPrimary();
  });
});
