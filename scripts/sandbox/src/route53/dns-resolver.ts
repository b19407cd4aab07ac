import { DnsQueryError, queryDns, type DnsServerAddress } from '@arc-failover/shared/net';

export type { DnsServerAddress };

/** A name that did not resolve; `code` follows Node's dns module (ENOTFOUND, EREFUSED, ETIMEOUT, ...). */
export class DnsLookupError extends Error {
  override name = 'DnsLookupError';
  constructor(
    readonly hostname: string,
    readonly code: string,
  ) {
    super(`cannot resolve ${hostname}: ${code}`);
  }
}

interface CachedAddress {
  address: string;
  expiresAt: number;
}

/**
 * A stub resolver that asks one DNS server and caches each answer for exactly its TTL, as a client's
 * resolver does: what a client sees after a failover depends on it. (Node's dns.lookup goes through the
 * system resolver and ignores Resolver#setServers, so it cannot be pointed at the sandbox.)
 */
export class DnsResolver {
  private readonly cache = new Map<string, CachedAddress>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly server: DnsServerAddress,
    private readonly options: { timeoutMs?: number; attempts?: number; now?: () => number } = {},
  ) {}

  /** One IPv4 address for the name: from the cache while the TTL lasts, else from the server. */
  resolve(hostname: string): Promise<string> {
    const name = hostname.toLowerCase();
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(name);
    if (cached && cached.expiresAt > now) return Promise.resolve(cached.address);
    let pending = this.inFlight.get(name);
    if (!pending) {
      pending = this.ask(name).finally(() => this.inFlight.delete(name));
      this.inFlight.set(name, pending);
    }
    return pending;
  }

  private async ask(name: string): Promise<string> {
    const asked = (this.options.now ?? Date.now)();
    const response = await queryDns(this.server, name, this.options).catch((error: unknown) => {
      throw error instanceof DnsQueryError
        ? new DnsLookupError(name, error.code)
        : new DnsLookupError(name, (error as Error).message);
    });
    const rcode = response.rcode ?? 'NOERROR';
    if (rcode === 'NXDOMAIN') throw new DnsLookupError(name, 'ENOTFOUND');
    if (rcode === 'REFUSED') throw new DnsLookupError(name, 'EREFUSED');
    if (rcode !== 'NOERROR') throw new DnsLookupError(name, `E${rcode}`);
    const record = response.answers?.find((a) => a.type === 'A');
    if (!record || record.type !== 'A') throw new DnsLookupError(name, 'ENODATA');
    // through a CNAME the name is kept for the CNAME's TTL: after it, the name may point to another target
    const cname = response.answers?.find(
      (a) => a.type === 'CNAME' && a.name.toLowerCase() === name.toLowerCase(),
    );
    const ttlMs = ((cname?.type === 'CNAME' ? cname.ttl : record.ttl) ?? 0) * 1000;
    if (ttlMs > 0) this.cache.set(name, { address: record.data, expiresAt: asked + ttlMs });
    else this.cache.delete(name);
    return record.data;
  }
}
