import type { DnsServerAddress } from '@arc-failover/shared/net';
import type { Bookmark, BookmarkService } from '../bookmark';
import { httpGet, regionOfBody } from '../readiness';
import { askAuthoritative, systemTargetResolver, type TargetResolver } from './dns';

/** Which Region the public URL answered from, or why it did not say. */
export interface PublicAnswer {
  url: string;
  region?: string;
  status?: number;
  error?: string;
}

const PUBLIC_TIMEOUTS = { connectTimeoutMs: 1000, timeoutMs: 2000 };

/**
 * GET on the API's public name. In the sandbox: its public entry with the API's Host, which resolves it
 * through the sandbox DNS as a client would. Otherwise https://<hostname>/ with the address read from the
 * zone's own name servers (never the machine's resolver for the zone's names), the hostname as Host and SNI.
 */
export async function askPublic(
  bookmark: Bookmark,
  api: BookmarkService,
  servers: DnsServerAddress[],
  resolveTarget: TargetResolver = systemTargetResolver,
): Promise<PublicAnswer> {
  const entry = bookmark.sandbox?.entryUrl;
  const url = entry ?? `https://${api.hostname}/`;
  let address: string | undefined;
  if (!entry) {
    try {
      const answer = await askAuthoritative(servers, api.hostname);
      address =
        answer.addresses[0] ?? (answer.cnames[0] ? (await resolveTarget(answer.cnames[0]))[0] : undefined);
    } catch (error) {
      return { url, error: `DNS: ${(error as Error).message}` };
    }
    if (!address) return { url, error: `DNS: no address for ${api.hostname}` };
  }
  const result = await httpGet(url, { ...PUBLIC_TIMEOUTS, host: api.hostname, address });
  if (result.kind !== 'status') return { url, error: `${result.kind} (${result.reason})` };
  const region = regionOfBody(result.body);
  return { url, status: result.status, ...(region ? { region } : { error: 'no region in the answer' }) };
}
