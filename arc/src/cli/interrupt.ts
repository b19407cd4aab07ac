import { constants } from 'node:os';

/** SIGHUP is a closed terminal or a dropped SSH session: as much an interrupt as Ctrl-C or SIGTERM. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type TrappedSignal = (typeof SIGNALS)[number];

/**
 * A second signal this soon after the first is the same Ctrl-C passed on by a wrapper: the terminal signals
 * npm, tsx and the CLI at once, and npm and tsx each pass it on once more.
 */
const SAME_INTERRUPT_MS = 1000;

/** The exit status of a process ended by `signal`, as a shell reports it: 130 for Ctrl-C, 129 for SIGHUP. */
export function interruptedExitCode(signal: TrappedSignal): number {
  return 128 + constants.signals[signal];
}

/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP once a change may be under way. Node's default, exiting at once, would leave
 * no audit line and no word of where traffic is. Once armed, the first signal only aborts `signal`, for
 * the caller to stop at a safe point; a second one, a second or more later, runs `forceExit` and exits.
 */
export class InterruptTrap {
  private readonly controller = new AbortController();
  private readonly listeners = new Map<TrappedSignal, () => void>();
  private first?: { signal: TrappedSignal; at: number };

  constructor(
    /** Said on stderr at the first signal: what happens now, and how to quit at once. */
    private readonly notice: string,
    /** Runs before a forced exit, synchronously: the last chance to write anything. */
    private readonly forceExit: (signal: TrappedSignal) => void,
  ) {}

  /** Aborted at the first signal once armed. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The exit status for an interrupted run: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP. */
  get exitCode(): number {
    return interruptedExitCode(this.first?.signal ?? 'SIGINT');
  }

  arm(): void {
    for (const name of SIGNALS) {
      if (this.listeners.has(name)) continue;
      const listener = () => this.onSignal(name);
      this.listeners.set(name, listener);
      process.on(name, listener);
    }
  }

  release(): void {
    for (const [name, listener] of this.listeners) process.off(name, listener);
    this.listeners.clear();
  }

  private onSignal(name: TrappedSignal): void {
    // a hung-up terminal fails every write to it: that must not end the run before its read back and audit
    if (name === 'SIGHUP')
      for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
    if (!this.first) {
      this.first = { signal: name, at: performance.now() };
      this.controller.abort();
      process.stderr.write(`${this.notice}\n`);
      return;
    }
    if (performance.now() - this.first.at < SAME_INTERRUPT_MS) return;
    this.forceExit(name);
    process.exit(interruptedExitCode(name));
  }
}
