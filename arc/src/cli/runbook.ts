import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { findRunbook, loadTopology, type Runbook, type RunbookStep } from '@arc-failover/shared';
import type { Bookmark } from '../bookmark';
import { DEFAULT_READINESS } from '../readiness';
import { readReport, writeReport, type ExecutionReport } from '../report';
import {
  evaluateRunbook,
  planResume,
  ResumeRefused,
  runRunbook,
  stepTitle,
  type Evaluation,
  type RunbookEvent,
} from '../runbook';
import type { CommonOptions } from './args';
import { actor, appendAudit, defaultAuditPath, type AuditEntry } from './audit';
import { canAsk, confirm } from './confirm';
import { CliError, ROUTING_MAY_HAVE_CHANGED, UsageError } from './errors';
import { InterruptTrap } from './interrupt';
import type { Output } from './output';
import { loadBookmark, withSession } from './session';
import { overrideArns } from './safety-rules';
import { renderPlan } from './switch';

export interface RunbookRequest {
  name: string;
  options: CommonOptions;
  yes: boolean;
  dryRun: boolean;
  /** The JSON report of an earlier run of this runbook to continue from. */
  resume?: string;
  skipReadiness: boolean;
  /** How long each switch step waits for DNS and HTTP to show its target (--wait-timeout). */
  waitTimeoutMs: number;
  /** --override-safety-rule values (names or ARNs): break glass for every step. */
  overrides: string[];
}

/** The stage's runbooks: per runbook its name and description on one line, its steps on the next. */
export function runbookList(options: CommonOptions, out: Output): void {
  const { stage, runbooks } = loadTopology(options.stage);
  if (runbooks.length === 0) out.line('No runbooks: the topology (shared/topology.json) declares none.');
  for (const runbook of runbooks) {
    out.line(`${runbook.name}${runbook.description ? `: ${runbook.description}` : ''}`);
    out.line(`  ${runbook.steps.map((step, index) => `${index + 1}. ${listedStep(step)}`).join('; ')}`);
  }
  out.document({ stage, runbooks });
}

function listedStep(step: RunbookStep): string {
  switch (step.kind) {
    case 'switch':
      return `switch ${step.apis.join(', ')} -> ${step.to}`;
    case 'approval':
      return `approval (up to ${step.timeoutSeconds} s)${step.note ? `: ${step.note}` : ''}`;
    case 'wait':
      return `wait ${step.seconds} s`;
  }
}

/**
 * Runs a runbook, as a switch runs: the bookmark, credentials and a data-plane session; with --dry-run the
 * evaluation and each step's plan, nothing changed; without --yes the same, then a confirmation on the
 * terminal (none: refused). Then one timestamped line per event on stdout, the report written as it goes
 * and at the end, and one audit line for the run. A failure is a CliError with the run's exit status.
 */
export async function runbookCommand(request: RunbookRequest, out: Output, argv: string[]): Promise<void> {
  const { bookmark, file } = loadBookmark(request.options);
  const runbook = stageRunbook(bookmark, request.name);
  const previous = request.resume === undefined ? undefined : readPrevious(request.resume);
  let startAt = 0;
  if (previous) {
    try {
      startAt = planResume(runbook, previous, bookmark.stage).startAt;
    } catch (error) {
      if (error instanceof ResumeRefused)
        throw new UsageError(`--resume ${request.resume}: ${error.message}`);
      throw error;
    }
  }
  if (!request.yes && !request.dryRun && !canAsk()) {
    throw new UsageError(
      'not running the runbook without confirmation: no terminal to ask on; pass --yes (automation) or --dry-run (evaluation and plans only)',
    );
  }

  const overrides = overrideArns(bookmark, request.overrides);
  const { user, host } = actor();
  const report: ExecutionReport = {
    version: 1,
    id: randomUUID(),
    kind: 'runbook',
    runbook: runbook.name,
    stage: bookmark.stage,
    clusterArn: bookmark.clusterArn,
    who: { user, host },
    argv,
    startedAt: new Date().toISOString(),
    outcome: 'refused',
    skippedReadiness: request.skipReadiness,
    ...(request.resume !== undefined && { resumedFrom: path.resolve(request.resume) }),
    steps: [],
  };
  const auditFile = request.options.auditLog ?? defaultAuditPath(bookmark.stage);
  let written: string | undefined;
  const save = () => {
    try {
      written = writeReport(report).json;
    } catch (error) {
      out.note(`warning: could not write the report: ${(error as Error).message}`);
    }
  };
  let recorded = false;
  const record = () => {
    if (recorded) return;
    recorded = true;
    report.finishedAt ??= new Date().toISOString();
    save();
    const entry: AuditEntry = {
      action: 'runbook',
      stage: bookmark.stage,
      id: report.id,
      runbook: runbook.name,
      outcome: report.outcome,
      exitCode: report.exitCode,
      report: written,
      argv,
      bookmark: file,
      ...(report.resumedFrom && { resumedFrom: report.resumedFrom }),
      ...(report.error && { error: report.error }),
    };
    const warning = appendAudit(auditFile, entry, report.who.accessKeyId);
    if (warning) out.note(`warning: ${warning}`);
    if (written) out.line(`Report: ${written}`);
    out.document(report);
  };
  const interrupt = new InterruptTrap(
    'interrupted: no further step will start; a switch in flight gets its answer and is read back, a wait or an approval stops now (Ctrl-C again to quit at once)',
    () => {
      report.outcome = 'interrupted';
      report.exitCode = interrupt.exitCode;
      report.error = 'interrupted again: quit at once; run status to see where traffic is';
      out.error(report.error);
      record();
    },
  );

  try {
    await withSession(request.options, bookmark, file, async ({ credentials, dataPlane }) => {
      report.who.accessKeyId = credentials.accessKeyId;
      const common = {
        bookmark,
        dataPlane,
        runbook,
        credentials,
        overrides,
        ...(!request.skipReadiness && { readiness: DEFAULT_READINESS }),
        canAskApproval: canAsk(),
      };
      if (request.dryRun || !request.yes) {
        const evaluation = await evaluateRunbook({ ...common, from: startAt });
        for (const line of renderEvaluation(runbook, evaluation, startAt)) out.line(line);
        if (request.dryRun) {
          Object.assign(report, { outcome: 'dry-run', evaluation: evaluation.checks });
          if (!evaluation.ok) {
            report.exitCode = 1;
            report.error = `the runbook would be refused: ${failedChecks(evaluation)}`;
            throw new CliError(report.error);
          }
          report.exitCode = 0;
          out.line('Dry run: nothing changed.');
          return;
        }
        if (!evaluation.ok) {
          Object.assign(report, { evaluation: evaluation.checks, exitCode: 1 });
          report.error = `runbook ${runbook.name} refused before its first step, nothing changed: ${failedChecks(evaluation)}`;
          throw new CliError(report.error);
        }
        if (!(await confirm(`Run the runbook ${runbook.name} (${runbook.steps.length} steps)? [y/N] `))) {
          Object.assign(report, { exitCode: 1, error: 'not confirmed: nothing changed' });
          throw new CliError(report.error!);
        }
      }

      interrupt.arm();
      out.line(`Runbook ${runbook.name}, stage ${bookmark.stage} (times UTC):`);
      await runRunbook({
        ...common,
        report,
        proof: { timeoutMs: request.waitTimeoutMs },
        halt: interrupt.signal,
        askApproval: async (step, apis) => {
          const note = step.note ? ` (${step.note})` : '';
          const approved = await confirm(
            `Approve step ${step.index + 1}/${step.total}${note}, then switch ${apis.join(', ')}? [y/N] `,
          );
          return { approved, by: user };
        },
        onEvent: (event) => {
          out.line(eventLine(event));
          if (event.type === 'step-start' || event.type === 'step-done' || event.type === 'step-failed')
            save();
        },
        ...(previous && { resume: previous }),
      });
      if (report.outcome === 'interrupted') report.exitCode = interrupt.exitCode;
    });
  } catch (error) {
    if (error instanceof ResumeRefused) throw new UsageError(`--resume ${request.resume}: ${error.message}`);
    report.error ??= (error as Error).message;
    if (report.exitCode === undefined) {
      // a failure the run did not account for: after a step began, routing may have changed
      const began = report.steps.some((s) => s.startedAt !== undefined);
      Object.assign(report, { outcome: began ? 'failed' : 'refused' });
      report.exitCode = began ? ROUTING_MAY_HAVE_CHANGED : error instanceof CliError ? error.exitCode : 1;
      if (began) throw new CliError(report.error, ROUTING_MAY_HAVE_CHANGED);
    }
    throw error;
  } finally {
    interrupt.release();
    record();
  }
  if (report.exitCode) throw new CliError(report.error ?? `runbook ${report.outcome}`, report.exitCode);
}

/** "HH:MM:SS.mmm message", the time in UTC. */
export function eventLine(event: RunbookEvent): string {
  return `${event.at.slice(11, 23)} ${event.message}`;
}

/** The stage's runbook of that name; an unknown name is a mistake on the command line. */
function stageRunbook(bookmark: Bookmark, name: string): Runbook {
  try {
    return findRunbook(loadTopology(bookmark.stage).runbooks, name);
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
}

function readPrevious(file: string): ExecutionReport {
  try {
    return readReport(file);
  } catch (error) {
    throw new UsageError(`--resume ${file}: ${(error as Error).message}`);
  }
}

function failedChecks(evaluation: Evaluation): string {
  return evaluation.checks
    .filter((c) => !c.ok)
    .map((c) => c.detail)
    .join('; ');
}

/** The evaluation's checks, then each step to run: a switch's plan as a switch shows it. */
function renderEvaluation(runbook: Runbook, evaluation: Evaluation, startAt: number): string[] {
  const lines = [
    `Runbook ${runbook.name}${runbook.description ? `: ${runbook.description}` : ''}`,
    'Evaluation:',
    ...evaluation.checks.map((c) => `  ${(c.ok ? 'ok' : 'FAILED').padEnd(6)}  ${c.check}: ${c.detail}`),
  ];
  runbook.steps.forEach((step, index) => {
    const title = stepTitle(runbook, index);
    if (index < startAt) {
      lines.push(`${title}: skipped (completed by the resumed run)`);
      return;
    }
    if (step.kind === 'switch') {
      const planned = evaluation.steps.find((s) => s.index === index);
      lines.push(title);
      if (planned) for (const line of renderPlan(planned.plan, [])) lines.push(`  ${line}`);
    } else {
      lines.push(
        `${title}${step.kind === 'approval' ? ` (up to ${step.timeoutSeconds} s)${step.note ? `: ${step.note}` : ''}` : ''}`,
      );
    }
  });
  return lines;
}
