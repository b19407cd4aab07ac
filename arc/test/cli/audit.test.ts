import fs, { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appendAudit } from '../../src/cli/audit';

const dir = mkdtempSync(path.join(tmpdir(), 'arc-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => jest.restoreAllMocks());

describe('appending an audit line', () => {
  it('appends one JSON line with who and when', () => {
    const file = path.join(dir, 'new', 'audit.jsonl');
    expect(appendAudit(file, { action: 'sync', stage: 'local', outcome: 'written' }, 'AKIDEXAMPLE')).toBe(
      undefined,
    );
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      at: expect.any(String),
      who: { user: expect.any(String), accessKeyId: 'AKIDEXAMPLE' },
      action: 'sync',
      outcome: 'written',
    });
  });

  // what Linux's /proc/<pid>/mem does with a write at offset 0: an unbounded write loop never ends
  it('gives up with a warning on a file that takes 0 bytes per write, instead of spinning', () => {
    jest.spyOn(fs, 'writeSync').mockReturnValue(0);
    const file = path.join(dir, 'zero.jsonl');
    expect(appendAudit(file, { action: 'sync', stage: 'local', outcome: 'written' })).toMatch(
      new RegExp(`^could not append to the audit log ${file}: only 0 of \\d+ bytes written$`),
    );
  });
});
