import { pascal } from '../naming';
import type { Service } from '../topology';
import type { StackContext } from './stack';
import type { CloudFormationResource, StackResources } from './types';

/** The HTTP API osls creates for `httpApi` events. */
const HTTP_API = { Ref: 'HttpApi' };

export const proxyLogicalIds = {
  integration: (service: Service) => `ProxyIntegration${pascal(service.name)}`,
  pathIntegration: (service: Service) => `ProxyIntegration${pascal(service.name)}Path`,
  route: (service: Service) => `ProxyRoute${pascal(service.name)}`,
  pathRoute: (service: Service) => `ProxyRoute${pascal(service.name)}Path`,
};

/**
 * The entry API's routes to the services: `ANY /<service>` and `ANY /<service>/{proxy+}` forwarded over
 * HTTPS to the service's own domain name, so Route 53 (that is, the service's routing controls) picks the
 * Region that answers, independently of the Region the entry API runs in.
 */
export function serviceProxies(context: StackContext): StackResources {
  const Resources: Record<string, CloudFormationResource> = {};
  for (const service of context.topology.services) {
    const integration = proxyLogicalIds.integration(service);
    const pathIntegration = proxyLogicalIds.pathIntegration(service);
    Resources[integration] = httpProxy(`https://${service.hostname}/`);
    Resources[pathIntegration] = httpProxy(`https://${service.hostname}/{proxy}`);
    Resources[proxyLogicalIds.route(service)] = route(`ANY /${service.name}`, integration);
    Resources[proxyLogicalIds.pathRoute(service)] = route(`ANY /${service.name}/{proxy+}`, pathIntegration);
  }
  return { Resources };
}

function httpProxy(uri: string): CloudFormationResource {
  return {
    Type: 'AWS::ApiGatewayV2::Integration',
    Properties: {
      ApiId: HTTP_API,
      IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'ANY',
      IntegrationUri: uri,
      PayloadFormatVersion: '1.0',
    },
  };
}

function route(routeKey: string, integration: string): CloudFormationResource {
  return {
    Type: 'AWS::ApiGatewayV2::Route',
    Properties: {
      ApiId: HTTP_API,
      RouteKey: routeKey,
      Target: { 'Fn::Join': ['/', ['integrations', { Ref: integration }]] },
    },
  };
}
