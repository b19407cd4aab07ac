import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';
import { DnsMessageReader, frameDnsMessage } from './dns-tcp';

export interface DnsServerAddress {
  host: string;
  port: number;
}

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
    const response = await this.query(name);
    const rcode = (response as { rcode?: string }).rcode ?? 'NOERROR';
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

  /** UDP with retries; TCP when the answer comes back truncated. */
  private async query(name: string): Promise<dnsPacket.DecodedPacket> {
    const attempts = this.options.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      const id = randomInt(0, 0x10000);
      const message = dnsPacket.encode({
        type: 'query',
        id,
        flags: dnsPacket.RECURSION_DESIRED,
        questions: [{ type: 'A', name }],
      });
      try {
        const response = await this.overUdp(message, id);
        return response.flag_tc ? await this.overTcp(message, id) : response;
      } catch (error) {
        if (!(error instanceof DnsLookupError) || error.code !== 'ETIMEOUT' || attempt === attempts) {
          throw error instanceof DnsLookupError ? error : new DnsLookupError(name, (error as Error).message);
        }
      }
    }
  }

  private overUdp(message: Buffer, id: number): Promise<dnsPacket.DecodedPacket> {
    const name = dnsPacket.decode(message).questions![0]!.name;
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket('udp4');
      const done = (error: Error | null, response?: dnsPacket.DecodedPacket) => {
        clearTimeout(timer);
        socket.close();
        if (error) reject(error);
        else resolve(response!);
      };
      const timer = setTimeout(
        () => done(new DnsLookupError(name, 'ETIMEOUT')),
        this.options.timeoutMs ?? 1000,
      );
      socket.on('error', (error) =>
        done(new DnsLookupError(name, (error as NodeJS.ErrnoException).code ?? 'EIO')),
      );
      socket.on('message', (data) => {
        let response: dnsPacket.DecodedPacket;
        try {
          response = dnsPacket.decode(data);
        } catch {
          return;
        }
        // Anything else is a stray or spoofed datagram: keep waiting for ours.
        if (response.id === id && response.questions?.[0]?.name.toLowerCase() === name) done(null, response);
      });
      socket.send(message, this.server.port, this.server.host);
    });
  }

  private overTcp(message: Buffer, id: number): Promise<dnsPacket.DecodedPacket> {
    const name = dnsPacket.decode(message).questions![0]!.name;
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.server.port, this.server.host);
      socket.setTimeout(this.options.timeoutMs ?? 1000, () => {
        socket.destroy();
        reject(new DnsLookupError(name, 'ETIMEOUT'));
      });
      socket.on('error', (error: NodeJS.ErrnoException) =>
        reject(new DnsLookupError(name, error.code ?? 'EIO')),
      );
      const reader = new DnsMessageReader();
      socket.on('data', (chunk) => {
        const [answer] = reader.push(chunk);
        if (!answer) return;
        socket.destroy();
        const response = dnsPacket.decode(answer);
        if (response.id === id) resolve(response);
        else reject(new DnsLookupError(name, 'EBADRESP'));
      });
      socket.write(frameDnsMessage(message));
    });
  }
}
