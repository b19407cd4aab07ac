import type { BookmarkService } from '../bookmark';
import { httpGet, type HttpProbeResult } from './probe';

export interface ReadinessOptions {
  connectTimeoutMs: number;
  timeoutMs: number;
}

/** Short: a Region that cannot answer a GET in 2 s is not one to send all of an API's traffic to. */
export const DEFAULT_READINESS: ReadinessOptions = { connectTimeoutMs: 1000, timeoutMs: 2000 };

/** One API's answer in the Region it is about to move to. */
export interface ReadinessAnswer {
  api: string;
  region: string;
  url: string;
  ready: boolean;
  /** HTTP status, when there was one. */
  status?: number;
  /** 'status' (non-2xx), 'timeout', 'connect-timeout', 'refused', 'dns', 'error'; absent when ready. */
  failure?: Exclude<HttpProbeResult['kind'], 'status'> | 'status';
  /** What it answered, in words: "HTTP 200", "HTTP 503", "refused (ECONNREFUSED: ...)", "timeout (...)". */
  answer: string;
  elapsedMs: number;
}

/** A bookmark written before readiness existed: it has no Regional URL for these APIs. */
export class ReadinessUnavailable extends Error {
  override name = 'ReadinessUnavailable';
  constructor(readonly apis: string[]) {
    super(
      `the bookmark has no Regional URL for ${apis.join(', ')} (written before readiness checks): run "npm run switch -- sync" to write it again, or pass --skip-readiness to switch without checking the target`,
    );
  }
}

/** The URL readiness GETs: the API's own URL in that Region (not the failover name) plus its health path. */
export function healthUrl(api: BookmarkService, region: string): string | undefined {
  const base = api.regions?.[region]?.url;
  if (!base) return undefined;
  // Appended, not resolved against the base: resolved, "//health" would leave the stage path and
  // "/health:check" would be a URL of its own ("health:" scheme).
  return new URL(`${base.replace(/\/$/, '')}${api.healthPath ?? '/'}`).toString();
}

/** Every target must have a Regional URL in the bookmark; checked before any call. */
export function checkReadinessFacts(targets: { api: BookmarkService; region: string }[]): void {
  const missing = targets.filter((t) => !healthUrl(t.api, t.region)).map((t) => t.api.name);
  if (missing.length > 0) throw new ReadinessUnavailable([...new Set(missing)]);
}

/** GETs every target's health URL at once; 2xx within the timeouts is ready. */
export async function checkReadiness(
  targets: { api: BookmarkService; region: string }[],
  options: ReadinessOptions = DEFAULT_READINESS,
): Promise<ReadinessAnswer[]> {
  checkReadinessFacts(targets);
  return Promise.all(
    targets.map(async ({ api, region }) => {
      const url = healthUrl(api, region)!;
      return readinessAnswer(api.name, region, url, await httpGet(url, options));
    }),
  );
}

export function readinessAnswer(
  api: string,
  region: string,
  url: string,
  result: HttpProbeResult,
): ReadinessAnswer {
  const common = { api, region, url, elapsedMs: result.elapsedMs };
  if (result.kind === 'status') {
    const ready = result.status >= 200 && result.status < 300;
    return {
      ...common,
      ready,
      status: result.status,
      ...(ready ? {} : { failure: 'status' as const }),
      answer: `HTTP ${result.status}`,
    };
  }
  return { ...common, ready: false, failure: result.kind, answer: `${result.kind} (${result.reason})` };
}

/** One line for a target that is not ready: API, Region, URL and what it answered. */
export function notReadyLine(answer: ReadinessAnswer): string {
  return `${answer.api} is not ready in ${answer.region}: GET ${answer.url} answered ${answer.answer} after ${answer.elapsedMs} ms`;
}
