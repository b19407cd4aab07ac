import {
  checkReadiness,
  healthUrl,
  notReadyLine,
  ReadinessUnavailable,
  type ReadinessAnswer,
} from '../../src/readiness';
import { apiWith } from './fixtures';
import { closedPort, startHttpServer, type TestHttpServer } from './servers';

describe('healthUrl', () => {
  it.each([
    [
      'https://abc.execute-api.us-east-1.amazonaws.com',
      undefined,
      'https://abc.execute-api.us-east-1.amazonaws.com/',
    ],
    ['https://abc.example', '/', 'https://abc.example/'],
    ['https://abc.example/', '/', 'https://abc.example/'],
    ['https://abc.example', '/health', 'https://abc.example/health'],
    ['https://abc.example/', '/health', 'https://abc.example/health'],
    ['https://x/prod', '/health', 'https://x/prod/health'],
    ['https://x/prod/', '/health', 'https://x/prod/health'],
    ['https://x/prod', '/', 'https://x/prod/'],
    ['https://x/prod', undefined, 'https://x/prod/'],
    ['https://x/prod', '/v1/health?deep=1', 'https://x/prod/v1/health?deep=1'],
    ['http://127.0.0.11:8080', '/health', 'http://127.0.0.11:8080/health'],
    // a path whose first segment has a colon is still a path, not a URL of its own scheme
    ['https://x/prod', '/health:check', 'https://x/prod/health:check'],
    // a path starting with two slashes is still under the stage, not a path from the host's root
    ['https://x/prod', '//health', 'https://x/prod//health'],
  ])('%s with healthPath %s is %s', (url, healthPath, expected) => {
    expect(healthUrl(apiWith('service1', { 'us-east-1': url }, healthPath), 'us-east-1')).toBe(expected);
  });

  it('is undefined where the bookmark has no URL for the Region', () => {
    expect(healthUrl(apiWith('service1', undefined), 'us-east-1')).toBeUndefined();
    expect(healthUrl(apiWith('service1', { 'us-east-1': 'https://x' }), 'us-west-2')).toBeUndefined();
  });
});

describe('checkReadiness', () => {
  let server: TestHttpServer;
  let refusedUrl: string;

  /** The first path segment says how to answer: /200, /204, /302, /404, /503, /slow (200 after 250 ms), /hang. */
  beforeAll(async () => {
    server = await startHttpServer((request, response) => {
      const how = (request.url ?? '/').split('/')[1] ?? '';
      if (how === 'hang') return;
      if (how === 'slow') return void setTimeout(() => response.end('ok'), 250);
      const status = Number(how) || 500;
      response.writeHead(status, status === 302 ? { location: '/elsewhere' } : {}).end();
    });
    refusedUrl = `http://127.0.0.1:${await closedPort()}`;
  });

  afterAll(() => server.close());

  const options = { connectTimeoutMs: 500, timeoutMs: 1000 };

  it('GETs every target at once: the whole check takes about the slowest, not the sum', async () => {
    const targets = ['service1', 'service2', 'service3'].map((name) => ({
      api: apiWith(name, { 'us-west-2': `${server.url}/slow/${name}` }, '/health'),
      region: 'us-west-2',
    }));
    const started = performance.now();
    const answers = await checkReadiness(targets, options);
    const waited = performance.now() - started;
    expect(answers.map((a) => [a.api, a.ready])).toEqual([
      ['service1', true],
      ['service2', true],
      ['service3', true],
    ]);
    expect(answers.every((a) => a.elapsedMs >= 240)).toBe(true);
    // one after another would be 750 ms at least
    expect(waited).toBeLessThan(600);
    expect(server.requests.filter((r) => r.url.startsWith('/slow/')).map((r) => r.url)).toEqual(
      expect.arrayContaining(['/slow/service1/health', '/slow/service2/health', '/slow/service3/health']),
    );
  });

  it('is ready on 2xx only, and says what any other answer was', async () => {
    const target = (name: string, how: string) => ({
      api: apiWith(name, { 'us-east-1': `${server.url}/${how}` }, '/health'),
      region: 'us-east-1',
    });
    const answers = await checkReadiness(
      [target('ok', '200'), target('empty', '204'), target('moved', '302'), target('gone', '404')],
      options,
    );
    expect(answers).toEqual([
      expect.objectContaining({ api: 'ok', ready: true, status: 200, answer: 'HTTP 200' }),
      expect.objectContaining({ api: 'empty', ready: true, status: 204, answer: 'HTTP 204' }),
      expect.objectContaining({
        api: 'moved',
        ready: false,
        status: 302,
        failure: 'status',
        answer: 'HTTP 302',
      }),
      expect.objectContaining({
        api: 'gone',
        ready: false,
        status: 404,
        failure: 'status',
        answer: 'HTTP 404',
      }),
    ]);
    expect(answers[0]).not.toHaveProperty('failure');
  });

  it('answers a 503 with the API, Region, URL and "HTTP 503", in one line', async () => {
    const url = `${server.url}/503`;
    const [answer] = await checkReadiness(
      [
        {
          api: apiWith('service1', { 'us-east-1': 'https://unused', 'us-west-2': url }, '/health'),
          region: 'us-west-2',
        },
      ],
      options,
    );
    expect(answer).toMatchObject({
      api: 'service1',
      region: 'us-west-2',
      url: `${url}/health`,
      ready: false,
      status: 503,
      failure: 'status',
      answer: 'HTTP 503',
    });
    expect(notReadyLine(answer!)).toBe(
      `service1 is not ready in us-west-2: GET ${url}/health answered HTTP 503 after ${answer!.elapsedMs} ms`,
    );
  });

  it('is not ready when the target refuses or does not answer in time, and says which', async () => {
    const answers = await checkReadiness(
      [
        { api: apiWith('refusing', { 'us-west-2': refusedUrl }), region: 'us-west-2' },
        { api: apiWith('hanging', { 'us-west-2': `${server.url}/hang` }), region: 'us-west-2' },
      ],
      { connectTimeoutMs: 200, timeoutMs: 300 },
    );
    expect(answers).toEqual([
      expect.objectContaining({ api: 'refusing', ready: false, failure: 'refused' }),
      expect.objectContaining({
        api: 'hanging',
        ready: false,
        failure: 'timeout',
        answer: 'timeout (no answer within 300 ms)',
      }),
    ]);
    expect(answers[0]!.answer).toMatch(/^refused \(ECONNREFUSED: /);
    expect(answers[0]).not.toHaveProperty('status');
    expect(notReadyLine(answers[1]!)).toMatch(
      new RegExp(
        `^hanging is not ready in us-west-2: GET ${server.url}/hang/ answered timeout \\(no answer within 300 ms\\) after \\d+ ms$`,
      ),
    );
  });

  it('throws ReadinessUnavailable, calling nobody, when a target has no Regional URL', async () => {
    const before = server.requests.length;
    const targets = [
      { api: apiWith('fine', { 'us-west-2': `${server.url}/200` }), region: 'us-west-2' },
      { api: apiWith('old1', undefined), region: 'us-west-2' },
      { api: apiWith('old2', { 'us-east-1': `${server.url}/200` }), region: 'us-west-2' },
      { api: apiWith('old1', undefined), region: 'us-east-1' },
    ];
    const failure = await checkReadiness(targets, options).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ReadinessUnavailable);
    const error = failure as ReadinessUnavailable;
    expect(error.apis).toEqual(['old1', 'old2']);
    expect(error.message).toContain('no Regional URL for old1, old2');
    expect(error.message).toContain('npm run switch -- sync');
    expect(error.message).toContain('--skip-readiness');
    expect(server.requests.length).toBe(before);
  });

  it('answers nothing for no targets', async () => {
    await expect(checkReadiness([], options)).resolves.toEqual([] satisfies ReadinessAnswer[]);
  });
});
