import autocannon from 'autocannon';

/** One response seen under load: when it arrived, its status, and the Region in its body (if any). */
export interface Sample {
  at: number;
  status: number;
  region?: string;
}

export interface LoadRun {
  samples: Sample[];
  /** Requests that got no response (connection errors, timeouts), with when they failed. */
  errors: number[];
  requests: number;
  latencyMs: { p50: number; p99: number; max: number };
}

/**
 * A steady rate of GETs on one path through the public entry, recording every response, while `during`
 * acts on the system (switches, faults) with the run's start time.
 */
export async function underLoad(
  url: string,
  path: string,
  { rate, seconds }: { rate: number; seconds: number },
  during: (startedAt: number) => Promise<void>,
): Promise<LoadRun> {
  const samples: Sample[] = [];
  const errors: number[] = [];
  const startedAt = Date.now();
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url,
        connections: 16,
        overallRate: rate,
        duration: seconds,
        timeout: 5,
        requests: [
          {
            method: 'GET',
            path,
            onResponse: (status, body) => {
              let region: string | undefined;
              try {
                region = (JSON.parse(body) as { region?: string }).region;
              } catch {
                region = undefined;
              }
              samples.push({ at: Date.now(), status, region });
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance!.on('reqError', () => errors.push(Date.now()));
  const [result] = await Promise.all([finished, during(startedAt)]);
  return {
    samples,
    errors,
    requests: samples.length + errors.length,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
  };
}

export function failedBetween(run: LoadRun, from: number, to = Infinity): { failed: number; total: number } {
  const inWindow = (at: number) => at >= from && at < to;
  const responses = run.samples.filter((s) => inWindow(s.at));
  const failed =
    responses.filter((s) => s.status !== 200 || !s.region).length + run.errors.filter(inWindow).length;
  return { failed, total: responses.length + run.errors.filter(inWindow).length };
}
