import fixture from '../fixtures/external-api.template.json';
import { TemplateError } from '@arc-failover/stacks';
import { readHttpApi } from '../../src/api-gateway/template';

const stack = { region: 'us-west-2', accountId: '111122223333', stackName: 'external-api-local' };

describe('reading a packaged HTTP API template', () => {
  const spec = readHttpApi(fixture, stack);

  it('finds every route with its integration', () => {
    const routes = Object.fromEntries(spec.routes.map((r) => [r.routeKey, r.integration]));
    expect(Object.keys(routes).sort()).toEqual([
      'ANY /service1',
      'ANY /service1/{proxy+}',
      'ANY /service2',
      'ANY /service2/{proxy+}',
      'GET /',
    ]);
    expect(routes['GET /']).toEqual({
      type: 'AWS_PROXY',
      functionLogicalId: 'HandlerLambdaFunction',
      payloadFormatVersion: '2.0',
      timeoutMs: 30000,
    });
    expect(routes['ANY /service1/{proxy+}']).toEqual({
      type: 'HTTP_PROXY',
      uri: 'https://service1.example.com/{proxy}',
      method: 'ANY',
      timeoutMs: 30000,
    });
  });

  it('reads the function as deployed in the Region, intrinsics resolved there', () => {
    const fn = spec.functions.get('HandlerLambdaFunction')!;
    expect(fn).toMatchObject({
      functionName: 'external-api-local-handler',
      handler: 'src/handler.handler',
      runtime: 'nodejs22.x',
      memoryMb: 128,
      codeFile: 'external-api.zip',
    });
    expect(fn.environment).toEqual({
      STAGE: 'local',
      TABLE_ARN: 'arn:aws:dynamodb:us-west-2:111122223333:table/orders',
      SELF: 'external-api-local-handler',
    });
  });

  const withResource = (id: string, resource: unknown) => ({
    Resources: { ...fixture.Resources, [id]: resource },
  });

  it('names the resource and property it cannot run', () => {
    const template = withResource('HttpApiIntegrationHandler', {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: { ...fixture.Resources.HttpApiIntegrationHandler.Properties, PayloadFormatVersion: '1.0' },
    });
    expect(() => readHttpApi(template, stack)).toThrow(
      new TemplateError(
        'Resources.HttpApiIntegrationHandler.Properties.PayloadFormatVersion: the sandbox runs payload format 2.0 only, not 1.0',
      ),
    );
  });

  it('refuses a route whose target is not an integration of the template', () => {
    const template = withResource('Broken', {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: { RouteKey: 'GET /x', Target: { 'Fn::Join': ['/', ['integrations', { Ref: 'Missing' }]] } },
    });
    expect(() => readHttpApi(template, stack)).toThrow(
      'Resources.Broken: its Target Missing is not an AWS::ApiGatewayV2::Integration',
    );
  });

  it('refuses a template without an HTTP API', () => {
    expect(() => readHttpApi({ Resources: {} }, stack)).toThrow(
      'expected one HTTP API (AWS::ApiGatewayV2::Api), found 0',
    );
  });
});
