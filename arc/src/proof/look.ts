import type { DnsServerAddress } from '@arc-failover/shared/net';
import type { Bookmark, BookmarkService } from '../bookmark';
import { askAuthoritative, describeAnswer, regionOfAnswer, type TargetResolver } from './dns';
import { askPublic, type PublicAnswer } from './http';

/** What the zone's name servers answered for an API's name, in words, and the Region that record is. */
export type DnsLook =
  | { nameServer: string; region?: string; text: string; atMs: number }
  | { error: string; text: string; atMs: number };

/** One look at an API: its authoritative DNS answer and its public URL's answer, each timed on arrival. */
export interface Look {
  dns: DnsLook;
  http: PublicAnswer & { text: string; atMs: number };
}

/**
 * Asks the name servers and the public URL at once, each answer timed (ms since `since`) when it arrives:
 * the other may take up to its timeout longer. What the proof polls and `status --probe` shows.
 */
export async function lookAt(
  bookmark: Bookmark,
  api: BookmarkService,
  servers: DnsServerAddress[],
  resolveTarget: TargetResolver,
  since = Date.now(),
): Promise<Look> {
  const [dns, http] = await Promise.all([
    askAuthoritative(servers, api.hostname).then(
      async (answer): Promise<DnsLook> => {
        const atMs = Date.now() - since;
        const region = await regionOfAnswer(api, answer, resolveTarget);
        const text = `${describeAnswer(answer)}${region ? ` (${region})` : ''}`;
        return { nameServer: answer.nameServer, region, text, atMs };
      },
      (error: Error): DnsLook => ({
        error: error.message,
        text: `no answer (${error.message})`,
        atMs: Date.now() - since,
      }),
    ),
    askPublic(bookmark, api, servers, resolveTarget).then((answer) => ({
      ...answer,
      text: answer.region
        ? `answered from ${answer.region}`
        : `${answer.status ? `HTTP ${answer.status}, ` : ''}${answer.error}`,
      atMs: Date.now() - since,
    })),
  ]);
  return { dns, http };
}
