import dgram from 'node:dgram';
import { DnsResolver } from '../../src/route53/dns-resolver';
import { startDnsServer, type DnsServer } from '../../src/route53/dns-server';

describe('the resolver the sandbox HTTP clients use', () => {
  const records = new Map([['service1.example.com', '127.0.1.2']]);
  let queries = 0;
  let ttlSeconds = 5;
  let server: DnsServer;

  beforeAll(async () => {
    server = await startDnsServer(
      { host: '127.0.0.1', port: 0, what: 'DNS' },
      {
        apex: 'example.com',
        get ttlSeconds() {
          return ttlSeconds;
        },
        addressOf: (name) => {
          queries += 1;
          return records.get(name);
        },
      },
    );
  });
  afterAll(() => server.close());
  beforeEach(() => {
    queries = 0;
    ttlSeconds = 5;
    records.set('service1.example.com', '127.0.1.2');
  });

  it('keeps an answer exactly as long as its TTL, then asks again and sees the failover', async () => {
    let now = 1_000_000;
    const resolver = new DnsResolver(server, { now: () => now });
    expect(await resolver.resolve('service1.example.com')).toBe('127.0.1.2');
    records.set('service1.example.com', '127.0.2.2');

    now += 4999;
    expect(await resolver.resolve('service1.example.com')).toBe('127.0.1.2');
    expect(queries).toBe(1);

    now += 1;
    expect(await resolver.resolve('service1.example.com')).toBe('127.0.2.2');
    expect(queries).toBe(2);
  });

  it('caches nothing when the TTL is 0', async () => {
    ttlSeconds = 0;
    const resolver = new DnsResolver(server);
    await resolver.resolve('service1.example.com');
    await resolver.resolve('service1.example.com');
    expect(queries).toBe(2);
  });

  it('sends one query for many simultaneous lookups of a name', async () => {
    const resolver = new DnsResolver(server);
    const addresses = await Promise.all(
      Array.from({ length: 20 }, () => resolver.resolve('service1.example.com')),
    );
    expect(new Set(addresses)).toEqual(new Set(['127.0.1.2']));
    expect(queries).toBe(1);
  });

  it('fails a name the zone lacks with ENOTFOUND, and one outside it with EREFUSED', async () => {
    const resolver = new DnsResolver(server);
    await expect(resolver.resolve('service9.example.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolve('example.org')).rejects.toMatchObject({ code: 'EREFUSED' });
  });

  it('gives up with ETIMEOUT after its attempts when the server never answers', async () => {
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    let received = 0;
    silent.on('message', () => (received += 1));
    try {
      const resolver = new DnsResolver(
        { host: '127.0.0.1', port: silent.address().port },
        { timeoutMs: 50, attempts: 3 },
      );
      await expect(resolver.resolve('service1.example.com')).rejects.toMatchObject({ code: 'ETIMEOUT' });
      expect(received).toBe(3);
    } finally {
      silent.close();
    }
  });
});

describe('the resolver through a CNAME', () => {
  let target = 'service1.us-east-1.regional.example.com';
  const addresses = new Map([
    ['service1.us-east-1.regional.example.com', '127.0.1.2'],
    ['service1.us-west-2.regional.example.com', '127.0.2.2'],
  ]);
  let server: DnsServer;

  beforeAll(async () => {
    server = await startDnsServer(
      { host: '127.0.0.1', port: 0, what: 'DNS' },
      {
        apex: 'example.com',
        ttlSeconds: 60,
        addressOf: (name) => addresses.get(name === 'service1.example.com' ? target : name),
        cnameOf: (name) => (name === 'service1.example.com' ? { target, ttlSeconds: 3 } : undefined),
      },
    );
  });
  afterAll(() => server.close());

  it("keeps the name for the CNAME's TTL, not the target's, then follows the new target", async () => {
    let now = 1_000_000;
    const resolver = new DnsResolver(server, { now: () => now });
    expect(await resolver.resolve('service1.example.com')).toBe('127.0.1.2');
    target = 'service1.us-west-2.regional.example.com';
    now += 2999;
    expect(await resolver.resolve('service1.example.com')).toBe('127.0.1.2');
    now += 1;
    expect(await resolver.resolve('service1.example.com')).toBe('127.0.2.2');
  });
});
