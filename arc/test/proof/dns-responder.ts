import type dgram from 'node:dgram';
import net from 'node:net';
import {
  DnsMessageReader,
  frameDnsMessage,
  listenTcp,
  listenUdp,
  type DnsServerAddress,
} from '@arc-failover/shared/net';

/** One record of an answer; `name` is the owner, the question's name unless given (a CNAME target's A). */
export type TestRecord = { type: 'A' | 'CNAME'; data: string; name?: string };

export const a = (address: string, name?: string): TestRecord => ({ type: 'A', data: address, name });
export const cname = (target: string): TestRecord => ({ type: 'CNAME', data: target });

/** What the responder saw of one query. */
export interface SeenQuery {
  name: string;
  /** The header's flags word as sent: bit 0x0100 is recursion desired. */
  flags: number;
  transport: 'udp' | 'tcp';
}

export interface TestDnsServer extends DnsServerAddress {
  /** The records answered for `name` from now on; undefined: the name does not exist (NXDOMAIN). */
  set(name: string, records: TestRecord[] | undefined): void;
  queries: SeenQuery[];
  /** Never answer (a dead name server that still takes the datagrams). */
  silent: boolean;
  /** Answer UDP with the TC bit and no records, so that the client asks again over TCP. */
  truncateUdp: boolean;
  close(): Promise<void>;
}

const FLAG_RESPONSE = 0x8000;
const FLAG_AUTHORITATIVE = 0x0400;
const FLAG_TRUNCATED = 0x0200;
const FLAG_RECURSION_DESIRED = 0x0100;
const RCODE_NXDOMAIN = 3;
const TYPE = { A: 1, CNAME: 5 } as const;
const CLASS_IN = 1;
const TTL = 5;

/**
 * A tiny authoritative DNS server for the tests, on loopback UDP and TCP (one port): each name's records
 * can be changed at any moment, as a failover record flips. Messages are encoded here, by hand: one
 * question in, its answers out, no compression but the pointer to the question's name.
 */
export async function startDnsResponder(): Promise<TestDnsServer> {
  const zone = new Map<string, TestRecord[]>();
  const connections = new Set<net.Socket>();
  const { udp, tcp, port } = await bindBoth('127.0.0.1');

  const server: TestDnsServer = {
    host: '127.0.0.1',
    port,
    queries: [],
    silent: false,
    truncateUdp: false,
    set: (name, records) => {
      if (records) zone.set(clean(name), records);
      else zone.delete(clean(name));
    },
    close: async () => {
      for (const socket of connections) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };

  const respond = (message: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined => {
    const query = parseQuery(message);
    if (!query) return undefined;
    server.queries.push({ name: query.name, flags: query.flags, transport });
    if (server.silent) return undefined;
    const records = zone.get(clean(query.name));
    if (transport === 'udp' && server.truncateUdp) return encodeResponse(query, [], 0, true);
    return encodeResponse(query, records ?? [], records ? 0 : RCODE_NXDOMAIN, false);
  };

  udp.on('message', (message, peer) => {
    const response = respond(message, 'udp');
    if (response) udp.send(response, peer.port, peer.address);
  });
  tcp.on('connection', (socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => socket.destroy());
    const reader = new DnsMessageReader();
    socket.on('data', (chunk) => {
      for (const message of reader.push(chunk)) {
        const response = respond(message, 'tcp');
        if (response) socket.write(frameDnsMessage(response));
      }
    });
  });
  return server;
}

const clean = (name: string) => name.toLowerCase().replace(/\.$/, '');

interface ParsedQuery {
  id: number;
  flags: number;
  name: string;
  /** The question section as received (name, type, class), echoed in the answer. */
  question: Buffer;
}

function parseQuery(message: Buffer): ParsedQuery | undefined {
  if (message.length < 12 || message.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let offset = 12;
  for (;;) {
    const length = message[offset];
    if (length === undefined || length > 63) return undefined;
    offset += 1;
    if (length === 0) break;
    labels.push(message.subarray(offset, offset + length).toString('ascii'));
    offset += length;
  }
  if (offset + 4 > message.length) return undefined;
  return {
    id: message.readUInt16BE(0),
    flags: message.readUInt16BE(2),
    name: labels.join('.'),
    question: message.subarray(12, offset + 4),
  };
}

function encodeName(name: string): Buffer {
  const labels = clean(name)
    .split('.')
    .filter((label) => label !== '');
  return Buffer.concat([
    ...labels.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')])),
    Buffer.from([0]),
  ]);
}

function encodeRecord(record: TestRecord): Buffer {
  // 0xc00c: a pointer to the question's name, right after the 12-byte header
  const owner = record.name === undefined ? Buffer.from([0xc0, 0x0c]) : encodeName(record.name);
  const data =
    record.type === 'A' ? Buffer.from(record.data.split('.').map(Number)) : encodeName(record.data);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(TYPE[record.type], 0);
  fixed.writeUInt16BE(CLASS_IN, 2);
  fixed.writeUInt32BE(TTL, 4);
  fixed.writeUInt16BE(data.length, 8);
  return Buffer.concat([owner, fixed, data]);
}

function encodeResponse(
  query: ParsedQuery,
  records: TestRecord[],
  rcode: number,
  truncated: boolean,
): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.id, 0);
  header.writeUInt16BE(
    FLAG_RESPONSE |
      FLAG_AUTHORITATIVE |
      (query.flags & FLAG_RECURSION_DESIRED) |
      (truncated ? FLAG_TRUNCATED : 0) |
      rcode,
    2,
  );
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  return Buffer.concat([header, query.question, ...records.map(encodeRecord)]);
}

async function bindBoth(host: string): Promise<{ udp: dgram.Socket; tcp: net.Server; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const udp = await listenUdp({ host, port: 0, what: 'the test DNS server (UDP)' });
    const port = udp.address().port;
    try {
      const tcp = await listenTcp(net.createServer(), { host, port, what: 'the test DNS server (TCP)' });
      return { udp, tcp, port };
    } catch (error) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      if (attempt === 5) throw error;
    }
  }
}

/** Whether the query asked for recursion. */
export const recursionDesired = (query: SeenQuery) => (query.flags & FLAG_RECURSION_DESIRED) !== 0;
