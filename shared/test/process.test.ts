import { tmpdir } from 'node:os';
import { realpathSync } from 'node:fs';
import { runProcess } from '../src/process';

const node = (script: string, options: Parameters<typeof runProcess>[2] = { cwd: tmpdir() }) =>
  runProcess(process.execPath, ['-e', script], options);

describe('running a process to its end', () => {
  it('keeps stdout and stderr apart, with the exit code, in the given folder and environment only', async () => {
    const run = await node(
      'console.log(process.cwd(), process.env.ONLY, process.env.PATH); console.error("é ✓"); process.exitCode = 3',
      { cwd: tmpdir(), env: { ONLY: 'this' } },
    );
    expect(run).toMatchObject({
      exitCode: 3,
      stdout: `${realpathSync(tmpdir())} this undefined\n`,
      stderr: 'é ✓\n',
    });
    expect(run.endedAt).toBeGreaterThanOrEqual(run.startedAt);
  });

  it('gives no exit code when a signal ends the process', async () => {
    const run = await node('process.kill(process.pid, "SIGKILL")');
    expect(run.exitCode).toBeNull();
  });

  it('gives an empty stdin, unless asked to answer on it', async () => {
    const readAll =
      'let i = ""; process.stdin.on("data", (d) => (i += d)).on("end", () => console.log(`[${i}]`));';
    expect((await node(readAll)).stdout).toBe('[]\n');

    const ask =
      'process.stdout.write("name? "); process.stdin.once("data", (d) => { console.log(`hi ${d}`.trim()); process.exit(0); });';
    const run = await node(ask, {
      cwd: tmpdir(),
      onStdout: (stdout, stdin) => {
        if (stdout === 'name? ') stdin.write('ops\n');
      },
    });
    expect(run).toMatchObject({ exitCode: 0, stdout: 'name? hi ops\n' });
  });

  it('rejects when the command cannot start', async () => {
    await expect(runProcess('/nonexistent/command', [], { cwd: tmpdir() })).rejects.toThrow(/ENOENT/);
  });
});
