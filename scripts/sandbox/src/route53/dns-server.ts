import dgram from 'node:dgram';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';
import {
  DnsMessageReader,
  frameDnsMessage,
  listenTcp,
  listenUdp,
  type ListenTarget,
} from '@arc-failover/shared/net';

/** The one zone the sandbox is authoritative for: which names exist and where each points right now. */
export interface DnsZone {
  /** Lower case, no trailing dot, e.g. example.com */
  apex: string;
  ttlSeconds: number;
  /** The IPv4 address a name of the zone resolves to now, or undefined when the zone has no such name. */
  addressOf(name: string): string | undefined;
  /**
   * CNAME mode: the Regional target name a name points to now, and the CNAME's own TTL; undefined for a name
   * answered with A alone (alias mode, and the apex always). The target's A record gets `ttlSeconds`.
   */
  cnameOf?(name: string): { target: string; ttlSeconds: number } | undefined;
}

export interface DnsServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

type Rcode = 'NOERROR' | 'FORMERR' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';
const RCODE: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };
const EDNS_UDP_PAYLOAD = 1232;

/** The decoded header fields dns-packet provides but does not type. */
type DecodedQuery = dnsPacket.DecodedPacket & { opcode?: string };

/**
 * The authoritative answer to one query, as Route 53 gives it for a hosted zone: A for names that exist,
 * NOERROR with no answer (and the SOA in authority) for other types, NXDOMAIN for names the zone lacks,
 * REFUSED for names outside it. A name in CNAME mode is answered with its CNAME, and for A (or ANY) also the
 * target's A record, as a resolver following the chain would return it.
 */
export function answerQuery(query: DecodedQuery, zone: DnsZone): dnsPacket.Packet {
  const questions = query.questions ?? [];
  const reply = (
    rcode: Rcode,
    answers: dnsPacket.Answer[] = [],
    authorities: dnsPacket.Answer[] = [],
  ): dnsPacket.Packet => ({
    type: 'response',
    id: query.id,
    flags:
      (rcode === 'REFUSED' ? 0 : dnsPacket.AUTHORITATIVE_ANSWER) |
      ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
      RCODE[rcode],
    questions,
    answers,
    authorities,
    additionals: query.additionals?.some((a) => a.type === 'OPT') ? [ednsRecord()] : [],
  });
  if (query.opcode && query.opcode !== 'QUERY') return reply('NOTIMP');
  if (questions.length !== 1) return reply('FORMERR');
  const question = questions[0]!;
  const name = question.name.toLowerCase().replace(/\.$/, '');
  if (name !== zone.apex && !name.endsWith(`.${zone.apex}`)) return reply('REFUSED');

  const soa = soaRecord(zone);
  const address = zone.addressOf(name);
  if (address === undefined) return reply('NXDOMAIN', [], [soa]);
  const type: string = question.type;
  const cname = zone.cnameOf?.(name);
  if (cname) {
    const alias: dnsPacket.Answer = {
      type: 'CNAME',
      name: question.name,
      ttl: cname.ttlSeconds,
      data: cname.target,
    };
    if (type !== 'A' && type !== 'ANY') return reply('NOERROR', [alias]);
    return reply('NOERROR', [alias, { type: 'A', name: cname.target, ttl: zone.ttlSeconds, data: address }]);
  }
  if (type === 'A' || type === 'ANY') {
    return reply('NOERROR', [{ type: 'A', name: question.name, ttl: zone.ttlSeconds, data: address }]);
  }
  if (type === 'SOA' && name === zone.apex) return reply('NOERROR', [soa]);
  return reply('NOERROR', [], [soa]);
}

function ednsRecord(): dnsPacket.OptAnswer {
  return {
    type: 'OPT',
    name: '.',
    udpPayloadSize: EDNS_UDP_PAYLOAD,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: 0,
    flag_do: false,
    options: [],
  };
}

function soaRecord(zone: DnsZone): dnsPacket.SoaAnswer {
  return {
    type: 'SOA',
    name: zone.apex,
    ttl: zone.ttlSeconds,
    data: {
      mname: `ns.${zone.apex}`,
      rname: `hostmaster.${zone.apex}`,
      serial: 1,
      refresh: 7200,
      retry: 900,
      expire: 1209600,
      minimum: zone.ttlSeconds,
    },
  };
}

/** A reply to a message too broken to answer: FORMERR with its id, or nothing if even the header is missing. */
function formatError(message: Buffer): Buffer | undefined {
  if (message.length < 12) return undefined;
  return dnsPacket.encode({ type: 'response', id: message.readUInt16BE(0), flags: RCODE.FORMERR });
}

function respond(message: Buffer, zone: DnsZone): Buffer | undefined {
  let query: DecodedQuery;
  try {
    query = dnsPacket.decode(message) as DecodedQuery;
  } catch {
    return formatError(message);
  }
  if (query.type !== 'query') return undefined;
  return dnsPacket.encode(answerQuery(query, zone));
}

/** Serves the zone over UDP and TCP on one port (port 0: a free one both protocols can share). */
export async function startDnsServer(target: ListenTarget, zone: DnsZone): Promise<DnsServer> {
  const { udp, tcp, port } = await bindBoth(target);
  const connections = new Set<net.Socket>();

  udp.on('message', (message, peer) => {
    const response = respond(message, zone);
    if (response) udp.send(response, peer.port, peer.address);
  });

  tcp.on('connection', (socket) => {
    connections.add(socket);
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => socket.destroy());
    const reader = new DnsMessageReader();
    socket.on('data', (chunk) => {
      for (const message of reader.push(chunk)) {
        const response = respond(message, zone);
        if (!response) return void socket.destroy();
        socket.write(frameDnsMessage(response));
      }
    });
  });

  return {
    host: target.host,
    port,
    close: async () => {
      for (const socket of connections) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}

async function bindBoth(target: ListenTarget): Promise<{ udp: dgram.Socket; tcp: net.Server; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const udp = await listenUdp(target);
    const port = udp.address().port;
    try {
      const tcp = await listenTcp(net.createServer(), { ...target, port });
      return { udp, tcp, port };
    } catch (error) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      // A free UDP port whose TCP twin is taken: only worth another try when the port was ours to choose.
      if (target.port !== 0 || attempt === 5) throw error;
    }
  }
}
