import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runProcess, type ProcessOptions, type ProcessRun } from './process';

/** The repository root: every project command runs from there. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

const BIN = path.join(REPO_ROOT, 'node_modules', '.bin');

/**
 * How to start `npm run <name>` without npm: the root package.json's script, when it is one program on
 * an entry point (`tsx <file>`, `node <file>`, either behind `exec`), run directly, which spares npm's own
 * start-up; any other script goes through npm. The root package.json stays the one list of the commands.
 */
export function projectCommand(name: string): { command: string; args: string[] } {
  const scripts = (
    JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const script = scripts[name];
  if (script === undefined) throw new Error(`no npm script "${name}" in the root package.json`);
  const [program, ...args] = script.replace(/^exec\s+/, '').split(/\s+/);
  if (program === 'tsx') return { command: path.join(BIN, 'tsx'), args };
  if (program === 'node') return { command: process.execPath, args };
  return { command: 'npm', args: ['run', '--silent', name, '--'] };
}

/** Runs `npm run <name> -- <args>` (as {@link projectCommand} starts it) from the repository root, to its end. */
export function runProjectCommand(
  name: string,
  args: readonly string[],
  options: Partial<ProcessOptions> = {},
): Promise<ProcessRun> {
  const { command, args: head } = projectCommand(name);
  return runProcess(command, [...head, ...args], {
    cwd: REPO_ROOT,
    ...options,
    env: { ...process.env, ...options.env },
  });
}
