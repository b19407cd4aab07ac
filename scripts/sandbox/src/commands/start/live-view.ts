import { clock, formatRound, probeAll, type ProbeResult } from '../probe/probe';

export interface LiveViewOptions {
  entryUrl: string;
  paths: string[];
  intervalMs: number;
  print: (line: string) => void;
}

/**
 * The design's test script, built in: every few seconds, each public URL with the Region that answered,
 * the status and the latency; and a line of its own whenever a URL's answering Region changes.
 */
export class LiveView {
  private timer: NodeJS.Timeout | undefined;
  private readonly lastRegion = new Map<string, string>();
  private running: Promise<void> | undefined;

  constructor(private readonly options: LiveViewOptions) {}

  start(): void {
    const tick = () => {
      this.running = this.tick().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async tick(): Promise<void> {
    const results = await probeAll(this.options.entryUrl, this.options.paths, 2000);
    if (!this.timer) return;
    this.options.print(formatRound(results));
    for (const line of this.changes(results)) this.options.print(line);
  }

  private changes(results: ProbeResult[]): string[] {
    const lines: string[] = [];
    for (const result of results) {
      if (!result.region) continue;
      const previous = this.lastRegion.get(result.path);
      if (previous && previous !== result.region) {
        lines.push(
          `${clock(result.at)}  >>> ${result.path} now answered from ${result.region} (was ${previous})`,
        );
      }
      this.lastRegion.set(result.path, result.region);
    }
    return lines;
  }
}
