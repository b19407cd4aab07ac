import { TopologyError } from '@arc-failover/shared/topology';
import { parseArgs, USAGE, type Command } from './args';
import { appendAudit, defaultAuditPath } from './audit';
import { CliError } from './errors';
import { Output } from './output';
import { loadBookmark, openSession, type Session } from './session';
import { status } from './status';
import { prepareSwitch, runSwitch, type SwitchReport } from './switch';
import { sync } from './sync';

/** The switchover CLI. Resolves to the exit status; every failure is one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  // stderr is for the one line that matters; the SDK's notice about future Node versions is not it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let out = new Output(argv.includes('--json'));
  let session: Session | undefined;
  try {
    const command = parseArgs(argv);
    if (command.kind === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    out = new Output(command.options.json);
    if (command.kind === 'sync') {
      await audited(command, out, async (entry) => {
        const { file, bookmark } = await sync(command.options, out);
        Object.assign(entry, { outcome: 'written', bookmark: file, clusterArn: bookmark.clusterArn });
      });
      return 0;
    }
    const { bookmark, file } = loadBookmark(command.options);
    if (command.kind === 'status') {
      session = await openSession(command.options, bookmark, file);
      await status(session, out);
    } else {
      const request = prepareSwitch(command, bookmark);
      const report: SwitchReport = {
        outcome: 'failed',
        to: command.to,
        overrides: request.overrides,
        endpoints: [],
      };
      await audited(
        { ...command, options: { ...command.options, stage: bookmark.stage } },
        out,
        async (entry) => {
          entry.bookmark = file;
          entry.report = report;
          try {
            session = await openSession(command.options, bookmark, file);
            entry.accessKeyId = session.credentials.accessKeyId;
            await runSwitch(command, request, session, out, report);
          } catch (error) {
            report.error = (error as Error).message;
            throw error;
          } finally {
            entry.outcome = report.outcome;
            out.document({ stage: bookmark.stage, clusterArn: bookmark.clusterArn, ...report });
          }
        },
      );
    }
    out.flushNotes();
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      out.error(error.message);
      return error.exitCode;
    }
    if (error instanceof TopologyError) {
      out.error(error.message);
      return 1;
    }
    out.error(`unexpected failure: ${(error as Error).stack ?? String(error)}`.split('\n')[0]!);
    return 1;
  } finally {
    session?.dataPlane.close();
  }
}

type AuditDetails = Record<string, unknown> & { outcome: string; accessKeyId?: string };

/** Runs a state-changing command and appends its audit line whatever the outcome. */
async function audited(
  command: Extract<Command, { kind: 'switch' | 'sync' }>,
  out: Output,
  action: (entry: AuditDetails) => Promise<void>,
): Promise<void> {
  const entry: AuditDetails = { outcome: 'failed', argv: process.argv.slice(2) };
  try {
    await action(entry);
  } catch (error) {
    entry.error = (error as Error).message;
    throw error;
  } finally {
    const { accessKeyId, outcome, ...details } = entry;
    const file = command.options.auditLog ?? defaultAuditPath(command.options.stage);
    const warning = appendAudit(
      file,
      { action: command.kind, stage: command.options.stage, outcome, ...details },
      accessKeyId,
    );
    if (warning) out.note(`warning: ${warning}`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
