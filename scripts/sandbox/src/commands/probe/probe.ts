import http from 'node:http';
import https from 'node:https';

/** What one request to a public URL showed: who answered, from which Region, how fast. */
export interface ProbeResult {
  path: string;
  /** 0 when no HTTP response came back. */
  status: number;
  /** From the answering API's JSON body ({ service, region }); undefined if it had none. */
  region?: string;
  service?: string;
  latencyMs: number;
  /** Set when the request failed or the answer was not a region reply. */
  error?: string;
  at: number;
}

/**
 * One GET on a fresh connection (no keep-alive), so every probe resolves the name again the way a new
 * client would; against a real deployment that means the machine's resolver, honouring the record TTL.
 */
export function probe(baseUrl: string, path: string, timeoutMs = 5000): Promise<ProbeResult> {
  const url = new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const started = performance.now();
  const at = Date.now();
  const done = (fields: Partial<ProbeResult> & { status: number }): ProbeResult => ({
    path,
    latencyMs: Math.round((performance.now() - started) * 10) / 10,
    at,
    ...fields,
  });
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) =>
        resolve(done({ status: response.statusCode ?? 0, error: error.message })),
      );
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          const reply = JSON.parse(text) as { service?: unknown; region?: unknown };
          if (typeof reply.region === 'string') {
            return resolve(done({ status, region: reply.region, service: String(reply.service) }));
          }
        } catch {
          // Not a region reply: report the status and the start of the body.
        }
        resolve(done({ status, error: text.trim().split('\n')[0]!.slice(0, 120) || `HTTP ${status}` }));
      });
    });
    request.on('timeout', () => request.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    request.on('error', (error) => resolve(done({ status: 0, error: error.message })));
  });
}

/** Where an API answers behind the public entry: the entry API at /, each service at /<name>. */
export function publicPath(api: { name: string; isEntry: boolean }): string {
  return api.isEntry ? '/' : `/${api.name}`;
}

/** The public path of each API, in the order given (topology.all: the entry API first). */
export function publicPaths(apis: { name: string; isEntry: boolean }[]): string[] {
  return apis.map(publicPath);
}

export function probeAll(baseUrl: string, paths: string[], timeoutMs?: number): Promise<ProbeResult[]> {
  return Promise.all(paths.map((path) => probe(baseUrl, path, timeoutMs)));
}

/** `12:01:03` */
export function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}

/** One round of probes on one line: the time, then each path's status, Region and latency. */
export function formatRound(results: ProbeResult[]): string {
  const width = Math.max(...results.map((r) => r.path.length));
  return `${clock(results[0]!.at)}  ${results.map((r) => formatResult(r, width)).join('   ')}`;
}

/** `/service1  200 us-east-1    3.1 ms`, or the error in place of the Region. */
export function formatResult(result: ProbeResult, pathWidth: number): string {
  const where = result.region ?? `- (${result.error ?? 'no region'})`;
  const status = result.status === 0 ? '---' : String(result.status);
  return `${result.path.padEnd(pathWidth)} ${status} ${where.padEnd(14)} ${result.latencyMs.toFixed(1).padStart(6)} ms`;
}
