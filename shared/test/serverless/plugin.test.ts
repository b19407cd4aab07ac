import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import TopologyPlugin from '../../src/serverless/plugin';
import type { CloudFormationTemplate } from '../../src/serverless/types';
import { fakeServerless, pluginUtils, ServerlessError } from '@arc-failover/testing';

const cloudFormation = mockClient(CloudFormationClient);
afterEach(() => cloudFormation.reset());

/** A compiled template as serverless-domain-manager leaves it in before:deploy:deploy. */
const compiledTemplate = (): CloudFormationTemplate => ({
  Resources: {
    HttpApi: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'prod-service1', ProtocolType: 'HTTP' } },
  },
  Outputs: {
    DomainNameHttp: { Value: 'service1.example.com' },
    DistributionDomainNameHttp: { Value: 'd-3f4k2l9x1a.execute-api.us-west-2.amazonaws.com' },
    HostedZoneIdHttp: { Value: 'Z2OJLYMUO9EFXC' },
  },
});

const arcStack = (outputs: Record<string, string>) => ({
  Stacks: [
    {
      StackName: 'arc-failover-arc-prod',
      StackStatus: 'UPDATE_COMPLETE' as const,
      CreationTime: new Date(),
      Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    },
  ],
});

function plugin(service: string, region: string, template = compiledTemplate(), stage = 'prod') {
  const utils = pluginUtils();
  const serverless = fakeServerless({ service, stage, region, template });
  return { instance: new TopologyPlugin(serverless, {}, utils), template, utils };
}

async function deploy(instance: TopologyPlugin): Promise<void> {
  await (instance.hooks['before:deploy:deploy'] as () => Promise<void>)();
}

async function deployFailure(instance: TopologyPlugin): Promise<string> {
  const error = await deploy(instance).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServerlessError);
  return (error as ServerlessError).message;
}

function failure(run: () => unknown): ServerlessError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ServerlessError);
    return error as ServerlessError;
  }
  throw new Error('expected a ServerlessError');
}

describe('${topology:...} variables', () => {
  const resolve = (instance: TopologyPlugin, address: string) =>
    instance.configurationVariablesSources.topology.resolve({ address }).value;

  it('resolve from the topology for the stage and Region osls parsed', () => {
    const { instance } = plugin('service2', 'us-east-1');
    expect(resolve(instance, 'hostname')).toBe('service2.example.com');
    expect(resolve(instance, 'stackName')).toBe('arc-failover-service2-prod');
    expect(resolve(instance, 'hostedZoneId')).toBe('Z0123456789EXAMPLE0AB');
    expect(resolve(instance, 'certificateName')).toBe('*.example.com');
    expect(resolve(instance, 'certificateArn')).toBeNull();
  });

  it('name the ARC stack from the topology', () => {
    const { instance } = plugin('arc', 'us-west-2');
    expect(resolve(instance, 'stackName')).toBe('arc-failover-arc-prod');
    expect(resolve(instance, 'hostname')).toBeNull();
  });

  it('reject an unknown address in one line listing the known ones', () => {
    const { instance } = plugin('service1', 'us-east-1');
    expect(failure(() => resolve(instance, 'domian')).message).toBe(
      'unknown variable ${topology:domian} (known: stackName, hostedZoneId, hostname, certificateName, certificateArn, resources)',
    );
  });
});

describe('a stack the topology does not describe', () => {
  it.each([
    [
      'an unknown stage',
      'service1',
      'us-east-1',
      'dev',
      'topology.json: stages.dev: unknown stage (known: local, prod)',
    ],
    [
      'a Region the API does not run in',
      'service1',
      'eu-west-1',
      'prod',
      'service1 does not run in eu-west-1 (its Regions: us-east-1 primary, us-west-2 secondary)',
    ],
    [
      'the ARC stack outside us-west-2',
      'arc',
      'us-east-1',
      'prod',
      'the ARC stack runs in us-west-2 only (the ARC control-plane Region), not us-east-1: drop --region',
    ],
    [
      'a package whose API is not in the topology',
      'service3',
      'us-east-1',
      'prod',
      'unknown service "service3" (known: external-api, service1, service2)',
    ],
  ])('fails in one line: %s', (_case, service, region, stage, message) => {
    expect(failure(() => plugin(service, region, undefined, stage)).message).toBe(message);
  });
});

describe('the failover record added at deploy time', () => {
  it("adds the API's record with the health check of its Region, read from the ARC stack in us-west-2", async () => {
    cloudFormation
      .on(DescribeStacksCommand, { StackName: 'arc-failover-arc-prod' })
      .resolves(arcStack({ HealthCheckIdService1UsWest2: '5b2c7a1e-0d4f-4a8e-9c1b-2f6e8d3a7b90' }));
    const { instance, template, utils } = plugin('service1', 'us-west-2');

    await deploy(instance);

    expect(template.Resources.FailoverAliasRecord).toEqual({
      Type: 'AWS::Route53::RecordSet',
      Properties: {
        HostedZoneId: 'Z0123456789EXAMPLE0AB',
        Name: 'service1.example.com',
        Type: 'A',
        SetIdentifier: 'service1-us-west-2',
        Failover: 'SECONDARY',
        HealthCheckId: '5b2c7a1e-0d4f-4a8e-9c1b-2f6e8d3a7b90',
        AliasTarget: {
          DNSName: 'd-3f4k2l9x1a.execute-api.us-west-2.amazonaws.com',
          HostedZoneId: 'Z2OJLYMUO9EFXC',
          EvaluateTargetHealth: false,
        },
      },
    });
    const [call] = cloudFormation.commandCalls(DescribeStacksCommand);
    expect(await call!.thisValue.config.region()).toBe('us-west-2');
    expect(utils.lines).toContain(
      'SECONDARY failover record service1.example.com -> d-3f4k2l9x1a.execute-api.us-west-2.amazonaws.com (health check 5b2c7a1e-0d4f-4a8e-9c1b-2f6e8d3a7b90)',
    );
  });

  it('adds nothing to the ARC stack and asks AWS nothing', async () => {
    const template: CloudFormationTemplate = { Resources: {} };
    const { instance } = plugin('arc', 'us-west-2', template);
    await deploy(instance);
    expect(template.Resources).toEqual({});
    expect(cloudFormation.calls()).toHaveLength(0);
  });

  const notFound = new CloudFormationServiceException({
    name: 'ValidationError',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'Stack with id arc-failover-arc-prod does not exist',
  });
  const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
    name: 'CredentialsProviderError',
  });

  it.each([
    [
      'the ARC stack is not deployed',
      () => cloudFormation.on(DescribeStacksCommand).rejects(notFound),
      'the ARC stack arc-failover-arc-prod does not exist in us-west-2: deploy it first (npm run deploy -w arc -- --stage prod)',
    ],
    [
      'the ARC stack lacks the health check (deployed from an older topology)',
      () =>
        cloudFormation.on(DescribeStacksCommand).resolves(arcStack({ HealthCheckIdService1UsEast1: 'x' })),
      'the ARC stack arc-failover-arc-prod (UPDATE_COMPLETE) has no output HealthCheckIdService1UsWest2: deploy it from the current topology first (npm run deploy -w arc -- --stage prod)',
    ],
    [
      'no AWS credentials',
      () => cloudFormation.on(DescribeStacksCommand).rejects(noCredentials),
      'no AWS credentials to read the ARC stack arc-failover-arc-prod: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass --aws-profile',
    ],
  ])('fails in one line, adding nothing, when %s', async (_case, arrange, message) => {
    arrange();
    const { instance, template } = plugin('service1', 'us-west-2');
    expect(await deployFailure(instance)).toBe(message);
    expect(template.Resources.FailoverAliasRecord).toBeUndefined();
  });

  it('fails in one line when serverless-domain-manager has not added the domain target', async () => {
    const template = compiledTemplate();
    delete template.Outputs!.DistributionDomainNameHttp;
    const { instance } = plugin('service1', 'us-west-2', template);
    expect(await deployFailure(instance)).toBe(
      'the compiled template has no DistributionDomainNameHttp output: list serverless-domain-manager (customDomain.apiType http) before @arc-failover/shared/serverless-plugin in plugins',
    );
    expect(cloudFormation.calls()).toHaveLength(0);
  });
});

describe('the credentials check when osls starts a command', () => {
  /** osls's credential provider finding nothing: a ServerlessError coded AWS_CREDENTIALS_NOT_FOUND. */
  const oslsFindsNone = jest.fn(() =>
    Promise.reject(new ServerlessError('AWS provider credentials not found.', 'AWS_CREDENTIALS_NOT_FOUND')),
  );
  afterEach(() => oslsFindsNone.mockClear());

  function starting(commands: string[], credentials: () => Promise<unknown> = oslsFindsNone) {
    const serverless = fakeServerless({
      service: 'service1',
      stage: 'prod',
      region: 'us-west-2',
      commands,
      credentials,
    });
    const instance = new TopologyPlugin(serverless, {}, pluginUtils());
    return (instance.hooks.initialize as () => Promise<void>)();
  }

  it.each([
    [['deploy'], 'deploy'],
    [['deploy', 'function'], 'deploy'],
    [['remove'], 'remove'],
  ])('stops %j in one line saying how to provide them', async (commands, verb) => {
    const error = await starting(commands).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerlessError);
    expect((error as ServerlessError).message).toBe(
      `no AWS credentials to ${verb} service1 (stage prod, us-west-2): set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass --aws-profile`,
    );
  });

  it('lets a deploy with credentials go on', async () => {
    await expect(
      starting(
        ['deploy'],
        jest.fn(async () => ({ accessKeyId: 'AKID' })),
      ),
    ).resolves.toBeUndefined();
  });

  it('passes any other credential failure on as osls reported it (e.g. an unknown profile)', async () => {
    const unknownProfile = new ServerlessError('AWS profile "prod" doesn\'t seem to be configured', 'X');
    await expect(
      starting(
        ['deploy'],
        jest.fn(() => Promise.reject(unknownProfile)),
      ),
    ).rejects.toBe(unknownProfile);
  });

  it.each([['package'], ['print']])('asks for no credentials to %s', async (command) => {
    await expect(starting([command])).resolves.toBeUndefined();
    expect(oslsFindsNone).not.toHaveBeenCalled();
  });
});
