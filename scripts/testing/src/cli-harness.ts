import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { REPO_ROOT, runProcess, type ProcessRun, type Topology } from '@arc-failover/shared';
import { writeBookmark, type Bookmark } from '@arc-failover/arc';
import { ClusterEmulator } from '@arc-failover/arc/emulator';
import { RegionalTargets } from './regional-targets';

const ROOT = REPO_ROOT;
/** The CLI's launcher, as `npm run switch` runs it: one Node process on the prebuilt bundle of the CLI. */
const LAUNCHER = path.join(ROOT, 'arc', 'bin', 'switch.cjs');

/** A CLI process on a pseudo-terminal: what it printed, and keys to type at it. */
export interface TerminalRun {
  ended: Promise<ProcessRun>;
  type(keys: string): void;
  /** Resolves once the terminal shows `text`; rejects if the CLI ends first. */
  printed(text: string): Promise<void>;
}

/**
 * An emulated cluster for one test file, its bookmark in a temporary directory, and a way to run the real
 * CLI process against it with a clean environment (no AWS variables, a HOME without ~/.aws).
 */
export class CliHarness {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'arc-cli-'));
  readonly bookmarkFile = path.join(this.dir, 'bookmark.json');
  readonly auditFile = path.join(this.dir, 'audit.jsonl');
  readonly reportDir = path.join(this.dir, 'reports');

  private constructor(
    readonly emulator: ClusterEmulator,
    /** Every API's own URL in each Region, which the readiness gate asks: healthy unless told otherwise. */
    readonly targets: RegionalTargets,
  ) {}

  static async start(topology: Topology, setUp?: (emulator: ClusterEmulator) => void): Promise<CliHarness> {
    const [emulator, targets] = await Promise.all([
      ClusterEmulator.start({ topology, waitPeriodMs: 0 }),
      RegionalTargets.start(),
    ]);
    setUp?.(emulator);
    const harness = new CliHarness(emulator, targets);
    writeBookmark(harness.bookmarkFile, targets.withUrls(emulator.bookmark()));
    return harness;
  }

  get bookmark(): Bookmark {
    return JSON.parse(readFileSync(this.bookmarkFile, 'utf8')) as Bookmark;
  }

  /** Writes a variant of the bookmark (or raw text) and returns its path. */
  writeVariant(name: string, content: Bookmark | string): string {
    const file = path.join(this.dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  }

  /** Runs `npm run switch -- <args>` as a process, with the bookmark in ARC_BOOKMARK and a private audit log. */
  run(args: string[], env: Record<string, string> = {}): Promise<ProcessRun> {
    return runProcess(process.execPath, [LAUNCHER, ...args, ...this.auditFlag(args)], {
      cwd: ROOT,
      env: this.env(env),
    });
  }

  /**
   * Starts `<command...> <args>` (e.g. `npm run switch --`, or `timeout 5 npm run switch --`) from the
   * repository root with the harness's environment and audit log, no terminal, stdin empty.
   */
  spawnCommand(command: string[], args: string[]): ChildProcessWithoutNullStreams {
    const [file, ...rest] = command;
    const child = spawn(file!, [...rest, ...args, ...this.auditFlag(args)], { cwd: ROOT, env: this.env({}) });
    child.stdin.end();
    return child;
  }

  /**
   * Starts the CLI as one process (its launcher, as `npm run switch` execs it), so that a signal sent to
   * `child` reaches the CLI itself: `kill -9`, or the SIGHUP of a closed terminal.
   */
  spawn(args: string[]): { child: ChildProcess; ended: Promise<ProcessRun> } {
    const startedAt = Date.now();
    const child = spawn(process.execPath, [LAUNCHER, ...args, ...this.auditFlag(args)], {
      cwd: ROOT,
      env: this.env({}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let [stdout, stderr] = ['', ''];
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const ended = new Promise<ProcessRun>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr, startedAt, endedAt: Date.now() }));
    });
    return { child, ended };
  }

  /** Runs the CLI on a pseudo-terminal (util-linux `script`), answering `answer` to the confirmation prompt. */
  runOnTerminal(args: string[], answer: string): Promise<ProcessRun> {
    return this.startOnTerminal(args, () => Promise.resolve(answer)).ended;
  }

  /**
   * Starts the CLI on a pseudo-terminal (util-linux `script`), by `npm run switch` with `viaNpm`. At the
   * confirmation prompt `atPrompt` runs and its answer is typed in. `type` types more: Ctrl-C ('\x03') has
   * the terminal send SIGINT to every process of the command, as it does for an operator.
   */
  startOnTerminal(args: string[], atPrompt: () => Promise<string>, { viaNpm = false } = {}): TerminalRun {
    // npm's default script shell (dash on Debian) execs the CLI's launcher: npm's own pass-on of a Ctrl-C
    // then reaches the CLI as a second SIGINT
    const npm = ['npm', 'run', '--silent', 'switch', '--'];
    const cli = viaNpm ? npm : [process.execPath, LAUNCHER];
    const command = [...cli, ...args, ...this.auditFlag(args)].map((a) => `'${a}'`).join(' ');
    let terminal: Writable | undefined;
    let output = '';
    let prompted = false;
    const waiting = new Set<{ text: string; resolve: () => void }>();
    const ended = runProcess('script', ['-qec', command, '/dev/null'], {
      cwd: ROOT,
      env: this.env({}),
      onStdout: (stdout, stdin) => {
        [terminal, output] = [stdin, stdout];
        for (const waiter of waiting) {
          if (!stdout.includes(waiter.text)) continue;
          waiting.delete(waiter);
          waiter.resolve();
        }
        if (prompted || !stdout.includes('[y/N]')) return;
        prompted = true;
        void atPrompt().then((answer) => stdin.write(`${answer}\n`));
      },
    });
    return {
      ended,
      type: (keys) => {
        if (!terminal) throw new Error('the CLI has printed nothing yet: no terminal to type on');
        terminal.write(keys);
      },
      printed: (text) => {
        if (output.includes(text)) return Promise.resolve();
        const shown = new Promise<void>((resolve) => waiting.add({ text, resolve }));
        const gone = ended.then((run) => {
          throw new Error(`the CLI ended without printing "${text}": ${run.stdout}`);
        });
        return Promise.race([shown, gone]);
      },
    };
  }

  auditLines(): Record<string, unknown>[] {
    try {
      return readFileSync(this.auditFile, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    } catch {
      return [];
    }
  }

  /** The audit lines that record how a run ended (a switch also writes its intent before its first update). */
  auditOutcomes(): Record<string, unknown>[] {
    return this.auditLines().filter((line) => line.phase !== 'intent');
  }

  state(api: string, region: string): string {
    return this.emulator.stateOf(this.emulator.routingControlArn(api, region));
  }

  /** The API's two routing-control states, its primary Region's first. */
  states(api: string): string[] {
    const service = this.bookmark.services.find((s) => s.name === api)!;
    return [service.primaryRegion, service.secondaryRegion].map((region) => this.state(api, region));
  }

  /** Every routing control's state, for asserting that nothing changed. */
  allStates(): Record<string, string> {
    return Object.fromEntries(
      this.bookmark.services.flatMap((s) =>
        Object.entries(s.routingControls).map(([region, arn]) => [
          `${s.name}@${region}`,
          this.emulator.stateOf(arn),
        ]),
      ),
    );
  }

  totalRequests(): number {
    return Object.values(this.emulator.requestCounts()).reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    await Promise.all([this.emulator.close(), this.targets.close()]);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private auditFlag(args: string[]): string[] {
    const audited = !args.includes('status') && !args.includes('--help') && !args.includes('--audit-log');
    return audited ? ['--audit-log', this.auditFile] : [];
  }

  private env(extra: Record<string, string>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (!key.startsWith('AWS_') && key !== 'ARC_BOOKMARK') env[key] = value;
    }
    return {
      ...env,
      HOME: this.dir,
      AWS_EC2_METADATA_DISABLED: 'true',
      ARC_BOOKMARK: this.bookmarkFile,
      // reports stay in the harness's directory, not the repository's arc/reports
      ARC_REPORT_DIR: this.reportDir,
      ...extra,
    };
  }
}
