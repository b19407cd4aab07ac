import { randomUUID } from 'node:crypto';
import { loadTopology, TopologyError } from '@arc-failover/shared';
import { parseArgs, UnknownCommand, type Command } from './args';
import { appendAudit, defaultAuditPath, type AuditEntry } from './audit';
import { CommandError } from '@arc-failover/shared/command';
import { UsageError } from './errors';
import { InterruptTrap } from './interrupt';
import { Output } from './output';
import type { ProofResult } from '../proof';
import type { SwitchReport, SwitchTrace } from './switch';
import { writeSwitchReport } from './switch-report';

// What talks to the cluster (and so loads the AWS SDK) is imported when a command needs it, not for --help
// or a mistake on the command line.
const session = () => import('./session');

/** The switchover CLI. Resolves to the exit status; a failure is one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  // stderr is for the one line that matters; the SDK's notice about future Node versions is not it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const out = new Output(argv.includes('--json'));
  try {
    const command = await parse(argv);
    if (command.kind === 'help') {
      process.stdout.write(`${command.text}\n`);
      return 0;
    }
    if (command.kind === 'sync') await syncCommand(command, out, argv);
    else if (command.kind === 'approve' || command.kind === 'revoke') {
      const { gateCommand } = await import('./approval');
      await gateCommand(command, out, argv);
    } else if (command.kind === 'switch') await switchCommand(command, out, argv);
    else if (command.kind === 'status') {
      const [{ loadBookmark, withSession }, { status }] = await Promise.all([session(), import('./status')]);
      const { bookmark, file } = loadBookmark(command.options);
      await withSession(command.options, bookmark, file, (s) => status(s, out, { probe: command.probe }));
    } else if (command.kind === 'runbook-list') {
      const { runbookList } = await import('./runbook');
      runbookList(command.options, out);
    } else if (command.kind === 'runbook') {
      const { runbookCommand } = await import('./runbook');
      await runbookCommand(command, out, argv);
    }
    out.flushNotes();
    return 0;
  } catch (error) {
    const [message, exitCode] =
      error instanceof CommandError
        ? [error.message, error.exitCode]
        : error instanceof TopologyError
          ? [error.message, 1]
          : [`unexpected failure: ${String((error as Error).stack ?? error).split('\n')[0]}`, 1];
    out.error(message);
    // with --json, stdout always carries one document: a switch's report, or this
    if (!out.documented) out.document({ error: message, exitCode });
    return exitCode;
  }
}

/** parseArgs, but APIs named without --to are told that --to is missing, not that they are no command. */
async function parse(argv: string[]): Promise<Command> {
  try {
    return parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UnknownCommand)) throw error;
    const apis = await knownApis(error.options);
    if (!error.positionals.every((name) => apis.has(name))) throw error;
    throw new UsageError(
      `${error.positionals.join(' ')}: a switch needs --to <region|primary|secondary> (see npm run switch -- --help)`,
    );
  }
}

/** The API names of the stage's bookmark, or else of the topology; none if neither can be read. */
async function knownApis(options: UnknownCommand['options']): Promise<Set<string>> {
  const { loadBookmark } = await session();
  try {
    return new Set(loadBookmark(options).bookmark.services.map((s) => s.name));
  } catch {
    try {
      return new Set(loadTopology(options.stage).all.map((s) => s.name));
    } catch {
      return new Set();
    }
  }
}

async function switchCommand(command: Extract<Command, { kind: 'switch' }>, out: Output, argv: string[]) {
  const [{ loadBookmark, withSession }, { prepareSwitch, runSwitch }] = await Promise.all([
    session(),
    import('./switch'),
  ]);
  const { bookmark, file } = loadBookmark(command.options);
  const report: SwitchReport = {
    outcome: 'failed',
    to: command.to,
    overrides: [],
    endpoints: [],
    skippedReadiness: command.skipReadiness,
  };
  const trace: SwitchTrace = {};
  const startedAt = new Date();
  let exitCode = 0;
  const auditFile = command.options.auditLog ?? defaultAuditPath(bookmark.stage);
  // the intent line and the outcome line of one switch share it
  const id = randomUUID();
  const common = { action: 'switch', id, stage: bookmark.stage, argv, bookmark: file } as const;
  const intent = (): AuditEntry => {
    const { to, overrides, plan, batches, skippedReadiness } = report;
    return { ...common, phase: 'intent', to, overrides, skippedReadiness, plan, batches };
  };
  let accessKeyId: string | undefined;
  let recorded = false;
  const record = () => {
    if (recorded) return;
    recorded = true;
    if (command.wait && !['dry-run', 'declined'].includes(report.outcome)) {
      const written = writeSwitchReport({
        id,
        argv,
        bookmark,
        accessKeyId,
        startedAt,
        to: command.to,
        report,
        trace,
        exitCode,
      });
      if (written && 'files' in written) {
        report.report = written.files;
        out.line(
          `Report: ${written.files.markdown} (JSON ${written.files.json}, timeline ${written.files.svg})`,
        );
      } else if (written) out.note(`warning: ${written.warning}`);
    }
    // the audit line points at the report: the proof's samples stay there
    const { proof, ...outcome } = report;
    audit(
      out,
      auditFile,
      { ...common, phase: 'outcome', ...outcome, ...(proof && { proof: proofSummary(proof) }) },
      accessKeyId,
    );
    out.document({ stage: bookmark.stage, clusterArn: bookmark.clusterArn, ...report });
  };
  const interrupt = new InterruptTrap(
    'interrupted: no further update will be sent; the one in flight gets its answer or times out, then the states are read back (Ctrl-C again to quit without them)',
    () => {
      report.outcome = 'interrupted';
      exitCode = interrupt.exitCode;
      report.error =
        'interrupted again: quit without reading the states back; run status to see where traffic is';
      out.error(report.error);
      record();
    },
  );
  try {
    const request = prepareSwitch(command, bookmark);
    report.overrides = request.overrides;
    await withSession(command.options, bookmark, file, (session) => {
      accessKeyId = session.credentials.accessKeyId;
      // written before the first update: a killed CLI still leaves a trace of a change that may have happened
      const recordIntent = () => audit(out, auditFile, intent(), accessKeyId);
      return runSwitch(command, request, session, out, report, interrupt, recordIntent, trace);
    });
  } catch (error) {
    report.error = (error as Error).message;
    exitCode = error instanceof CommandError ? error.exitCode : 1;
    throw error;
  } finally {
    interrupt.release();
    record();
  }
}

async function syncCommand(command: Extract<Command, { kind: 'sync' }>, out: Output, argv: string[]) {
  const entry: AuditEntry = { action: 'sync', stage: command.options.stage, argv, outcome: 'failed' };
  try {
    // Loaded only here: the control-plane clients cost ~300 ms of start-up that a switch must not pay.
    const { sync } = await import('./sync');
    const { file, bookmark } = await sync(command.options, out);
    Object.assign(entry, { outcome: 'written', bookmark: file, clusterArn: bookmark.clusterArn });
  } catch (error) {
    entry.error = (error as Error).message;
    throw error;
  } finally {
    audit(out, command.options.auditLog ?? defaultAuditPath(command.options.stage), entry);
  }
}

function audit(out: Output, file: string, entry: AuditEntry, accessKeyId?: string): void {
  const warning = appendAudit(file, entry, accessKeyId);
  if (warning) out.note(`warning: ${warning}`);
}

/** What the audit line keeps of a proof: the times, not the samples. */
function proofSummary(proof: ProofResult) {
  return {
    proven: proof.proven,
    waitedMs: proof.waitedMs,
    apis: proof.apis.map(({ api, region, dnsMs, httpMs }) => ({ api, region, dnsMs, httpMs })),
  };
}

if (require.main === module) {
  // Exit as soon as the work is done: @smithy/node-http-handler leaves its connect-timeout timer running
  // after a refused connection, which would otherwise hold the process for --connect-timeout-ms.
  // stdout and stderr are synchronous on Linux for files, pipes and terminals, so nothing is lost.
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
