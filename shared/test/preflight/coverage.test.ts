import { nameCovers, namesToRequest, uncoveredHostnames } from '../../src/preflight/coverage';

describe("a certificate name covers a hostname by ACM's rule", () => {
  it.each([
    ['example.com', 'example.com', true],
    ['EXAMPLE.com', 'example.com.', true],
    ['example.com', 'service1.example.com', false],
    ['*.example.com', 'service1.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['*.example.com', 'service1.example.org', false],
    ['*.example.com', 'service1example.com', false],
    ['*.a.example.com', 'b.a.example.com', true],
    ['service1.example.com', 'service1.example.com', true],
    ['service1.example.com', 'service2.example.com', false],
  ])('%s covers %s: %s', (name, host, covers) => {
    expect(nameCovers(name, host)).toBe(covers);
  });

  it('lists the hostnames no name of the certificate covers', () => {
    const hosts = ['example.com', 'service1.example.com', 'service2.example.com'];
    expect(uncoveredHostnames(['*.example.com'], hosts)).toEqual(['example.com']);
    expect(uncoveredHostnames(['example.com'], hosts)).toEqual([
      'service1.example.com',
      'service2.example.com',
    ]);
    expect(uncoveredHostnames(['*.example.com', 'example.com'], hosts)).toEqual([]);
  });

  it('asks for the apex and one wildcard for the API hostnames', () => {
    expect(
      namesToRequest('example.com', ['service1.example.com', 'example.com', 'service2.example.com']),
    ).toEqual(['example.com', '*.example.com']);
    expect(namesToRequest('example.com', ['service1.example.com'])).toEqual(['*.example.com']);
  });
});
