import type { Bookmark } from '../bookmark';
import { lookAt, systemTargetResolver } from '../proof';
import type { ApiStatus } from '../switchover';
import { proofServers } from './proof';

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
  const servers = proofServers(bookmark, 'run status without --probe');
  return Promise.all(
    bookmark.services.map(async (api): Promise<ApiReality> => {
      const { dns, http } = await lookAt(bookmark, api, servers, systemTargetResolver);
      const dnsPart =
        'error' in dns
          ? { dns: dns.text }
          : { dnsRegion: dns.region, dns: dns.text, nameServer: dns.nameServer };
      return { api: api.name, ...dnsPart, httpRegion: http.region, http: http.text };
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
