import type { IncomingHttpHeaders } from 'node:http';
import { endToEndHeaders, UpstreamError, type DnsHttpClient } from '../route53/dns-http-client';
import { fromResultV2, toEventV2, type HttpResponse, type ReceivedRequest } from './lambda-event';
import type { LambdaFunction } from './lambda-runtime';
import { compileRoutes, matchRoute, type CompiledRoute } from './routes';
import type { HttpApiSpec, Integration, RouteSpec } from './template';

export interface HttpApiOptions {
  spec: HttpApiSpec;
  /** The running functions, by the logical id the integrations name. */
  functions: Map<string, LambdaFunction>;
  /** How HTTP_PROXY integrations reach their URLs. */
  upstream: DnsHttpClient;
  apiId: string;
  accountId: string;
  log: (line: string) => void;
}

const json = (statusCode: number, message: string): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify({ message })),
});

/** API Gateway's own answers, byte for byte what an HTTP API sends. */
export const gatewayResponses = {
  notFound: () => json(404, 'Not Found'),
  // Not JSON: API Gateway's front end refuses a body over 10 MiB before the API, in plain text, as observed
  // (413, "content-type: text; charset=utf-8", 44 bytes) in koki-develop/lgtm-generator#10 and
  // chroma-core/chroma#1458 (an API behind API Gateway and a VPC link).
  tooLarge: (): HttpResponse => ({
    statusCode: 413,
    headers: { 'content-type': 'text; charset=utf-8' },
    body: Buffer.from('HTTP content length exceeded 10485760 bytes.'),
  }),
  internalError: () => json(500, 'Internal Server Error'),
  unavailable: () => json(503, 'Service Unavailable'),
};

/**
 * One HTTP API as API Gateway runs it: picks the route, then invokes the route's Lambda function with a
 * payload format 2.0 event, or forwards the request to the route's HTTP_PROXY URL.
 */
export class HttpApi {
  private readonly routes: CompiledRoute<RouteSpec>[];

  constructor(private readonly options: HttpApiOptions) {
    this.routes = compileRoutes(options.spec.routes);
  }

  async handle(request: ReceivedRequest & { host: string }): Promise<HttpResponse> {
    const match = matchRoute(this.routes, request.method, request.rawPath);
    const response = match
      ? await this.integrate(match.route.integration, request, match.route.routeKey, match.pathParameters)
      : gatewayResponses.notFound();
    response.headers['apigw-requestid'] = request.requestId;
    return response;
  }

  private integrate(
    integration: Integration,
    request: ReceivedRequest & { host: string },
    routeKey: string,
    pathParameters: Record<string, string>,
  ): Promise<HttpResponse> {
    return integration.type === 'AWS_PROXY'
      ? this.invokeLambda(integration.functionLogicalId, request, routeKey, pathParameters)
      : this.forward(integration, request, routeKey, pathParameters);
  }

  private async invokeLambda(
    functionLogicalId: string,
    request: ReceivedRequest & { host: string },
    routeKey: string,
    pathParameters: Record<string, string>,
  ): Promise<HttpResponse> {
    const fn = this.options.functions.get(functionLogicalId)!;
    const event = toEventV2(
      request,
      { routeKey, pathParameters },
      {
        apiId: this.options.apiId,
        accountId: this.options.accountId,
        domainName: request.host,
      },
    );
    try {
      return fromResultV2(await fn.invoke(event));
    } catch (error) {
      this.options.log(`${routeKey}: ${(error as Error).message}`);
      return gatewayResponses.internalError();
    }
  }

  private async forward(
    integration: Extract<Integration, { type: 'HTTP_PROXY' }>,
    request: ReceivedRequest & { host: string },
    routeKey: string,
    pathParameters: Record<string, string>,
  ): Promise<HttpResponse> {
    const target = integrationUrl(integration.uri, routeKey, pathParameters, request.rawPath);
    const query = request.rawQueryString ? `?${request.rawQueryString}` : '';
    try {
      const response = await this.options.upstream.request({
        method: integration.method === 'ANY' ? request.method : integration.method,
        hostname: target.hostname,
        path: `${target.pathname}${query}`,
        headers: forwardedHeaders(request.headers, request.sourceIp),
        body: request.body,
        timeoutMs: integration.timeoutMs,
      });
      return {
        statusCode: response.statusCode,
        headers: endToEndHeaders(response.headers) as Record<string, string | string[]>,
        body: response.body,
      };
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      this.options.log(`${routeKey} -> ${target.hostname}: ${error.message}`);
      return gatewayResponses.unavailable();
    }
  }
}

/**
 * The URL an HTTP_PROXY integration calls: path variables substituted into the IntegrationUri; for the
 * $default route, the request path appended, as API Gateway does.
 */
export function integrationUrl(
  uri: string,
  routeKey: string,
  pathParameters: Record<string, string>,
  rawPath: string,
): URL {
  const substituted = uri.replace(/\{([A-Za-z0-9_.-]+)\+?\}/g, (_, name: string) =>
    (pathParameters[name] ?? '').split('/').map(encodeURIComponent).join('/'),
  );
  const url = new URL(substituted);
  if (routeKey === '$default') url.pathname = `${url.pathname.replace(/\/$/, '')}${rawPath}`;
  return url;
}

function forwardedHeaders(headers: IncomingHttpHeaders, sourceIp: string): IncomingHttpHeaders {
  const kept = endToEndHeaders(headers) as IncomingHttpHeaders;
  delete kept.host;
  kept['x-forwarded-for'] = kept['x-forwarded-for'] ? `${kept['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  return kept;
}
