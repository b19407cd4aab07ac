import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { STAGE_NAME_PATTERN } from '@arc-failover/shared';
import { CommandError } from '@arc-failover/shared/command';
import { renderMarkdown } from './markdown';
import type { ExecutionReport } from './model';
import { renderTimeline } from './timeline';

export class ReportError extends CommandError {
  override name = 'ReportError';
}

/** Where a stage's reports go: `directory` as given, else `$ARC_REPORT_DIR/<stage>`, else arc/reports/<stage>. */
export function reportDirectory(stage: string, directory?: string): string {
  if (directory !== undefined) return path.resolve(directory);
  // the stage names a directory: a path in it would write elsewhere
  if (!STAGE_NAME_PATTERN.test(stage)) {
    throw new ReportError(
      `stage ${JSON.stringify(stage)}: not a stage name (lower-case letters, digits and dashes), so no reports directory for it`,
    );
  }
  // ARC_REPORT_DIR moves every stage's reports elsewhere (e.g. an incident share), as ARC_BOOKMARK does a bookmark
  const root = process.env.ARC_REPORT_DIR || path.resolve(__dirname, '..', '..', 'reports');
  return path.resolve(root, stage);
}

/**
 * Writes the report as `<stamp>-<switch|runbook name>-<id, 8 chars>.json`, `.md` and `.svg` side by side
 * (the Markdown embeds the SVG by its file name), each atomically; returns the three paths. The stamp is the
 * start in UTC, e.g. 20261201T230512Z, so a directory listing is in the order the runs began.
 */
export function writeReport(
  report: ExecutionReport,
  directory = reportDirectory(report.stage),
): { json: string; markdown: string; svg: string } {
  const base = path.join(directory, reportBaseName(report));
  const files = { json: `${base}.json`, markdown: `${base}.md`, svg: `${base}.svg` };
  mkdirSync(directory, { recursive: true });
  writeAtomically(files.svg, renderTimeline(report));
  writeAtomically(files.markdown, renderMarkdown(report, path.basename(files.svg)));
  // the JSON last: a report file that exists has its renderings beside it
  writeAtomically(files.json, `${JSON.stringify(report, null, 2)}\n`);
  return files;
}

/** A written report, checked as far as a resume needs: version 1, an id, a kind and a list of steps. */
export function readReport(file: string): ExecutionReport {
  const fail = (what: string) =>
    new ReportError(`${file}: ${what}; give the .json file a switch or runbook run wrote to arc/reports/`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ReportError(
      `no report at ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): give the path of a report's .json file`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw fail(`not valid JSON (${(error as Error).message.replace(/\s+/g, ' ')})`);
  }
  const r = doc as Partial<ExecutionReport> | null;
  if (typeof r !== 'object' || r === null || Array.isArray(r)) throw fail('not an execution report');
  if (r.version !== 1) throw fail(`not a version 1 execution report (version ${JSON.stringify(r.version)})`);
  if (typeof r.id !== 'string' || r.id === '') throw fail('the report has no id');
  if (r.kind !== 'switch' && r.kind !== 'runbook') {
    throw fail(`kind ${JSON.stringify(r.kind)}: not "switch" or "runbook"`);
  }
  if (!Array.isArray(r.steps)) throw fail('the report has no steps list');
  return r as ExecutionReport;
}

/** `20261201T230512Z-switch-0f3a9c1e`, `20261201T230512Z-drain-east-0f3a9c1e`. */
function reportBaseName(report: ExecutionReport): string {
  const name = report.kind === 'runbook' ? (report.runbook ?? 'runbook') : 'switch';
  return `${stamp(report.startedAt)}-${safe(name)}-${safe(report.id.slice(0, 8))}`;
}

function stamp(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return 'undated';
  return new Date(ms)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Only what is safe in a file name on every file system. */
function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'x';
}

/** As writeBookmark does: a reader never sees half a file. */
function writeAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}
