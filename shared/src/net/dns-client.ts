import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';
import { DnsMessageReader, frameDnsMessage } from './dns-tcp';

export interface DnsServerAddress {
  host: string;
  port: number;
}

/** A query that got no usable answer; `code` follows Node's dns module (ETIMEOUT, ECONNREFUSED, ...). */
export class DnsQueryError extends Error {
  override name = 'DnsQueryError';
  constructor(
    readonly hostname: string,
    readonly code: string,
  ) {
    super(`cannot resolve ${hostname}: ${code}`);
  }
}

export interface DnsQueryOptions {
  /** Per attempt (UDP) and for the TCP exchange; default 1000 ms. */
  timeoutMs?: number;
  /** UDP attempts before giving up on timeouts; default 3. */
  attempts?: number;
  type?: dnsPacket.RecordType;
  /** Ask for recursion (a stub resolver does); an authoritative server ignores it. Default true. */
  recursionDesired?: boolean;
}

export type DnsResponse = dnsPacket.DecodedPacket & { rcode?: string };

/**
 * One question to one DNS server, never through the machine's resolver: UDP with retries on timeout, then
 * TCP when the answer comes back truncated (RFC 7766). Resolves with any answer, whatever its rcode.
 */
export async function queryDns(
  server: DnsServerAddress,
  hostname: string,
  options: DnsQueryOptions = {},
): Promise<DnsResponse> {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  const attempts = options.attempts ?? 3;
  const timeoutMs = options.timeoutMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    const id = randomInt(0, 0x10000);
    const message = dnsPacket.encode({
      type: 'query',
      id,
      flags: options.recursionDesired === false ? 0 : dnsPacket.RECURSION_DESIRED,
      questions: [{ type: options.type ?? 'A', name }],
    });
    try {
      const response = await overUdp(server, message, id, name, timeoutMs);
      return response.flag_tc ? await overTcp(server, message, id, name, timeoutMs) : response;
    } catch (error) {
      const code = error instanceof DnsQueryError ? error.code : (error as Error).message;
      if (code !== 'ETIMEOUT' || attempt >= attempts) throw new DnsQueryError(name, code);
    }
  }
}

/** The A records' addresses and the CNAME targets of an answer (lower case, no trailing dot). */
export function answerRecords(response: DnsResponse): { addresses: string[]; cnames: string[] } {
  const answers = response.answers ?? [];
  const clean = (value: string) => value.toLowerCase().replace(/\.$/, '');
  return {
    addresses: answers.flatMap((a) => (a.type === 'A' ? [a.data] : [])),
    cnames: answers.flatMap((a) => (a.type === 'CNAME' ? [clean(a.data)] : [])),
  };
}

function overUdp(
  server: DnsServerAddress,
  message: Buffer,
  id: number,
  name: string,
  timeoutMs: number,
): Promise<DnsResponse> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(server.host) ? 'udp6' : 'udp4');
    const done = (error: Error | null, response?: DnsResponse) => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(response!);
    };
    const timer = setTimeout(() => done(new DnsQueryError(name, 'ETIMEOUT')), timeoutMs);
    socket.on('error', (error) =>
      done(new DnsQueryError(name, (error as NodeJS.ErrnoException).code ?? 'EIO')),
    );
    socket.on('message', (data) => {
      let response: DnsResponse;
      try {
        response = dnsPacket.decode(data);
      } catch {
        return;
      }
      // Anything else is a stray or spoofed datagram: keep waiting for ours.
      if (response.id === id && response.questions?.[0]?.name.toLowerCase() === name) done(null, response);
    });
    socket.send(message, server.port, server.host);
  });
}

function overTcp(
  server: DnsServerAddress,
  message: Buffer,
  id: number,
  name: string,
  timeoutMs: number,
): Promise<DnsResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, server.host);
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new DnsQueryError(name, 'ETIMEOUT'));
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      reject(new DnsQueryError(name, error.code ?? 'EIO')),
    );
    const reader = new DnsMessageReader();
    socket.on('data', (chunk) => {
      const [answer] = reader.push(chunk);
      if (!answer) return;
      socket.destroy();
      const response = dnsPacket.decode(answer) as DnsResponse;
      if (response.id === id) resolve(response);
      else reject(new DnsQueryError(name, 'EBADRESP'));
    });
    socket.write(frameDnsMessage(message));
  });
}
