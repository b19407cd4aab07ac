import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ARC_CLUSTER_ENDPOINT_REGIONS, loadTopology } from '@arc-failover/shared';
import { CliHarness } from '@arc-failover/testing';

/**
 * `npm run switch` as CI, GNU timeout or `kill` drive it: a signal sent to the npm process (no terminal)
 * must reach the CLI's interrupt handling, and npm must return only once the CLI has finished, with its
 * exit status, leaving no CLI process behind. The update in flight is applied but never answered
 * ('hang-after-update'), so the CLI waits out its write timeout before reading back.
 */

/** Every call goes to this endpoint: the test's bookmark lists no other. */
const ONLY = ARC_CLUSTER_ENDPOINT_REGIONS[0];
const NPM_RUN_SWITCH = ['npm', 'run', 'switch', '--'];
const NOTICE = 'interrupted: no further update will be sent';
const WRITE_TIMEOUT_MS = 3000;
let cli: CliHarness;
let bookmark: string;
let started: ChildProcessWithoutNullStreams[] = [];

jest.setTimeout(60_000);

beforeAll(async () => {
  cli = await CliHarness.start(loadTopology('local'));
  expect((await cli.run(['--all', '--to', 'primary', '--yes'])).exitCode).toBe(0);
  bookmark = cli.writeVariant('one-endpoint.json', {
    ...cli.bookmark,
    endpoints: cli.bookmark.endpoints.filter((e) => e.region === ONLY),
  });
});
afterEach(async () => {
  // whatever a failed test left running is stopped here: the processes of this test's command line
  for (const { pid } of processesOfThisTest()) process.kill(pid, 'SIGKILL');
  for (const child of started) child.kill('SIGKILL');
  started = [];
  await cli.emulator.setFault(ONLY, 'none');
  if (cli.states('service1')[0] !== 'On') {
    expect((await cli.run(['service1', '--to', 'primary', '--yes'])).exitCode).toBe(0);
  }
});
afterAll(() => cli.close());

/** Every live process whose command line names this test's temporary directory (npm, sh, the CLI). */
function processesOfThisTest(): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let command: string;
    let state: string;
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      state = /^State:\s+(\w)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';
    } catch {
      continue; // gone meanwhile
    }
    if (command.includes(cli.dir) && state !== 'Z') found.push({ pid, command });
  }
  return found;
}

interface Ended {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** What was true the moment the outer process exited. */
  atExit: { audit: Record<string, unknown>[]; processes: string[] };
}

/** Starts service1's switch to its secondary with `wrapper` in front; resolves once its update is applied. */
async function startSwitch(
  wrapper: string[],
  writeTimeoutMs = WRITE_TIMEOUT_MS,
): Promise<{ pid: number; ended: Promise<Ended> }> {
  await cli.emulator.setFault(ONLY, 'hang-after-update');
  const args = ['service1', '--to', 'secondary', '--yes', '--bookmark', bookmark];
  const child = cli.spawnCommand(wrapper, [...args, '--write-timeout-ms', String(writeTimeoutMs)]);
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ended = new Promise<Ended>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode, signal) => {
      // read at once: an orphaned CLI would still be running, and would write its audit line later
      const atExit = { audit: cli.auditLines(), processes: processesOfThisTest().map((p) => p.command) };
      // what it printed up to its exit; a process left behind holding the pipes must not delay this
      setTimeout(() => resolve({ exitCode, signal, stdout, stderr, atExit }), 100);
    });
  });
  const gone = ended.then((run) => {
    throw new Error(`ended before its update reached the cluster: ${run.stdout}${run.stderr}`);
  });
  const applied = (async () => {
    while (cli.states('service1')[1] !== 'On') await sleep(10);
  })();
  await Promise.race([applied, gone]);
  return { pid: child.pid!, ended };
}

/** What the CLI prints and records when interrupted after its update took effect. */
function expectInterruptedAfterSwitch(run: Ended): void {
  expect(run.stdout).toContain('Interrupted. Read back from the cluster:');
  expect(run.stdout).toMatch(/^ {2}service1\s+us-east-1 Off\s+us-west-2 On\s+us-west-2 \(secondary\)$/m);
  expect(run.stderr).toContain(NOTICE);
  expect(run.stderr).toContain(
    'error: interrupted, but the switch took effect: service1 as planned, read back from the cluster',
  );
  expect(run.stderr).not.toContain('interrupted again');
  // the CLI had finished, audit line written, before the outer process returned
  expect(run.atExit.processes).toEqual([]);
  expect(run.atExit.audit.at(-1)).toMatchObject({
    action: 'switch',
    outcome: 'interrupted',
    verified: true,
    readBack: [{ name: 'service1', servingRegion: 'us-west-2' }],
    endpoints: [
      { call: 'read', answeredBy: { region: ONLY } },
      { call: 'update 1/1', failed: [{ region: ONLY, kind: 'timeout' }] },
      { call: 'read back', answeredBy: { region: ONLY } },
    ],
  });
  expect(cli.states('service1')).toEqual(['Off', 'On']);
}

describe('a signal to the npm process of npm run switch once the update is in flight', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    '%s: npm returns when the CLI has read back and audited, with its status %i',
    async (signal, code) => {
      const { pid, ended } = await startSwitch(NPM_RUN_SWITCH);
      const sentAt = performance.now();
      process.kill(pid, signal);
      const run = await ended;
      const tookMs = performance.now() - sentAt;

      expect({ exitCode: run.exitCode, signal: run.signal }).toEqual({ exitCode: code, signal: null });
      expectInterruptedAfterSwitch(run);
      // the update in flight was waited for (its timeout), not abandoned
      expect(tookMs).toBeGreaterThan(WRITE_TIMEOUT_MS / 2);
    },
  );
});

describe('GNU timeout around npm run switch', () => {
  // timeout signals npm and, as it runs npm in a process group of its own, every process of the group
  it.each([
    [[], 124],
    [['--preserve-status'], 143],
  ] as const)('timeout %j -s TERM: returns when the CLI has finished, exit %i', async (flags, code) => {
    // long enough for npm and the CLI to start and send the update on a busy machine; the update then
    // stays in flight past it
    const afterS = 4;
    const writeTimeoutMs = (afterS + 2) * 1000;
    const startedAt = performance.now();
    const command = ['timeout', ...flags, '-s', 'TERM', String(afterS), ...NPM_RUN_SWITCH];
    const { ended } = await startSwitch(command, writeTimeoutMs);
    const updateAtMs = performance.now() - startedAt;
    expect(updateAtMs).toBeLessThan(afterS * 1000);
    const run = await ended;

    expect({ exitCode: run.exitCode, signal: run.signal }).toEqual({ exitCode: code, signal: null });
    expectInterruptedAfterSwitch(run);
    // not at the signal: once the update in flight had timed out, been read back and audited
    expect(performance.now() - startedAt).toBeGreaterThan(updateAtMs + writeTimeoutMs);
  });
});
