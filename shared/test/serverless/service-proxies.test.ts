import { readFileSync } from 'node:fs';
import { DEFAULT_TOPOLOGY_FILE, parseTopology } from '../../src/topology';
import { serviceProxies } from '../../src/serverless/service-proxies';
import { stackContext } from '../../src/serverless/stack';

function withService3() {
  const doc = JSON.parse(readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8'));
  doc.services.push({ name: 'service3', primaryRegion: 'eu-west-1', secondaryRegion: 'eu-central-1' });
  return parseTopology(doc, 'prod');
}

describe("the entry API's routes to the services", () => {
  it('forward /<service> and /<service>/<path> over HTTPS to the service domain, for each service', () => {
    const { Resources } = serviceProxies(stackContext('external-api', 'prod', 'us-west-2'));
    const routes = Object.values(Resources)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
      .map((route) => {
        const target = (route.Properties!.Target as { 'Fn::Join': [string, [string, { Ref: string }]] })[
          'Fn::Join'
        ][1][1].Ref;
        return [route.Properties!.RouteKey, Resources[target]!.Properties!.IntegrationUri];
      });
    expect(routes).toEqual([
      ['ANY /service1', 'https://service1.example.com/'],
      ['ANY /service1/{proxy+}', 'https://service1.example.com/{proxy}'],
      ['ANY /service2', 'https://service2.example.com/'],
      ['ANY /service2/{proxy+}', 'https://service2.example.com/{proxy}'],
    ]);
  });

  it('cover a service added to the topology, without touching the entry API', () => {
    const topology = withService3();
    const { Resources } = serviceProxies({
      kind: 'api',
      topology,
      region: 'us-east-1',
      api: topology.entry,
      role: 'primary',
    });
    expect(Resources.ProxyRouteService3Path?.Properties?.RouteKey).toBe('ANY /service3/{proxy+}');
    expect(Resources.ProxyIntegrationService3Path?.Properties).toEqual({
      ApiId: { Ref: 'HttpApi' },
      IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'ANY',
      IntegrationUri: 'https://service3.example.com/{proxy}',
      PayloadFormatVersion: '1.0',
    });
  });
});
