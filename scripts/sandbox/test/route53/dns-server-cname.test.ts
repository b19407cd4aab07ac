import { startDnsServer, type DnsServer, type DnsZone } from '../../src/route53/dns-server';
import { queryTcp, queryUdp } from '../helpers/dns-query';

describe('the sandbox DNS server in cname mode', () => {
  const TARGET = 'service1.us-west-2.regional.example.com';
  const records = new Map([
    ['example.com', '127.0.1.1'],
    ['service1.example.com', '127.0.2.2'],
    [TARGET, '127.0.2.2'],
  ]);
  const zone: DnsZone = {
    apex: 'example.com',
    ttlSeconds: 60,
    addressOf: (name) => records.get(name),
    cnameOf: (name) => (name === 'service1.example.com' ? { target: TARGET, ttlSeconds: 5 } : undefined),
  };
  let server: DnsServer;

  beforeAll(async () => {
    server = await startDnsServer({ host: '127.0.0.1', port: 0, what: 'DNS' }, zone);
  });
  afterAll(() => server.close());

  it("answers a service name with its CNAME (the configured TTL) and the target's A (the target's TTL)", async () => {
    const answer = await queryUdp(server.port, 'service1.example.com');
    expect(answer.rcode).toBe('NOERROR');
    expect(answer.flag_aa).toBe(true);
    expect(answer.answers).toEqual([
      expect.objectContaining({ type: 'CNAME', name: 'service1.example.com', ttl: 5, data: TARGET }),
      expect.objectContaining({ type: 'A', name: TARGET, ttl: 60, data: '127.0.2.2' }),
    ]);
  });

  it('answers a CNAME query with the CNAME alone, over TCP too', async () => {
    const [answer] = await queryTcp(server.port, [{ name: 'service1.example.com', type: 'CNAME' }]);
    expect(answer!.answers).toEqual([expect.objectContaining({ type: 'CNAME', ttl: 5, data: TARGET })]);
  });

  it('keeps the apex an A record: an apex cannot be a CNAME', async () => {
    const answer = await queryUdp(server.port, 'example.com');
    expect(answer.answers).toEqual([expect.objectContaining({ type: 'A', ttl: 60, data: '127.0.1.1' })]);
  });

  it('answers the target name itself with its A record', async () => {
    const answer = await queryUdp(server.port, TARGET);
    expect(answer.answers).toEqual([expect.objectContaining({ type: 'A', name: TARGET, data: '127.0.2.2' })]);
  });
});
