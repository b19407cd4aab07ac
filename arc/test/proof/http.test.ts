import { askPublic } from '../../src/proof';
import { closedPort } from '../readiness/servers';
import { a, cname, startDnsResponder, type TestDnsServer } from './dns-responder';
import { startEntry, type TestEntry } from './entry';
import { bookmarkWith, sandboxApi } from './fixtures';

describe('askPublic', () => {
  let dns: TestDnsServer;
  let dead: TestDnsServer;
  let entry: TestEntry;
  const api = sandboxApi('service1');

  beforeAll(async () => {
    [dns, dead, entry] = await Promise.all([startDnsResponder(), startDnsResponder(), startEntry()]);
    dead.silent = true;
  });

  afterAll(() => Promise.all([dns.close(), dead.close(), entry.close()]));

  beforeEach(() => {
    dns.queries.length = 0;
    entry.requests.length = 0;
    entry.serving.clear();
  });

  describe('in the sandbox (its public entry)', () => {
    it('GETs the entry with the API’s Host and reads the Region it answered from', async () => {
      entry.serving.set(api.hostname, 'us-west-2');
      const bookmark = bookmarkWith([api], [dns], entry.url);
      await expect(askPublic(bookmark, api, [dns])).resolves.toEqual({
        url: entry.url,
        status: 200,
        region: 'us-west-2',
      });
      expect(entry.requests.map((r) => r.headers.host)).toEqual(['service1.example.com']);
      // the entry resolves the name as a client would: the proof asks no DNS itself
      expect(dns.queries).toEqual([]);
    });

    it('says so when the answer names no Region', async () => {
      const bookmark = bookmarkWith([api], [dns], entry.url);
      await expect(askPublic(bookmark, api, [dns])).resolves.toEqual({
        url: entry.url,
        status: 502,
        error: 'no region in the answer',
      });
    });

    it('gives why there was no answer', async () => {
      const down = `http://127.0.0.1:${await closedPort()}`;
      const answer = await askPublic(bookmarkWith([api], [dns], down), api, [dns]);
      expect(answer).toEqual({ url: down, error: expect.stringMatching(/^refused \(ECONNREFUSED: /) });
    });
  });

  // Outside the sandbox the GET is https://<hostname>/ on port 443 at the address the name servers gave:
  // no TLS server can stand in for it on loopback, so only the ways it ends before any GET are tested.
  describe('in AWS (the address from the zone’s name servers)', () => {
    const bookmark = () => bookmarkWith([api], [dns]);

    it('says DNS: no address when the zone has no record of the name', async () => {
      dns.set(api.hostname, undefined);
      await expect(askPublic(bookmark(), api, [dns])).resolves.toEqual({
        url: 'https://service1.example.com/',
        error: 'DNS: no address for service1.example.com',
      });
      expect(dns.queries.map((q) => q.name)).toEqual(['service1.example.com']);
    });

    it('says DNS: no address when a CNAME’s target resolves to nothing', async () => {
      dns.set(api.hostname, [cname('d-west.execute-api.us-west-2.amazonaws.com')]);
      const asked: string[] = [];
      const resolver = async (name: string) => {
        asked.push(name);
        return [];
      };
      await expect(askPublic(bookmark(), api, [dns], resolver)).resolves.toEqual({
        url: 'https://service1.example.com/',
        error: 'DNS: no address for service1.example.com',
      });
      expect(asked).toEqual(['d-west.execute-api.us-west-2.amazonaws.com']);
    });

    it('gives why a CNAME’s target could not be resolved', async () => {
      dns.set(api.hostname, [cname('d-west.execute-api.us-west-2.amazonaws.com')]);
      const resolver = () =>
        Promise.reject(new Error('queryA ENOTFOUND d-west.execute-api.us-west-2.amazonaws.com'));
      await expect(askPublic(bookmark(), api, [dns], resolver)).resolves.toEqual({
        url: 'https://service1.example.com/',
        error: 'DNS: queryA ENOTFOUND d-west.execute-api.us-west-2.amazonaws.com',
      });
    });

    it('says DNS and why when no name server answers', async () => {
      const answer = await askPublic(bookmarkWith([api], [dead]), api, [dead]);
      expect(answer).toEqual({
        url: 'https://service1.example.com/',
        error: 'DNS: cannot resolve service1.example.com: ETIMEOUT',
      });
    });

    it('asks the name servers, never the resolver, for the zone’s own name', async () => {
      // the A answer is used as is: the resolver is for CNAME targets only
      dns.set(api.hostname, [a('127.0.0.1')]);
      const resolver = () => Promise.reject(new Error('the resolver was asked'));
      // nothing listens on 127.0.0.1:443 (or it is no TLS server for this name): the GET itself fails
      const answer = await askPublic(bookmark(), api, [dns], resolver);
      expect(answer.url).toBe('https://service1.example.com/');
      expect(answer.region).toBeUndefined();
      expect(answer.error).toBeDefined();
      expect(answer.error).not.toMatch(/^DNS: /);
      expect(dns.queries).toHaveLength(1);
    });
  });
});
