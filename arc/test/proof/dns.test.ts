import {
  askAuthoritative,
  describeAnswer,
  nameServersOf,
  ProofUnavailable,
  regionOfAnswer,
  type AuthoritativeAnswer,
} from '../../src/proof';
import { a, cname, recursionDesired, startDnsResponder, type TestDnsServer } from './dns-responder';
import { apiWith, bookmarkWith, sandboxApi } from './fixtures';

describe('askAuthoritative', () => {
  let first: TestDnsServer;
  let second: TestDnsServer;
  let third: TestDnsServer;

  beforeAll(async () => {
    [first, second, third] = await Promise.all([
      startDnsResponder(),
      startDnsResponder(),
      startDnsResponder(),
    ]);
  });

  afterAll(() => Promise.all([first, second, third].map((s) => s.close())));

  beforeEach(() => {
    for (const s of [first, second, third]) {
      s.queries.length = 0;
      s.silent = false;
      s.truncateUdp = false;
      s.set('service1.example.com', [a('127.0.0.11')]);
    }
  });

  it('asks the first name server, without asking for recursion', async () => {
    const answer = await askAuthoritative([first, second], 'Service1.Example.com.');
    expect(answer).toEqual({
      nameServer: `127.0.0.1:${first.port}`,
      rcode: 'NOERROR',
      addresses: ['127.0.0.11'],
      cnames: [],
    });
    expect(first.queries).toEqual([{ name: 'service1.example.com', flags: 0, transport: 'udp' }]);
    expect(recursionDesired(first.queries[0]!)).toBe(false);
    expect(second.queries).toEqual([]);
  });

  it('skips a name server that does not answer, after the per-server timeout', async () => {
    first.silent = true;
    second.set('service1.example.com', [a('127.0.0.12')]);
    const started = performance.now();
    const answer = await askAuthoritative([first, second], 'service1.example.com', 200);
    const waited = performance.now() - started;
    expect(answer).toMatchObject({ nameServer: `127.0.0.1:${second.port}`, addresses: ['127.0.0.12'] });
    // one attempt at the dead one, then the next
    expect(first.queries).toHaveLength(1);
    expect(second.queries).toHaveLength(1);
    expect(waited).toBeGreaterThanOrEqual(190);
    expect(waited).toBeLessThan(600);
  });

  it('throws when no name server answers', async () => {
    for (const s of [first, second, third]) s.silent = true;
    const started = performance.now();
    await expect(askAuthoritative([first, second, third], 'service1.example.com', 100)).rejects.toThrow(
      'cannot resolve service1.example.com: ETIMEOUT',
    );
    const waited = performance.now() - started;
    expect([first, second, third].map((s) => s.queries.length)).toEqual([1, 1, 1]);
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(900);
  });

  it('gives NXDOMAIN as an answer, not a failure', async () => {
    await expect(askAuthoritative([first], 'nothing.example.com')).resolves.toEqual({
      nameServer: `127.0.0.1:${first.port}`,
      rcode: 'NXDOMAIN',
      addresses: [],
      cnames: [],
    });
  });

  it('reads a CNAME and its target’s address (lower case, no trailing dot)', async () => {
    first.set('service1.example.com', [
      cname('D-Abc.execute-api.us-west-2.amazonaws.com.'),
      a('127.0.0.12', 'd-abc.execute-api.us-west-2.amazonaws.com'),
    ]);
    await expect(askAuthoritative([first], 'service1.example.com')).resolves.toMatchObject({
      cnames: ['d-abc.execute-api.us-west-2.amazonaws.com'],
      addresses: ['127.0.0.12'],
    });
  });

  it('asks again over TCP when the UDP answer is truncated', async () => {
    first.truncateUdp = true;
    first.set('service1.example.com', [a('127.0.0.12')]);
    await expect(askAuthoritative([first], 'service1.example.com')).resolves.toMatchObject({
      addresses: ['127.0.0.12'],
    });
    expect(first.queries.map((q) => [q.transport, recursionDesired(q)])).toEqual([
      ['udp', false],
      ['tcp', false],
    ]);
  });
});

describe('regionOfAnswer', () => {
  const answer = (addresses: string[], cnames: string[] = []): AuthoritativeAnswer => ({
    nameServer: '127.0.0.1:53',
    rcode: 'NOERROR',
    addresses,
    cnames,
  });
  const noResolver = () => Promise.reject(new Error('no name should be resolved'));

  it('matches the sandbox’s own address of an API in a Region', async () => {
    const api = sandboxApi('service1');
    await expect(regionOfAnswer(api, answer(['127.0.0.12']), noResolver)).resolves.toBe('us-west-2');
    await expect(regionOfAnswer(api, answer(['127.0.0.11']), noResolver)).resolves.toBe('us-east-1');
  });

  it('matches a CNAME to a Region’s domain target, however the bookmark spells it', async () => {
    const api = apiWith('service1', {
      'us-east-1': { domainTarget: 'd-east.execute-api.us-east-1.amazonaws.com' },
      'us-west-2': { domainTarget: 'D-West.execute-api.us-west-2.amazonaws.com.' },
    });
    await expect(
      regionOfAnswer(api, answer([], ['d-west.execute-api.us-west-2.amazonaws.com']), noResolver),
    ).resolves.toBe('us-west-2');
  });

  it('matches an alias A answer through what the domain targets resolve to', async () => {
    const api = apiWith('service1', {
      'us-east-1': { domainTarget: 'd-east.execute-api.us-east-1.amazonaws.com' },
      'us-west-2': { domainTarget: 'd-west.execute-api.us-west-2.amazonaws.com' },
    });
    const asked: string[] = [];
    const resolver = async (name: string) => {
      asked.push(name);
      if (name.startsWith('d-east')) return ['192.0.2.1', '192.0.2.2'];
      if (name.startsWith('d-west')) return ['198.51.100.7', '198.51.100.8'];
      throw new Error(`unexpected ${name}`);
    };
    await expect(regionOfAnswer(api, answer(['198.51.100.8', '198.51.100.9']), resolver)).resolves.toBe(
      'us-west-2',
    );
    expect(asked).toEqual([
      'd-east.execute-api.us-east-1.amazonaws.com',
      'd-west.execute-api.us-west-2.amazonaws.com',
    ]);
  });

  it('goes on to the other Region when resolving one domain target fails', async () => {
    const api = apiWith('service1', {
      'us-east-1': { domainTarget: 'd-east.execute-api.us-east-1.amazonaws.com' },
      'us-west-2': { domainTarget: 'd-west.execute-api.us-west-2.amazonaws.com' },
    });
    const resolver = async (name: string) => {
      if (name.startsWith('d-east')) throw new Error('ENOTFOUND');
      return ['198.51.100.7'];
    };
    await expect(regionOfAnswer(api, answer(['198.51.100.7']), resolver)).resolves.toBe('us-west-2');
  });

  it('is undefined for an answer that is neither Region’s record', async () => {
    const api = apiWith('service1', {
      'us-east-1': { address: '127.0.0.11', domainTarget: 'd-east.execute-api.us-east-1.amazonaws.com' },
      'us-west-2': { address: '127.0.0.12', domainTarget: 'd-west.execute-api.us-west-2.amazonaws.com' },
    });
    const resolver = async () => ['192.0.2.1'];
    await expect(regionOfAnswer(api, answer(['203.0.113.5']), resolver)).resolves.toBeUndefined();
    await expect(
      regionOfAnswer(api, answer([], ['elsewhere.example.net']), resolver),
    ).resolves.toBeUndefined();
    // nothing to compare: no lookups
    await expect(regionOfAnswer(api, answer([]), noResolver)).resolves.toBeUndefined();
    // a bookmark without per-Region facts
    await expect(
      regionOfAnswer(apiWith('old', undefined), answer(['127.0.0.11']), noResolver),
    ).resolves.toBeUndefined();
  });

  it('names the Region of what the name server answers now', async () => {
    const dns = await startDnsResponder();
    try {
      const api = sandboxApi('service1');
      dns.set(api.hostname, [a('127.0.0.11')]);
      expect(await regionOfAnswer(api, await askAuthoritative([dns], api.hostname), noResolver)).toBe(
        'us-east-1',
      );
      dns.set(api.hostname, [a('127.0.0.12')]);
      expect(await regionOfAnswer(api, await askAuthoritative([dns], api.hostname), noResolver)).toBe(
        'us-west-2',
      );
    } finally {
      await dns.close();
    }
  });
});

describe('describeAnswer', () => {
  const answer = (fields: Partial<AuthoritativeAnswer>): AuthoritativeAnswer => ({
    nameServer: '127.0.0.1:53',
    rcode: 'NOERROR',
    addresses: [],
    cnames: [],
    ...fields,
  });

  it.each([
    ['an A record', answer({ addresses: ['127.0.0.12'] }), 'A 127.0.0.12'],
    [
      'a CNAME and its target',
      answer({ cnames: ['d-west.example'], addresses: ['127.0.0.12'] }),
      'CNAME d-west.example, A 127.0.0.12',
    ],
    ['NOERROR without records', answer({}), 'no record'],
    ['NXDOMAIN', answer({ rcode: 'NXDOMAIN' }), 'NXDOMAIN'],
  ])('%s', (_what, given, expected) => {
    expect(describeAnswer(given)).toBe(expected);
  });
});

describe('nameServersOf', () => {
  it('gives the bookmark’s name servers', () => {
    const servers = [{ host: '192.0.2.53', port: 53 }];
    expect(nameServersOf(bookmarkWith([sandboxApi('service1')], servers))).toEqual(servers);
  });

  it.each([[undefined], [[]]])('throws ProofUnavailable for nameServers %j', (servers) => {
    const bookmark = bookmarkWith([sandboxApi('service1')], servers);
    expect(() => nameServersOf(bookmark)).toThrow(ProofUnavailable);
    expect(() => nameServersOf(bookmark)).toThrow(/no name servers.*npm run switch -- sync.*without --wait/);
  });
});
