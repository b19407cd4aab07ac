import { mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CommandError } from '@arc-failover/shared/command';
import { readReport, reportDirectory, ReportError, writeReport } from '../../src/report';
import { drainEast, provenSwitch } from './fixtures';
import { lanes, wellFormedness } from './svg';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'arc-report-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('where reports go', () => {
  it('is arc/reports/<stage> of this checkout unless ARC_REPORT_DIR or a directory says otherwise', () => {
    const moved = process.env.ARC_REPORT_DIR;
    try {
      delete process.env.ARC_REPORT_DIR;
      expect(reportDirectory('prod')).toBe(path.resolve(__dirname, '..', '..', 'reports', 'prod'));
      process.env.ARC_REPORT_DIR = '/srv/incidents';
      expect(reportDirectory('prod')).toBe('/srv/incidents/prod');
    } finally {
      process.env.ARC_REPORT_DIR = moved;
    }
    expect(reportDirectory('prod', 'elsewhere/reports')).toBe(path.resolve('elsewhere/reports'));
  });

  it('refuses a stage that is not a stage name, since it names a directory', () => {
    expect(() => reportDirectory('../../etc')).toThrow(ReportError);
    expect(() => reportDirectory('../../etc')).toThrow(/^stage "\.\.\/\.\.\/etc": not a stage name/);
  });
});

describe('writing a report', () => {
  it('writes JSON, Markdown and SVG named by start, switch and id, the Markdown embedding the SVG', () => {
    const report = provenSwitch();
    const files = writeReport(report, path.join(dir, 'prod'));
    const base = path.join(dir, 'prod', '20261201T230512Z-switch-0f3a9c1e');
    expect(files).toEqual({ json: `${base}.json`, markdown: `${base}.md`, svg: `${base}.svg` });
    expect(readdirSync(path.join(dir, 'prod')).sort()).toEqual([
      '20261201T230512Z-switch-0f3a9c1e.json',
      '20261201T230512Z-switch-0f3a9c1e.md',
      '20261201T230512Z-switch-0f3a9c1e.svg',
    ]);
    const json = readFileSync(files.json, 'utf8');
    expect(json).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(readFileSync(files.markdown, 'utf8').split('\n')).toContain(
      '![timeline](20261201T230512Z-switch-0f3a9c1e.svg)',
    );
    const svg = readFileSync(files.svg, 'utf8');
    expect(wellFormedness(svg)).toBeUndefined();
    expect(lanes(svg).map((l) => l.api)).toEqual(['service1', 'external-api']);
  });

  it('names a runbook run by its runbook, and sorts runs by when they started', () => {
    const first = drainEast();
    const second = { ...drainEast(), id: 'a1b2c3d4e5f6', startedAt: '2026-12-02T01:00:00.999Z' };
    writeReport(second, dir);
    writeReport(first, dir);
    writeReport({ ...provenSwitch(), startedAt: '2026-12-01T23:59:59.000Z' }, dir);
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual([
      '20261201T230512Z-drain-east-0f3a9c1e.json',
      '20261201T235959Z-switch-0f3a9c1e.json',
      '20261202T010000Z-drain-east-a1b2c3d4.json',
    ]);
  });

  it('keeps a runbook name that is not a safe file name inside the directory', () => {
    const files = writeReport({ ...drainEast(), runbook: '../../x y' }, dir);
    expect(path.dirname(files.json)).toBe(dir);
    expect(path.basename(files.json)).toBe('20261201T230512Z-x-y-0f3a9c1e.json');
  });

  it('leaves no temporary file, and replaces a report written again', () => {
    const report = provenSwitch();
    writeReport(report, dir);
    const files = writeReport({ ...report, outcome: 'not-proven' }, dir);
    expect(readdirSync(dir)).toHaveLength(3);
    expect(readReport(files.json).outcome).toBe('not-proven');
  });

  it('goes to arc/reports/<stage> by default', () => {
    const report = { ...provenSwitch(), stage: 'report-test-default' };
    const files = writeReport(report);
    try {
      expect(path.dirname(files.json)).toBe(reportDirectory('report-test-default'));
    } finally {
      rmSync(reportDirectory('report-test-default'), { recursive: true, force: true });
      // and arc/reports, when nothing else is in it
      if (readdirSync(path.dirname(reportDirectory('report-test-default'))).length === 0) {
        rmdirSync(path.dirname(reportDirectory('report-test-default')));
      }
    }
  });
});

describe('reading a report back', () => {
  it('round-trips what writeReport wrote', () => {
    const report = drainEast();
    expect(readReport(writeReport(report, dir).json)).toEqual(report);
  });

  it.each([
    [
      'a bookmark',
      { version: 2, stage: 'prod', services: [] },
      'not a version 1 execution report (version 2)',
    ],
    ['a list', [1, 2], 'not an execution report'],
    ['no id', { version: 1, kind: 'switch', steps: [] }, 'the report has no id'],
    [
      'an unknown kind',
      { version: 1, id: 'x', kind: 'deploy', steps: [] },
      'kind "deploy": not "switch" or "runbook"',
    ],
    ['no steps', { version: 1, id: 'x', kind: 'runbook' }, 'the report has no steps list'],
  ])('refuses %s with one line naming the file and what to give instead', (_, doc, what) => {
    const file = path.join(dir, 'other.json');
    writeFileSync(file, JSON.stringify(doc));
    const read = () => readReport(file);
    expect(read).toThrow(ReportError);
    expect(read).toThrow(CommandError);
    expect(read).toThrow(
      new ReportError(`${file}: ${what}; give the .json file a switch or runbook run wrote to arc/reports/`),
    );
  });

  it('refuses a file that is not JSON, and one that is not there, each in one line', () => {
    const file = path.join(dir, 'notes.md');
    writeFileSync(file, '# not a report\n');
    expect(() => readReport(file)).toThrow(
      new RegExp(`^${file}: not valid JSON \\(.*\\); give the \\.json file`),
    );
    const missing = path.join(dir, 'gone.json');
    expect(() => readReport(missing)).toThrow(
      new ReportError(`no report at ${missing} (ENOENT): give the path of a report's .json file`),
    );
    for (const f of [file, missing]) {
      try {
        readReport(f);
      } catch (error) {
        expect((error as Error).message).not.toContain('\n');
      }
    }
  });
});
