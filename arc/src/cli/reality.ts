import type { Bookmark } from '../bookmark';
import {
  askAuthoritative,
  askPublic,
  describeAnswer,
  nameServersOf,
  ProofUnavailable,
  regionOfAnswer,
} from '../proof';
import type { ApiStatus } from '../switchover';
import { CliError } from './errors';

/** Where one API's traffic really goes: the zone's authoritative answer and the public URL's Region. */
export interface ApiReality {
  api: string;
  /** The Region whose record the name servers answer, if it is one of the API's. */
  dnsRegion?: string;
  dns: string;
  nameServer?: string;
  httpRegion?: string;
  http: string;
}

/** status --probe: every API's authoritative DNS answer and public URL, asked at once. */
export async function probeReality(bookmark: Bookmark): Promise<ApiReality[]> {
  let servers;
  try {
    servers = nameServersOf(bookmark);
  } catch (error) {
    if (error instanceof ProofUnavailable) throw new CliError(error.message);
    throw error;
  }
  return Promise.all(
    bookmark.services.map(async (api): Promise<ApiReality> => {
      const [dns, http] = await Promise.all([
        askAuthoritative(servers, api.hostname).then(
          async (answer) => ({ answer, region: await regionOfAnswer(api, answer) }),
          (error: Error) => ({ error }),
        ),
        askPublic(bookmark, api, servers),
      ]);
      const dnsPart =
        'error' in dns
          ? { dns: `no answer (${dns.error.message})` }
          : {
              dnsRegion: dns.region,
              dns: `${describeAnswer(dns.answer)}${dns.region ? ` (${dns.region})` : ''}`,
              nameServer: dns.answer.nameServer,
            };
      const httpText = http.region
        ? `answered from ${http.region}`
        : `${http.status ? `HTTP ${http.status}, ` : ''}${http.error ?? 'no answer'}`;
      return { api: api.name, ...dnsPart, httpRegion: http.region, http: httpText };
    }),
  );
}

/** Intent beside reality: the controls' Region, what DNS answers and where HTTP answered, per API. */
export function renderReality(rows: readonly ApiStatus[], reality: readonly ApiReality[]): string[] {
  const table = [
    ['API', 'CONTROLS SAY', 'DNS ANSWERS', 'HTTP ANSWERS FROM', ''],
    ...rows.map((row) => {
      const seen = reality.find((r) => r.api === row.name)!;
      const agree = seen.dnsRegion === row.servingRegion && seen.httpRegion === row.servingRegion;
      return [row.name, row.servingRegion, seen.dns, seen.httpRegion ?? seen.http, agree ? '' : '!! DIFFERS'];
    }),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((cells) => cells[column]!.length)));
  return table.map((cells) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('   ')
      .trimEnd(),
  );
}
