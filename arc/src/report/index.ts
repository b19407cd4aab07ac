/**
 * STUB, to be replaced by the report module's own index when it is merged (its writer and renderers are
 * written on another branch): just the two calls the runbook CLI makes, with their signatures, writing
 * and reading the JSON only.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CommandError } from '@arc-failover/shared/command';
import type { ExecutionReport } from './model';

export * from './model';

export class ReportError extends CommandError {
  override name = 'ReportError';
}

/** Writes `<directory>/<id>.json` atomically; returns its path. */
export function writeReport(
  report: ExecutionReport,
  directory = path.resolve(__dirname, '..', '..', 'reports', report.stage),
): { json: string; markdown?: string; svg?: string } {
  mkdirSync(directory, { recursive: true });
  const json = path.join(directory, `${report.id}.json`);
  writeFileSync(`${json}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${json}.tmp`, json);
  return { json };
}

export function readReport(file: string): ExecutionReport {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ExecutionReport;
  } catch (error) {
    throw new ReportError(`${file}: not a report (${(error as Error).message})`);
  }
}
