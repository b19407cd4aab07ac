import { defaultRegionOf } from './stack';

/**
 * The osls config of one API of the topology (service name = API name): one Lambda answering `GET /` on an
 * HTTP API, bundled by serverless-esbuild, behind a Regional custom domain from serverless-domain-manager.
 * Stage-dependent values are `${topology:...}` variables, resolved by the project's plugin for the stage
 * and Region osls parsed; the failover record is added by that plugin at deploy time.
 */
export function apiConfig(api: string, more: { resources?: unknown } = {}) {
  const region = defaultRegionOf(api);
  return {
    service: api,
    frameworkVersion: '3 || 4',
    configValidationMode: 'error',
    // Order matters: the project's plugin reads what serverless-domain-manager adds before it.
    plugins: ['serverless-esbuild', 'serverless-domain-manager', '@arc-failover/shared/serverless-plugin'],
    provider: {
      name: 'aws',
      ...(region && { region: `\${opt:region, '${region}'}` }),
      stackName: '${topology:stackName}',
      runtime: 'nodejs22.x',
      architecture: 'arm64',
      memorySize: 128,
      timeout: 10,
      logRetentionInDays: 30,
    },
    package: { individually: false },
    functions: {
      handler: {
        handler: 'src/handler.handler',
        events: [{ httpApi: { method: 'GET', path: '/' } }],
      },
    },
    custom: {
      esbuild: {
        bundle: true,
        minify: true,
        sourcemap: false,
        target: 'node22',
        platform: 'node',
        // The Lambda runtime ships the AWS SDK v3; a handler must never carry its own copy.
        exclude: ['@aws-sdk/*'],
      },
      customDomain: {
        domainName: '${topology:hostname}',
        certificateName: '${topology:certificateName, null}',
        certificateArn: '${topology:certificateArn, null}',
        apiType: 'http',
        endpointType: 'regional',
        securityPolicy: 'tls_1_2',
        basePath: '',
        autoDomain: true,
        // The failover alias record is the stack's own; a simple record from the plugin would fight it.
        createRoute53Record: false,
      },
    },
    ...more,
  };
}
