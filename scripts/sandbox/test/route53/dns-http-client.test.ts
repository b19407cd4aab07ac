import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DnsHttpClient } from '../../src/route53/dns-http-client';
import { DnsResolver } from '../../src/route53/dns-resolver';
import { startDnsServer, type DnsServer } from '../../src/route53/dns-server';

/** A deployment that says which address answered and which Host it was asked for. */
function deployment(address: string, port: number): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ address, host: request.headers.host }));
  });
  return new Promise((resolve) => server.listen(port, address, () => resolve(server)));
}

function openConnections(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}

describe('the DNS-aware HTTP client (HTTP_PROXY integrations and the public entry)', () => {
  const records = new Map([['service1.example.com', '127.0.1.2']]);
  let dns: DnsServer;
  let primary: http.Server;
  let secondary: http.Server;
  let port: number;

  beforeAll(async () => {
    dns = await startDnsServer(
      { host: '127.0.0.1', port: 0, what: 'DNS' },
      { apex: 'example.com', ttlSeconds: 2, addressOf: (name) => records.get(name) },
    );
    primary = await deployment('127.0.1.2', 0);
    port = (primary.address() as AddressInfo).port;
    secondary = await deployment('127.0.2.2', port);
  });
  afterAll(async () => {
    primary.closeAllConnections();
    secondary.closeAllConnections();
    await Promise.all([
      dns.close(),
      new Promise((r) => primary.close(r)),
      new Promise((r) => secondary.close(r)),
    ]);
  });

  const get = async (client: DnsHttpClient) => {
    const response = await client.request({
      method: 'GET',
      hostname: 'service1.example.com',
      path: '/',
      headers: {},
      body: Buffer.alloc(0),
      timeoutMs: 2000,
    });
    return {
      ...(JSON.parse(response.body.toString()) as { address: string; host: string }),
      via: response.address,
    };
  };

  it('connects to the address DNS answers, on the sandbox port, with the name as Host', async () => {
    const client = new DnsHttpClient(new DnsResolver(dns), port);
    try {
      expect(await get(client)).toEqual({
        address: '127.0.1.2',
        host: 'service1.example.com',
        via: '127.0.1.2',
      });
    } finally {
      client.close();
    }
  });

  it('moves to the new Region once the TTL passes, although a pooled connection to the old one is still open', async () => {
    let now = 0;
    const client = new DnsHttpClient(new DnsResolver(dns, { now: () => now }), port);
    try {
      for (let i = 0; i < 3; i++) expect((await get(client)).address).toBe('127.0.1.2');
      // One keep-alive connection, reused for all three.
      expect(await openConnections(primary)).toBe(1);

      records.set('service1.example.com', '127.0.2.2');
      now += 1999;
      expect((await get(client)).address).toBe('127.0.1.2');
      now += 1;
      expect((await get(client)).address).toBe('127.0.2.2');
      expect((await get(client)).address).toBe('127.0.2.2');
      // The idle connection to the old Region is still pooled, and not used.
      expect(await openConnections(primary)).toBe(1);
    } finally {
      records.set('service1.example.com', '127.0.1.2');
      client.close();
    }
  });

  it('reports a name that does not resolve and a refused connection as UpstreamErrors', async () => {
    const client = new DnsHttpClient(new DnsResolver(dns), port);
    try {
      await expect(
        client.request({
          method: 'GET',
          hostname: 'nope.example.com',
          path: '/',
          headers: {},
          body: Buffer.alloc(0),
          timeoutMs: 500,
        }),
      ).rejects.toMatchObject({ name: 'UpstreamError', code: 'ENOTFOUND' });
      records.set('service1.example.com', '127.0.3.2');
      await expect(get(client)).rejects.toMatchObject({ name: 'UpstreamError', code: 'ECONNREFUSED' });
    } finally {
      records.set('service1.example.com', '127.0.1.2');
      client.close();
    }
  });
});
