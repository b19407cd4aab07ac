import {
  ApiGatewayV2Client,
  GetDomainNameCommand,
  type GetDomainNameCommandOutput,
} from '@aws-sdk/client-apigatewayv2';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { TopologyPlugin, type CloudFormationTemplate } from '@arc-failover/shared/serverless';
import { fakeServerless, pluginUtils } from '@arc-failover/testing';
import type { PackagedStackFiles } from './packaged-stacks';

// serverless-domain-manager ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const DomainManager = require('serverless-domain-manager') as new (...args: unknown[]) => Plugin;

interface Plugin {
  hooks: Record<string, () => Promise<void>>;
}

/** What API Gateway answers GetDomainName for a Regional custom domain of an HTTP API. */
export interface RegionalDomain {
  apiGatewayDomainName: string;
  hostedZoneId: string;
}

export interface DeployTimeResult {
  template: CloudFormationTemplate;
  /** The stacks the plugins read, and in which Region. */
  stacksRead: { stackName: string | undefined; region: string }[];
  log: string[];
}

/**
 * The `before:deploy:deploy` step of a real deploy of a packaged API stack: serverless-domain-manager and
 * the project's plugin, constructed as osls would (in the order of the packaged config's `plugins`), run
 * on a copy of the packaged template. AWS is mocked: API Gateway answers with `domain`, CloudFormation
 * with the ARC stack's `arcOutputs`.
 */
export async function runBeforeDeploy(
  packaged: PackagedStackFiles,
  {
    stage,
    domain,
    arcOutputs,
  }: { stage: string; domain: RegionalDomain; arcOutputs: Record<string, string> },
): Promise<DeployTimeResult> {
  const apiGateway = mockClient(ApiGatewayV2Client);
  const cloudFormation = mockClient(CloudFormationClient);
  try {
    const { custom, service } = packaged.state.service;
    const customDomain = custom.customDomain as { domainName: string };
    apiGateway.on(GetDomainNameCommand, { DomainName: customDomain.domainName }).resolves({
      DomainName: customDomain.domainName,
      DomainNameConfigurations: [
        {
          ApiGatewayDomainName: domain.apiGatewayDomainName,
          HostedZoneId: domain.hostedZoneId,
          EndpointType: 'REGIONAL',
          SecurityPolicy: 'TLS_1_2',
          DomainNameStatus: 'AVAILABLE',
        },
      ],
    } satisfies Partial<GetDomainNameCommandOutput>);
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'arc',
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: Object.entries(arcOutputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    });

    const template = structuredClone(packaged.template);
    const serverless = fakeServerless({
      service,
      stage,
      region: packaged.region,
      template,
      custom,
      serviceDir: packaged.pkg.dir,
    });
    const utils = pluginUtils();
    const options = { stage, region: packaged.region };
    const constructors: Record<string, new (...args: unknown[]) => Plugin> = {
      'serverless-domain-manager': DomainManager,
      '@arc-failover/shared/serverless-plugin': TopologyPlugin as unknown as new (
        ...args: unknown[]
      ) => Plugin,
    };
    const plugins = packaged.state.service.plugins
      .filter((name) => constructors[name])
      .map((name) => new constructors[name]!(serverless, options, utils));
    for (const plugin of plugins) await plugin.hooks['before:deploy:deploy']?.();

    const stacksRead = await Promise.all(
      cloudFormation.commandCalls(DescribeStacksCommand).map(async (call) => ({
        stackName: call.args[0].input.StackName,
        region: await call.thisValue.config.region(),
      })),
    );
    return { template, stacksRead, log: utils.lines };
  } finally {
    apiGateway.restore();
    cloudFormation.restore();
  }
}
