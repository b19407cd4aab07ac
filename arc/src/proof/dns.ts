import { resolve4 } from 'node:dns/promises';
import { answerRecords, queryDns, type DnsServerAddress } from '@arc-failover/shared/net';
import type { Bookmark, BookmarkService } from '../bookmark';

/** What the zone's authoritative name servers answer for one name. */
export interface AuthoritativeAnswer {
  nameServer: string;
  addresses: string[];
  cnames: string[];
  rcode: string;
}

/** The bookmark was written before proofs: no name servers, or no per-Region facts, to prove with. */
export class ProofUnavailable extends Error {
  override name = 'ProofUnavailable';
}

/** `instead`: what the user can do without them, e.g. `switch without --wait`. */
export function nameServersOf(bookmark: Bookmark, instead = 'switch without --wait'): DnsServerAddress[] {
  if (!bookmark.nameServers?.length) {
    throw new ProofUnavailable(
      `the bookmark lists no name servers of the hosted zone (written before --wait existed): run "npm run switch -- sync" to write it again, or ${instead}`,
    );
  }
  return bookmark.nameServers;
}

/**
 * Asks the zone's own name servers, one after another until one answers: a change shows there before any
 * resolver's cache expires, and no query goes through the machine's resolver.
 */
export async function askAuthoritative(
  servers: DnsServerAddress[],
  hostname: string,
  timeoutMs = 500,
): Promise<AuthoritativeAnswer> {
  let last: unknown;
  for (const server of servers) {
    try {
      const response = await queryDns(server, hostname, { timeoutMs, attempts: 1, recursionDesired: false });
      return {
        nameServer: `${server.host}:${server.port}`,
        rcode: response.rcode ?? 'NOERROR',
        ...answerRecords(response),
      };
    } catch (error) {
      last = error;
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}

/** Addresses of an API Gateway Regional target: an amazonaws.com name, not the zone's, so any resolver will do. */
export type TargetResolver = (name: string) => Promise<string[]>;
export const systemTargetResolver: TargetResolver = (name) => resolve4(name);

/**
 * The Region whose record the answer is: the sandbox's own address for it; in AWS a CNAME to its Regional
 * domain target, or an alias A answer sharing an address with what that target resolves to.
 */
export async function regionOfAnswer(
  api: BookmarkService,
  answer: AuthoritativeAnswer,
  resolveTarget: TargetResolver = systemTargetResolver,
): Promise<string | undefined> {
  for (const region of [api.primaryRegion, api.secondaryRegion]) {
    const facts = api.regions?.[region];
    if (!facts) continue;
    if (facts.address && answer.addresses.includes(facts.address)) return region;
    const target = facts.domainTarget?.toLowerCase().replace(/\.$/, '');
    if (!target) continue;
    if (answer.cnames.includes(target)) return region;
    if (answer.addresses.length > 0) {
      const addresses = await resolveTarget(target).catch(() => [] as string[]);
      if (addresses.some((a) => answer.addresses.includes(a))) return region;
    }
  }
  return undefined;
}

export function describeAnswer(answer: AuthoritativeAnswer): string {
  const records = [...answer.cnames.map((c) => `CNAME ${c}`), ...answer.addresses.map((a) => `A ${a}`)];
  return records.length > 0 ? records.join(', ') : answer.rcode === 'NOERROR' ? 'no record' : answer.rcode;
}
