import {
  fromResultV2,
  InvalidLambdaResponseError,
  toEventV2,
  type ReceivedRequest,
} from '../../src/api-gateway/lambda-event';

const request = (overrides: Partial<ReceivedRequest> = {}): ReceivedRequest => ({
  method: 'POST',
  rawPath: '/orders/42',
  rawQueryString: 'a=1&a=2&b=x%20y',
  headers: {
    host: 'service1.example.com',
    'content-type': 'application/json',
    cookie: 'c1=v1; c2=v2',
    'user-agent': 'curl/8',
  },
  body: Buffer.from('{"n":1}'),
  sourceIp: '127.0.0.1',
  requestId: 'req-1',
  receivedAt: new Date('2020-03-12T19:03:58.000Z'),
  ...overrides,
});
const api = { apiId: 'abc123', accountId: '111122223333', domainName: 'service1.example.com' };

describe('payload format 2.0', () => {
  it('builds the event API Gateway sends a Lambda proxy integration', () => {
    const event = toEventV2(request(), { routeKey: 'POST /orders/{id}', pathParameters: { id: '42' } }, api);
    expect(event).toEqual({
      version: '2.0',
      routeKey: 'POST /orders/{id}',
      rawPath: '/orders/42',
      rawQueryString: 'a=1&a=2&b=x%20y',
      cookies: ['c1=v1', 'c2=v2'],
      headers: { host: 'service1.example.com', 'content-type': 'application/json', 'user-agent': 'curl/8' },
      queryStringParameters: { a: '1,2', b: 'x y' },
      pathParameters: { id: '42' },
      requestContext: {
        accountId: '111122223333',
        apiId: 'abc123',
        domainName: 'service1.example.com',
        domainPrefix: 'service1',
        http: {
          method: 'POST',
          path: '/orders/42',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'curl/8',
        },
        requestId: 'req-1',
        routeKey: 'POST /orders/{id}',
        stage: '$default',
        time: '12/Mar/2020:19:03:58 +0000',
        timeEpoch: 1584039838000,
      },
      body: '{"n":1}',
      isBase64Encoded: false,
    });
  });

  it('base64-encodes a binary body and leaves out what the request lacks', () => {
    const event = toEventV2(
      request({ rawQueryString: '', headers: { 'content-type': 'image/png' }, body: Buffer.from([0, 255]) }),
      { routeKey: '$default', pathParameters: {} },
      api,
    );
    expect(event).toMatchObject({ body: 'AP8=', isBase64Encoded: true });
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('cookies');
  });

  it('takes a result with a statusCode as the response: headers, cookies, base64 bodies', () => {
    expect(fromResultV2({ statusCode: 201, headers: { 'X-A': 1 }, cookies: ['a=1'], body: 'hi' })).toEqual({
      statusCode: 201,
      headers: { 'x-a': '1', 'set-cookie': ['a=1'] },
      body: Buffer.from('hi'),
    });
    expect(fromResultV2({ statusCode: 200, isBase64Encoded: true, body: 'AP8=' }).body).toEqual(
      Buffer.from([0, 255]),
    );
  });

  it('turns any other result into a 200 JSON response of it', () => {
    expect(fromResultV2({ hello: 'world' })).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"hello":"world"}'),
    });
    expect(fromResultV2('text').body.toString()).toBe('"text"');
    expect(fromResultV2(null).body.toString()).toBe('null');
  });

  it('rejects a statusCode that is not an HTTP status', () => {
    expect(() => fromResultV2({ statusCode: 'teapot' })).toThrow(InvalidLambdaResponseError);
    expect(() => fromResultV2({ statusCode: 99 })).toThrow('statusCode 99 is not an HTTP status');
  });
});
