import { setTimeout as sleep } from 'node:timers/promises';
import type { Bookmark, BookmarkService } from '../bookmark';
import { nameServersOf, systemTargetResolver, type TargetResolver } from './dns';
import { lookAt } from './look';

/** One look at an API while waiting: where DNS pointed and which Region the public URL answered from. */
export interface ProofSample {
  /** Since the update was sent. */
  atMs: number;
  dnsRegion?: string;
  httpRegion?: string;
  httpStatus?: number;
  error?: string;
}

export interface ApiProof {
  api: string;
  hostname: string;
  region: string;
  /** From the update until the authoritative name servers answered the target Region's record. */
  dnsMs?: number;
  /** From the update until the public URL answered from the target Region. */
  httpMs?: number;
  /** The name server that gave the last answer, and the answer. */
  nameServer?: string;
  lastDns?: string;
  publicUrl?: string;
  lastHttp?: string;
  samples: ProofSample[];
}

export interface ProofResult {
  proven: boolean;
  timeoutMs: number;
  /** How long the wait lasted, from the update. */
  waitedMs: number;
  /** The wait was stopped by `halt` before everything was seen. */
  halted?: boolean;
  apis: ApiProof[];
}

export interface ProveOptions {
  bookmark: Bookmark;
  moves: { api: BookmarkService; region: string }[];
  /** Epoch ms of the update, what every time counts from. */
  since: number;
  timeoutMs: number;
  intervalMs?: number;
  resolveTarget?: TargetResolver;
  /** Stop waiting (e.g. Ctrl-C): resolves at once with what was seen so far, `halted` set. */
  halt?: AbortSignal;
}

/**
 * Polls until every moved API's authoritative DNS answer is its target Region's record and its public URL
 * answers from the target Region, or until `timeoutMs` after the update. Samples the public URL all along,
 * for the report's timeline.
 */
export async function proveSwitch(options: ProveOptions): Promise<ProofResult> {
  const { bookmark, moves, since, timeoutMs } = options;
  const servers = nameServersOf(bookmark);
  const resolveTarget = options.resolveTarget ?? systemTargetResolver;
  const intervalMs = options.intervalMs ?? 250;
  const apis: ApiProof[] = moves.map(({ api, region }) => ({
    api: api.name,
    hostname: api.hostname,
    region,
    samples: [],
  }));
  const done = () => apis.every((p) => p.dnsMs !== undefined && p.httpMs !== undefined);
  for (;;) {
    const round = Date.now();
    await Promise.all(
      moves.map(async ({ api, region }, index) => {
        const proof = apis[index]!;
        const sample: ProofSample = { atMs: round - since };
        const { dns, http } = await lookAt(bookmark, api, servers, resolveTarget, since);
        if ('error' in dns) {
          proof.lastDns = dns.text;
          sample.error = proof.lastDns;
        } else {
          proof.nameServer = dns.nameServer;
          proof.lastDns = dns.text;
          sample.dnsRegion = dns.region;
          if (dns.region === region) proof.dnsMs ??= dns.atMs;
        }
        proof.publicUrl = http.url;
        proof.lastHttp = http.text;
        Object.assign(sample, { httpRegion: http.region, httpStatus: http.status });
        if (http.error && !sample.error) sample.error = http.error;
        if (http.region === region) proof.httpMs ??= http.atMs;
        proof.samples.push(sample);
      }),
    );
    const waitedMs = Date.now() - since;
    if (done() || waitedMs >= timeoutMs) return { proven: done(), timeoutMs, waitedMs, apis };
    if (options.halt?.aborted) return { proven: false, timeoutMs, waitedMs, apis, halted: true };
    const pause = Math.min(Math.max(0, round + intervalMs - Date.now()), timeoutMs - waitedMs);
    await sleep(pause, undefined, { signal: options.halt }).catch(() => undefined);
    if (options.halt?.aborted) {
      return { proven: false, timeoutMs, waitedMs: Date.now() - since, apis, halted: true };
    }
  }
}

/** One line naming what was not seen within the timeout. */
export function notProvenLine(result: ProofResult): string {
  const missing = result.apis.flatMap((p) => [
    ...(p.dnsMs === undefined
      ? [
          p.lastDns === undefined || p.lastDns.startsWith('no answer')
            ? `the name servers gave ${p.lastDns ?? 'no answer'} for ${p.hostname}, not ${p.region}'s record`
            : `the name servers still answer ${p.lastDns} for ${p.hostname}, not ${p.region}'s record`,
        ]
      : []),
    ...(p.httpMs === undefined
      ? [`${p.publicUrl ?? p.hostname} for ${p.api}: ${p.lastHttp ?? 'no answer'}, not ${p.region}`]
      : []),
  ]);
  return `switched, but not proven within --wait-timeout ${result.timeoutMs / 1000} s: ${missing.join('; ')}`;
}
