import { readFileSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { runProcess } from '@arc-failover/shared';

/**
 * arc/bin/switch.cjs, what `npm run switch` runs: the CLI's prebuilt bundle, rebuilt before the run when a
 * source file changed, so an edited CLI is never run from an old bundle.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const LAUNCHER = path.join(ROOT, 'arc', 'bin', 'switch.cjs');
const BUNDLE = path.join(ROOT, 'arc', 'dist', 'switch.cjs');
const MANIFEST = path.join(ROOT, 'arc', 'dist', 'switch.inputs.json');
/** A source file of the CLI; only its mtime is changed, and put back. */
const SOURCE = path.join(ROOT, 'arc', 'src', 'cli', 'output.ts');

jest.setTimeout(60_000);

const launch = (args: string[]) => runProcess(process.execPath, [LAUNCHER, ...args], { cwd: ROOT });
const built = () => statSync(BUNDLE).mtimeMs;
const recorded = (file: string) =>
  (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { inputs: Record<string, number[]> }).inputs[
    path.relative(ROOT, file)
  ];

it('runs the CLI from its bundle, as npm run switch does', async () => {
  const run = await launch(['--help']);
  expect(run).toMatchObject({ exitCode: 0, stderr: '' });
  expect(run.stdout).toMatch(/^Usage: npm run switch -- <command>/);
  const bad = await launch(['--to']);
  expect(bad.exitCode).toBe(2);
  expect(bad.stderr).toMatch(/^error: /);
});

it('rebuilds the bundle before running when a source file changed, and only then', async () => {
  expect((await launch(['--help'])).exitCode).toBe(0);
  const before = built();
  expect((await launch(['--help'])).exitCode).toBe(0);
  expect(built()).toBe(before);

  const { atime, mtime } = statSync(SOURCE);
  try {
    const edited = new Date(Math.max(Date.now(), mtime.getTime() + 1000));
    utimesSync(SOURCE, atime, edited);
    const run = await launch(['--help']);
    expect(run.exitCode).toBe(0);
    expect(built()).toBeGreaterThan(before);
    expect(recorded(SOURCE)).toEqual([statSync(SOURCE).size, statSync(SOURCE).mtimeMs]);
  } finally {
    utimesSync(SOURCE, atime, mtime);
  }
  // its old mtime back is a change too: rebuilt once more, then up to date
  expect((await launch(['--help'])).exitCode).toBe(0);
  expect(recorded(SOURCE)).toEqual([statSync(SOURCE).size, statSync(SOURCE).mtimeMs]);
});
