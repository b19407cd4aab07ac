import * as dnsPacket from 'dns-packet';
import { startDnsServer, type DnsServer, type DnsZone } from '../../src/route53/dns-server';
import { queryTcp, queryUdp, sendRaw } from '../helpers/dns-query';

describe('the sandbox DNS server', () => {
  const records = new Map([
    ['example.com', '127.0.1.1'],
    ['service1.example.com', '127.0.1.2'],
  ]);
  const zone: DnsZone = { apex: 'example.com', ttlSeconds: 7, addressOf: (name) => records.get(name) };
  let server: DnsServer;

  beforeAll(async () => {
    server = await startDnsServer({ host: '127.0.0.1', port: 0, what: 'DNS' }, zone);
  });
  afterAll(() => server.close());

  it('answers A for a name of the zone over UDP, authoritatively, with the zone TTL', async () => {
    const answer = await queryUdp(server.port, 'service1.example.com');
    expect(answer.rcode).toBe('NOERROR');
    expect(answer.flag_aa).toBe(true);
    expect(answer.answers).toEqual([
      expect.objectContaining({ type: 'A', name: 'service1.example.com', ttl: 7, data: '127.0.1.2' }),
    ]);
  });

  it('answers whatever the zone says now: a failover shows in the next answer', async () => {
    records.set('service1.example.com', '127.0.2.2');
    try {
      expect((await queryUdp(server.port, 'service1.example.com')).answers?.[0]).toMatchObject({
        data: '127.0.2.2',
      });
    } finally {
      records.set('service1.example.com', '127.0.1.2');
    }
  });

  it('matches names case-insensitively and echoes the question as asked', async () => {
    const answer = await queryUdp(server.port, 'SERVICE1.Example.COM');
    expect(answer.answers?.[0]).toMatchObject({ name: 'SERVICE1.Example.COM', data: '127.0.1.2' });
  });

  it('answers the apex domain (the entry API)', async () => {
    expect((await queryUdp(server.port, 'example.com')).answers?.[0]).toMatchObject({ data: '127.0.1.1' });
  });

  it('answers AAAA with NOERROR, no answer and the SOA in authority (NODATA)', async () => {
    const answer = await queryUdp(server.port, 'service1.example.com', 'AAAA');
    expect(answer.rcode).toBe('NOERROR');
    expect(answer.answers).toEqual([]);
    expect(answer.authorities).toEqual([expect.objectContaining({ type: 'SOA', name: 'example.com' })]);
  });

  it('answers NXDOMAIN with the SOA for a name the zone lacks', async () => {
    const answer = await queryUdp(server.port, 'service9.example.com');
    expect(answer.rcode).toBe('NXDOMAIN');
    expect(answer.authorities?.[0]).toMatchObject({ type: 'SOA' });
  });

  it('refuses names outside its zone, like an authoritative server', async () => {
    const answer = await queryUdp(server.port, 'example.org');
    expect(answer.rcode).toBe('REFUSED');
    expect(answer.flag_aa).toBe(false);
  });

  it('does not take a longer name that merely ends like the zone', async () => {
    expect((await queryUdp(server.port, 'notexample.com')).rcode).toBe('REFUSED');
  });

  it('answers SOA at the apex', async () => {
    const answer = await queryUdp(server.port, 'example.com', 'SOA');
    expect(answer.answers?.[0]).toMatchObject({ type: 'SOA', data: expect.objectContaining({ minimum: 7 }) });
  });

  it('serves several queries on one TCP connection, split on their length prefixes', async () => {
    const answers = await queryTcp(server.port, [{ name: 'service1.example.com' }, { name: 'example.com' }]);
    expect(answers.map((a) => [a.id, (a.answers?.[0] as { data?: unknown } | undefined)?.data])).toEqual([
      [1, '127.0.1.2'],
      [2, '127.0.1.1'],
    ]);
  });

  it('answers FORMERR to a query it cannot parse, keeping its id', async () => {
    const header = Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0xff]);
    const reply = await sendRaw(server.port, header);
    expect(reply).toBeDefined();
    const decoded = dnsPacket.decode(reply!) as dnsPacket.DecodedPacket & { rcode: string };
    expect(decoded.id).toBe(0x1234);
    expect(decoded.rcode).toBe('FORMERR');
  });

  it('leaves nothing listening once closed', async () => {
    const other = await startDnsServer({ host: '127.0.0.1', port: 0, what: 'DNS' }, zone);
    await other.close();
    await expect(queryTcp(other.port, [{ name: 'example.com' }])).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('says which port is busy and which flag picks another', async () => {
    await expect(
      startDnsServer(
        { host: '127.0.0.1', port: server.port, what: 'the DNS server', flag: '--dns-port' },
        zone,
      ),
    ).rejects.toThrow(
      `cannot listen on 127.0.0.1:${server.port} for the DNS server: the port is already in use (stop what uses it, or choose another with --dns-port)`,
    );
  });
});
