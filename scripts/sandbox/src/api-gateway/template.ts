import { resolveIntrinsics, resolveString, TemplateError, type StackContext } from '@arc-failover/stacks';

/** A Lambda function as a packaged template declares it. */
export interface LambdaFunctionSpec {
  logicalId: string;
  functionName: string;
  /** e.g. src/handler.handler: module path inside the code package, then the export. */
  handler: string;
  runtime: string;
  memoryMb: number;
  timeoutSeconds: number;
  environment: Record<string, string>;
  /** Base name of the code package (S3Key), found next to the template after `sls package`. */
  codeFile: string;
}

export type Integration =
  | { type: 'AWS_PROXY'; functionLogicalId: string; payloadFormatVersion: '2.0'; timeoutMs: number }
  | { type: 'HTTP_PROXY'; uri: string; method: string; timeoutMs: number };

export interface RouteSpec {
  /** As in the template: `GET /pets/{id}`, `ANY /{proxy+}`, `$default`. */
  routeKey: string;
  integration: Integration;
}

export interface HttpApiSpec {
  routes: RouteSpec[];
  functions: Map<string, LambdaFunctionSpec>;
}

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
}

/** API Gateway's limit for HTTP API integrations, and its default. */
const MAX_INTEGRATION_TIMEOUT_MS = 30_000;

/**
 * What the sandbox runs of a packaged stack: the routes of its one HTTP API (AWS::ApiGatewayV2::Route), each
 * route's integration (Lambda proxy, or HTTP proxy to a URL), and the Lambda functions they invoke. Values
 * are resolved for one Region, as CloudFormation would resolve them there.
 */
export function readHttpApi(template: unknown, stack: StackContext): HttpApiSpec {
  const resources = (template as { Resources?: Record<string, Resource> } | null)?.Resources;
  if (typeof resources !== 'object' || resources === null)
    throw new TemplateError('the template has no Resources');
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  const apis = ofType('AWS::ApiGatewayV2::Api').filter(([, r]) => r.Properties?.ProtocolType === 'HTTP');
  if (apis.length !== 1) {
    throw new TemplateError(`expected one HTTP API (AWS::ApiGatewayV2::Api), found ${apis.length}`);
  }

  const functionNames = Object.fromEntries(
    ofType('AWS::Lambda::Function').map(([id, r]) => [id, String(r.Properties?.FunctionName ?? id)]),
  );
  const context: StackContext = { ...stack, functionNames };
  const functions = new Map<string, LambdaFunctionSpec>();
  const routes = ofType('AWS::ApiGatewayV2::Route').map(([id, route]): RouteSpec => {
    const at = `Resources.${id}`;
    const routeKey = resolveString(route.Properties?.RouteKey, context, `${at}.Properties.RouteKey`);
    const integrationId = integrationOf(route.Properties?.Target, `${at}.Properties.Target`);
    const integration = resources[integrationId];
    if (integration?.Type !== 'AWS::ApiGatewayV2::Integration') {
      throw new TemplateError(`${at}: its Target ${integrationId} is not an AWS::ApiGatewayV2::Integration`);
    }
    const spec = readIntegration(integrationId, integration, context);
    if (spec.type === 'AWS_PROXY' && !functions.has(spec.functionLogicalId)) {
      const fn = resources[spec.functionLogicalId];
      if (fn?.Type !== 'AWS::Lambda::Function') {
        throw new TemplateError(
          `Resources.${integrationId}: its IntegrationUri ${spec.functionLogicalId} is not an AWS::Lambda::Function`,
        );
      }
      functions.set(spec.functionLogicalId, readFunction(spec.functionLogicalId, fn, context));
    }
    return { routeKey, integration: spec };
  });
  if (routes.length === 0) throw new TemplateError('the HTTP API has no routes (AWS::ApiGatewayV2::Route)');
  return { routes, functions };
}

/** `integrations/<id>`, written as Fn::Join ['/', ['integrations', {Ref: id}]] or Fn::Sub. */
function integrationOf(target: unknown, at: string): string {
  const text = resolveString(target, { region: '', accountId: '', stackName: '' }, at);
  const match = /^integrations\/([A-Za-z0-9]+)$/.exec(text);
  if (!match) throw new TemplateError(`${at}: expected integrations/<Integration logical id>, got ${text}`);
  return match[1]!;
}

function readIntegration(id: string, resource: Resource, stack: StackContext): Integration {
  const at = `Resources.${id}.Properties`;
  const p = resource.Properties ?? {};
  const type = resolveString(p.IntegrationType, stack, `${at}.IntegrationType`);
  const timeoutMs = Number(resolveIntrinsics(p.TimeoutInMillis, stack) ?? MAX_INTEGRATION_TIMEOUT_MS);
  if (type === 'AWS_PROXY') {
    const version = resolveString(p.PayloadFormatVersion ?? '2.0', stack, `${at}.PayloadFormatVersion`);
    if (version !== '2.0') {
      throw new TemplateError(
        `${at}.PayloadFormatVersion: the sandbox runs payload format 2.0 only, not ${version}`,
      );
    }
    return {
      type,
      functionLogicalId: functionOf(p.IntegrationUri, `${at}.IntegrationUri`),
      payloadFormatVersion: version,
      timeoutMs,
    };
  }
  if (type === 'HTTP_PROXY') {
    return {
      type,
      uri: resolveString(p.IntegrationUri, stack, `${at}.IntegrationUri`),
      method: resolveString(p.IntegrationMethod ?? 'ANY', stack, `${at}.IntegrationMethod`),
      timeoutMs,
    };
  }
  throw new TemplateError(
    `${at}.IntegrationType: the sandbox runs AWS_PROXY and HTTP_PROXY integrations, not ${type}`,
  );
}

/** The function behind a Lambda integration: Fn::GetAtt [fn, Arn], possibly joined with an alias. */
function functionOf(uri: unknown, at: string): string {
  const found = JSON.stringify(uri ?? null).match(/"Fn::GetAtt":\s*\[\s*"([A-Za-z0-9]+)"\s*,\s*"Arn"\s*\]/);
  if (!found) throw new TemplateError(`${at}: expected Fn::GetAtt [<function>, Arn]`);
  return found[1]!;
}

function readFunction(id: string, resource: Resource, stack: StackContext): LambdaFunctionSpec {
  const at = `Resources.${id}.Properties`;
  const p = resource.Properties ?? {};
  const code = p.Code as { S3Key?: unknown } | undefined;
  const key = code?.S3Key === undefined ? undefined : resolveString(code.S3Key, stack, `${at}.Code.S3Key`);
  if (!key) throw new TemplateError(`${at}.Code.S3Key: missing (the sandbox runs packaged code only)`);
  const variables = (p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  return {
    logicalId: id,
    functionName: stack.functionNames?.[id] ?? id,
    handler: resolveString(p.Handler, stack, `${at}.Handler`),
    runtime: resolveString(p.Runtime ?? 'nodejs22.x', stack, `${at}.Runtime`),
    memoryMb: Number(resolveIntrinsics(p.MemorySize, stack) ?? 128),
    timeoutSeconds: Number(resolveIntrinsics(p.Timeout, stack) ?? 3),
    environment: Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [
        name,
        resolveString(value, stack, `${at}.Environment.Variables.${name}`),
      ]),
    ),
    codeFile: key.split('/').pop()!,
  };
}
