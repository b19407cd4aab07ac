import http from 'node:http';
import { postClaiming, postStreaming, type OversizedAnswer } from '@arc-failover/testing';
import type { HttpListener } from '@arc-failover/shared/net';
import { DnsHttpClient } from '../../src/route53/dns-http-client';
import { DnsResolver } from '../../src/route53/dns-resolver';
import { startDnsServer, type DnsServer } from '../../src/route53/dns-server';
import { HttpApi, integrationUrl } from '../../src/api-gateway/http-api';
import { LambdaFunction } from '../../src/api-gateway/lambda-runtime';
import { ENTRY_ERROR_HEADER, startPublicEntry } from '../../src/public-entry';
import { RegionalApi } from '../../src/api-gateway/regional-api';
import type { HttpApiSpec } from '../../src/api-gateway/template';
import { lambdaFixture, type LambdaFixture } from '../helpers/lambda-fixture';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(
  url: string,
  options: { method?: string; path?: string; host?: string; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(options.path ?? '/', url),
      {
        method: options.method ?? 'GET',
        agent: false,
        headers: {
          ...(options.host && { host: options.host }),
          ...(options.body && { 'content-type': 'text/plain' }),
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * An entry API in front of a service API, each on its own loopback address on one port, the service's name
 * resolved through a real DNS server: the smallest copy of the sandbox's network.
 */
describe('an HTTP API runtime: Lambda and HTTP proxy integrations', () => {
  let fixture: LambdaFixture;
  let dns: DnsServer;
  let entryApi: RegionalApi;
  let serviceApi: RegionalApi;
  let entry: HttpListener;
  const clients: DnsHttpClient[] = [];
  const functions: LambdaFunction[] = [];
  const records = new Map<string, string>();

  const api = async (name: string, address: string, port: number, spec: HttpApiSpec) => {
    const fn = new LambdaFunction({
      spec: fixture.spec(),
      region: 'us-east-1',
      accountId: '111122223333',
      taskRoot: fixture.taskRoot,
      log: () => {},
    });
    functions.push(fn);
    const client = new DnsHttpClient(new DnsResolver(dns), port);
    clients.push(client);
    const httpApi = new HttpApi({
      spec,
      functions: new Map([['Fn', fn]]),
      upstream: client,
      apiId: name,
      accountId: '111122223333',
      log: () => {},
    });
    return RegionalApi.start(name, 'us-east-1', { host: address, port, what: name }, httpApi);
  };

  beforeAll(async () => {
    fixture = lambdaFixture();
    dns = await startDnsServer(
      { host: '127.0.0.1', port: 0, what: 'DNS' },
      { apex: 'example.com', ttlSeconds: 0, addressOf: (name) => records.get(name) },
    );
    const lambda = {
      type: 'AWS_PROXY' as const,
      functionLogicalId: 'Fn',
      payloadFormatVersion: '2.0' as const,
      timeoutMs: 30000,
    };
    const fn = fixture.spec({ logicalId: 'Fn' });
    serviceApi = await api('service1', '127.0.1.2', 0, {
      routes: [{ routeKey: 'ANY /{proxy+}', integration: lambda }],
      functions: new Map([['Fn', fn]]),
    });
    const port = serviceApi.port;
    entryApi = await api('external-api', '127.0.1.1', port, {
      routes: [
        { routeKey: 'GET /env', integration: lambda },
        {
          routeKey: 'ANY /service1/{proxy+}',
          integration: {
            type: 'HTTP_PROXY',
            uri: 'https://service1.example.com/{proxy}',
            method: 'ANY',
            timeoutMs: 1000,
          },
        },
      ],
      functions: new Map([['Fn', fn]]),
    });
    records.set('example.com', '127.0.1.1');
    records.set('service1.example.com', '127.0.1.2');
    const entryClient = new DnsHttpClient(new DnsResolver(dns), port);
    clients.push(entryClient);
    entry = await startPublicEntry({ host: '127.0.0.1', port: 0, what: 'entry' }, entryClient, 'example.com');
  });

  afterAll(async () => {
    await Promise.all([
      entry.close(),
      entryApi.close(),
      serviceApi.close(),
      dns.close(),
      ...functions.map((f) => f.close()),
    ]);
    clients.forEach((c) => c.close());
    fixture.remove();
  });

  it('invokes the route’s function and maps its result to the response', async () => {
    const reply = await request(serviceApi.url, {
      method: 'POST',
      path: '/echo?x=1',
      host: 'service1.example.com',
      body: 'hi',
    });
    expect(reply.status).toBe(201);
    expect(reply.headers['x-echo']).toBe('yes');
    expect(reply.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(reply.headers['apigw-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    const event = JSON.parse(reply.body) as {
      routeKey: string;
      rawPath: string;
      body: string;
      pathParameters: unknown;
      requestContext: { domainName: string };
    };
    expect(event).toMatchObject({
      routeKey: 'ANY /{proxy+}',
      rawPath: '/echo',
      body: 'hi',
      pathParameters: { proxy: 'echo' },
    });
    expect(event.requestContext.domainName).toBe('service1.example.com');
  });

  it('answers 404 {"message":"Not Found"} where no route matches, as HTTP APIs do', async () => {
    const reply = await request(entryApi.url, { path: '/nowhere' });
    expect([reply.status, reply.body]).toEqual([404, '{"message":"Not Found"}']);
  });

  it('answers 500 {"message":"Internal Server Error"} when the function throws', async () => {
    const reply = await request(serviceApi.url, { path: '/throw' });
    expect([reply.status, reply.body]).toEqual([500, '{"message":"Internal Server Error"}']);
  });

  it('proxies to the URL of an HTTP_PROXY integration, resolving its host through the DNS', async () => {
    const reply = await request(entryApi.url, { path: '/service1/env' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ region: 'us-east-1' });
  });

  it('answers 503 {"message":"Service Unavailable"} when the proxied API refuses connections', async () => {
    await serviceApi.setFault('down');
    try {
      const reply = await request(entryApi.url, { path: '/service1/env' });
      expect([reply.status, reply.body]).toEqual([503, '{"message":"Service Unavailable"}']);
    } finally {
      await serviceApi.setFault('up');
    }
    expect((await request(entryApi.url, { path: '/service1/env' })).status).toBe(200);
  });

  it('answers 500 for everything while its Region has the "error" fault', async () => {
    await serviceApi.setFault('error');
    try {
      expect((await request(serviceApi.url, { path: '/env' })).status).toBe(500);
    } finally {
      await serviceApi.setFault('up');
    }
  });

  it('forwards a public request to the apex domain when the Host is an address, and to the named host otherwise', async () => {
    expect(JSON.parse((await request(entry.url, { path: '/env' })).body)).toMatchObject({
      functionName: 'fixture-local-handler',
    });
    const direct = await request(entry.url, { path: '/count', host: 'service1.example.com' });
    expect(direct.status).toBe(200);
  });

  const MB = 1024 * 1024;
  /** What API Gateway's front end answers for a body over its 10 MiB limit. */
  const expectGatewayTooLarge = (answer: OversizedAnswer) => {
    expect(answer).toMatchObject({
      status: 413,
      body: 'HTTP content length exceeded 10485760 bytes.',
      closed: true,
    });
    expect(answer.headers['content-type']).toBe('text; charset=utf-8');
    expect(answer.ms).toBeLessThan(3000);
  };

  it('answers an 11 MB POST to the public entry with API Gateway’s 413 at once, with its content-length or chunked', async () => {
    const url = new URL('/service1/echo', entry.url).href;
    for (const framing of ['content-length', 'chunked'] as const) {
      expectGatewayTooLarge(await postStreaming({ url, framing, totalBytes: 11 * MB, timeoutMs: 5000 }));
    }
    expectGatewayTooLarge(await postClaiming({ url, claimedBytes: 5 * 1024 * MB, timeoutMs: 5000 }));
    // A body at the limit still goes through: the entry API reads it whole and finds no route for it.
    const reply = await request(entry.url, { method: 'POST', path: '/nowhere', body: 'x'.repeat(10 * MB) });
    expect([reply.status, reply.body]).toEqual([404, '{"message":"Not Found"}']);
  });

  it('refuses a body over 10 MiB at an API’s own address without reading it, and keeps memory where it was', async () => {
    const url = new URL('/echo', serviceApi.url).href;
    const before = process.memoryUsage().rss;
    expectGatewayTooLarge(await postStreaming({ url, totalBytes: 200 * MB, timeoutMs: 5000 }));
    expect((process.memoryUsage().rss - before) / MB).toBeLessThan(50);
    expectGatewayTooLarge(await postClaiming({ url, claimedBytes: 5 * 1024 * MB, timeoutMs: 5000 }));
    expect((await request(serviceApi.url, { path: '/env' })).status).toBe(200);
  });

  it('tells the caller why the stand-in internet could not deliver, in a 502', async () => {
    const reply = await request(entry.url, { path: '/', host: 'nope.example.com' });
    expect(reply.status).toBe(502);
    expect(reply.headers[ENTRY_ERROR_HEADER]).toMatch(/^ENOTFOUND: /);
  });
});

describe('the URL an HTTP_PROXY integration calls', () => {
  it('substitutes path variables, re-encoding each segment', () => {
    expect(
      integrationUrl('https://s.example.com/{proxy}', 'ANY /s/{proxy+}', { proxy: 'a b/c' }, '/s/a%20b/c')
        .href,
    ).toBe('https://s.example.com/a%20b/c');
  });

  it('appends the whole request path for the $default route', () => {
    expect(integrationUrl('https://s.example.com/base/', '$default', {}, '/x/y').pathname).toBe('/base/x/y');
  });
});
