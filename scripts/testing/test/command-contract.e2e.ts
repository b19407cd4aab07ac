import path from 'node:path';
import { REPO_ROOT, runProcess, type ProcessRun } from '@arc-failover/shared';
import { runCommand, TSX } from '../src';

/**
 * One command contract: every command, run as its own process, answers the same usage mistakes with one
 * line in one shape, `error: <what is wrong> (see <how to run it> --help)`, and exit 2; --help prints its
 * help on stdout and exits 0. Each mistake stops the command before it reads or starts anything.
 */
jest.setTimeout(60_000);

const STACK_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'arc-failover-stack');
const SERVICE1 = path.join(REPO_ROOT, 'packages', 'service1');

interface Command {
  /** How a user runs it, as its messages name it. */
  invocation: string;
  run: (args: string[]) => Promise<ProcessRun>;
  /** Where flag mistakes go (after `args`), a flag there that takes a value, and how the message names it. */
  flags: { args: string[]; valueFlag: string; invocation: string };
  /** A command line of it with one argument too many, "stray", and how the message names that command. */
  stray: { args: string[]; invocation: string };
  /** Mistakes it does not yet answer in the contract's shape. */
  notYet?: Mistake[];
}

type Mistake = 'unknown flag' | 'flag without its value' | 'stray argument' | '--help';

const npm = (name: string, invocation: string, valueFlag = '--bookmark'): Command => ({
  invocation,
  run: (args) => runCommand(name, args),
  flags: { args: [], valueFlag, invocation },
  stray: { args: ['stray'], invocation },
});

const COMMANDS: Command[] = [
  npm('start', 'npm start --'),
  npm('probe', 'npm run probe --'),
  npm('demo', 'npm run demo --'),
  {
    ...npm('fault', 'npm run fault --'),
    stray: { args: ['status', 'stray'], invocation: 'npm run fault -- status' },
  },
  {
    ...npm('switch', 'npm run switch --'),
    stray: { args: ['status', 'stray'], invocation: 'npm run switch -- status' },
  },
  {
    invocation: 'arc-failover-stack deploy',
    run: (args) => runProcess(STACK_BIN, ['deploy', ...args], { cwd: SERVICE1 }),
    flags: { args: [], valueFlag: '--stage', invocation: 'arc-failover-stack deploy' },
    stray: { args: ['stray'], invocation: 'arc-failover-stack deploy' },
  },
  {
    invocation: 'arc-failover-stack',
    run: (args) => runProcess(STACK_BIN, args, { cwd: REPO_ROOT }),
    // It has no flag of its own: the stage belongs to its subcommands.
    flags: { args: ['remove-all'], valueFlag: '--stage', invocation: 'arc-failover-stack remove-all' },
    stray: { args: ['check', 'stray'], invocation: 'arc-failover-stack check' },
  },
  {
    invocation: 'npx tsx arc/src/emulator/main.ts',
    run: (args) => runProcess(TSX, ['arc/src/emulator/main.ts', ...args], { cwd: REPO_ROOT }),
    flags: { args: [], valueFlag: '--bookmark', invocation: 'npx tsx arc/src/emulator/main.ts' },
    stray: { args: ['stray'], invocation: 'npx tsx arc/src/emulator/main.ts' },
  },
];

const usageMistake = async (run: Promise<ProcessRun>) => {
  const { exitCode, stdout, stderr } = await run;
  return { exitCode, stdout, stderr };
};

describe.each(COMMANDS.map((command) => [command.invocation, command] as const))('%s', (_name, command) => {
  const test = (mistake: Mistake) => (command.notYet?.includes(mistake) ? it.failing : it);

  test('unknown flag')('refuses an unknown flag: one line, exit 2', async () => {
    expect(await usageMistake(command.run([...command.flags.args, '--bogus']))).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `error: unknown flag --bogus (see ${command.flags.invocation} --help)\n`,
    });
  });

  test('flag without its value')('refuses a flag without its value: one line, exit 2', async () => {
    expect(await usageMistake(command.run([...command.flags.args, command.flags.valueFlag]))).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `error: ${command.flags.valueFlag} needs a value (see ${command.flags.invocation} --help)\n`,
    });
  });

  test('stray argument')('refuses an argument it does not take: one line, exit 2', async () => {
    expect(await usageMistake(command.run(command.stray.args))).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `error: unexpected argument "stray" (see ${command.stray.invocation} --help)\n`,
    });
  });

  test('--help')('prints its help on stdout and exits 0', async () => {
    const { exitCode, stdout, stderr } = await command.run(['--help']);
    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(stdout.startsWith(`Usage: ${command.invocation}`)).toBe(true);
    expect(stdout).toMatch(/^Flags:\n( {2}.*\n)* {2}--help +this text$/m);
  });
});
