import { probeAll, type ProbeResult } from '../probe/probe';

/**
 * A steady trickle of requests to every public path, each on a fresh connection, recorded with the time
 * it was sent: the raw material of a failover timeline.
 */
export class Traffic {
  readonly results: ProbeResult[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly entryUrl: string,
    private readonly paths: string[],
    private readonly intervalMs = 100,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      const round = probeAll(this.entryUrl, this.paths, 3000).then((results) =>
        this.results.push(...results),
      );
      this.inFlight.add(round);
      void round.finally(() => this.inFlight.delete(round));
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.inFlight);
  }

  /** Results of requests sent from `from` (inclusive) to `to` (exclusive), per path, in sending order. */
  between(from: number, to = Infinity): Map<string, ProbeResult[]> {
    const byPath = new Map<string, ProbeResult[]>(this.paths.map((path) => [path, []]));
    for (const result of this.results) {
      if (result.at >= from && result.at < to) byPath.get(result.path)!.push(result);
    }
    for (const list of byPath.values()) list.sort((a, b) => a.at - b.at);
    return byPath;
  }
}
