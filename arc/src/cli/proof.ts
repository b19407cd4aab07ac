import type { DnsServerAddress } from '@arc-failover/shared/net';
import type { Bookmark } from '../bookmark';
import { nameServersOf, ProofUnavailable, proveSwitch, type ProofResult } from '../proof';
import type { SwitchoverResult } from '../switchover';
import { CliError } from './errors';

/** The zone's name servers from the bookmark, which --wait and status --probe ask; checked before any update. */
export function proofServers(bookmark: Bookmark, instead?: string): DnsServerAddress[] {
  try {
    return nameServersOf(bookmark, instead);
  } catch (error) {
    if (error instanceof ProofUnavailable) throw new CliError(error.message);
    throw error;
  }
}

/** Waits until DNS and HTTP show every API the switch changed in its target Region, or the timeout. */
export function proveResult(
  bookmark: Bookmark,
  result: SwitchoverResult,
  timeoutMs: number,
  halt?: AbortSignal,
): Promise<ProofResult> {
  // each API the update changed, to its target Region
  const moves = result.plan.apis.filter((a) => a.changes);
  return proveSwitch({ bookmark, moves, since: result.updateSentAt ?? Date.now(), timeoutMs, halt });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One line per API: how long until the name servers, then the public URL, showed the target Region. */
export function renderProof(proof: ProofResult): string[] {
  return proof.apis.map((p) => {
    const dns =
      p.dnsMs === undefined
        ? `DNS still ${p.lastDns ?? 'unanswered'}`
        : `DNS shows ${p.region} after ${seconds(p.dnsMs)} (${p.nameServer})`;
    const http =
      p.httpMs === undefined
        ? `HTTP ${p.lastHttp ?? 'unanswered'}`
        : `HTTP answers from ${p.region} after ${seconds(p.httpMs)}`;
    const proven = p.dnsMs !== undefined && p.httpMs !== undefined;
    return `${proven ? 'Proven' : 'Not proven'} ${p.api}: ${dns}; ${http}.`;
  });
}
