import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './deployables';
import { CommandError } from '@arc-failover/shared/command';

export const SLS = path.join(REPO_ROOT, 'node_modules', '.bin', 'sls');

export class SlsError extends CommandError {
  override name = 'SlsError';
}

export interface SlsRun {
  /** Everything sls printed, stdout and stderr interleaved. */
  output: string;
}

/**
 * Runs the repository's osls in a package directory. `inherit` shows its progress live (deploys);
 * otherwise its output is kept, and a failure is an SlsError carrying osls's own error message.
 */
export function sls(
  dir: string,
  args: string[],
  { inherit = false, env = process.env }: { inherit?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<SlsRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SLS, ...args], {
      cwd: dir,
      env,
      stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolve({ output });
      const where = `sls ${args.join(' ')} in ${path.relative(REPO_ROOT, dir) || '.'}`;
      reject(new SlsError(`${where} failed: ${errorMessageOf(output) ?? `exit ${code ?? signal}`}`));
    });
  });
}

/** osls prints `Error:` on a line of its own, then the message, then its environment footer. */
function errorMessageOf(output: string): string | undefined {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => line.trim() === 'Error:');
  if (start < 0) return undefined;
  const message = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('Environment:') || (line.trim() === '' && message.length)) break;
    if (line.trim()) message.push(line.trim());
  }
  return message.join(' ') || undefined;
}
