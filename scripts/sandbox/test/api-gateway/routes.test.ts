import { compileRoutes, matchRoute } from '../../src/api-gateway/routes';

describe('HTTP API route selection', () => {
  const routes = compileRoutes(
    [
      'GET /pets/dog/1',
      'GET /pets/dog/{id}',
      'GET /pets/{proxy+}',
      'ANY /{proxy+}',
      'ANY /pets',
      'GET /pets',
      '$default',
      'GET /',
    ].map((routeKey) => ({ routeKey })),
  );
  const pick = (method: string, path: string) => {
    const match = matchRoute(routes, method, path);
    return match && [match.route.routeKey, match.pathParameters];
  };

  it('prefers the exact route and method', () => {
    expect(pick('GET', '/pets/dog/1')).toEqual(['GET /pets/dog/1', {}]);
  });

  it('then a path variable, decoded', () => {
    expect(pick('GET', '/pets/dog/a%20b')).toEqual(['GET /pets/dog/{id}', { id: 'a b' }]);
  });

  it('then the longest greedy route, whose variable takes the rest of the path', () => {
    expect(pick('GET', '/pets/cat/1/2')).toEqual(['GET /pets/{proxy+}', { proxy: 'cat/1/2' }]);
  });

  it('falls back to ANY for other methods', () => {
    expect(pick('POST', '/pets/dog/1')).toEqual(['ANY /{proxy+}', { proxy: 'pets/dog/1' }]);
    expect(pick('DELETE', '/pets')).toEqual(['ANY /pets', {}]);
  });

  it('prefers the method-specific route over ANY on the same path', () => {
    expect(pick('GET', '/pets')).toEqual(['GET /pets', {}]);
  });

  it('does not let a greedy variable match an empty rest; $default catches what nothing else does', () => {
    expect(pick('POST', '/')).toEqual(['$default', {}]);
    expect(pick('GET', '/')).toEqual(['GET /', {}]);
  });

  it('finds nothing without a matching route or $default', () => {
    const few = compileRoutes([{ routeKey: 'GET /' }, { routeKey: 'ANY /service1/{proxy+}' }]);
    expect(matchRoute(few, 'GET', '/service2')).toBeUndefined();
    expect(matchRoute(few, 'GET', '/service1')).toBeUndefined();
    expect(matchRoute(few, 'GET', '/service1/')).toBeUndefined();
    expect(matchRoute(few, 'GET', '/service1/a')?.pathParameters).toEqual({ proxy: 'a' });
  });
});
