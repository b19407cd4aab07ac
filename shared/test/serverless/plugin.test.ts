import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { GetHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import {
  ListClustersCommand,
  Route53RecoveryControlConfigClient,
} from '@aws-sdk/client-route53-recovery-control-config';
import { mockClient } from 'aws-sdk-client-mock';
import TopologyPlugin, { PREFLIGHT_CHECKED_ENV } from '../../src/serverless/plugin';
import type { CloudFormationTemplate } from '../../src/serverless/types';
import { fakeServerless, pluginUtils, ServerlessError } from '@arc-failover/testing';

const cloudFormation = mockClient(CloudFormationClient);
const acm = mockClient(ACMClient);
const route53 = mockClient(Route53Client);
// The control-config client is pinned to 3.332.0, whose types predate the mock's; the runtime is the same.
const controlConfig = mockClient(
  Route53RecoveryControlConfigClient as unknown as typeof CloudFormationClient,
);
afterEach(() => [cloudFormation, acm, route53, controlConfig].forEach((mock) => mock.reset()));

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

  it('lets a deploy with credentials go on once its preflight finds nothing in the way', async () => {
    readyToDeploy();
    await expect(
      starting(
        ['deploy'],
        jest.fn(async () => ({ accessKeyId: 'AKID' })),
      ),
    ).resolves.toBeUndefined();
    expect(route53.commandCalls(GetHostedZoneCommand)).toHaveLength(1);
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

/** Everything the prod stage's service1 in us-west-2 needs: zone, certificate by name, no stack yet. */
function readyToDeploy() {
  route53.on(GetHostedZoneCommand).resolves({
    HostedZone: { Id: '/hostedzone/Z0123456789EXAMPLE0AB', Name: 'example.com.', CallerReference: 'x' },
    DelegationSet: { NameServers: [] },
  });
  const certificate = 'arn:aws:acm:us-west-2:123456789012:certificate/abc';
  acm
    .on(ListCertificatesCommand)
    .resolves({ CertificateSummaryList: [{ CertificateArn: certificate, DomainName: '*.example.com' }] });
  acm.on(DescribeCertificateCommand).resolves({
    Certificate: {
      CertificateArn: certificate,
      DomainName: '*.example.com',
      SubjectAlternativeNames: ['*.example.com', 'example.com'],
      Status: 'ISSUED',
      NotAfter: new Date(Date.now() + 90 * 86_400_000),
    },
  });
  cloudFormation.on(DescribeStacksCommand).rejects(
    new CloudFormationServiceException({
      name: 'ValidationError',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'Stack with id arc-failover-service1-prod does not exist',
    }),
  );
}

describe('the deploy preflight when osls starts a deploy', () => {
  function starting(service: string, region: string, commands = ['deploy']) {
    const serverless = fakeServerless({ service, stage: 'prod', region, commands });
    const instance = new TopologyPlugin(serverless, {}, pluginUtils());
    return (instance.hooks.initialize as () => Promise<void>)();
  }
  afterEach(() => delete process.env[PREFLIGHT_CHECKED_ENV]);

  it('stops sls deploy before anything changes, one line per problem', async () => {
    readyToDeploy();
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'arc-failover-service1-prod',
          StackStatus: 'ROLLBACK_COMPLETE',
          CreationTime: new Date(),
        },
      ],
    });
    const error = await starting('service1', 'us-west-2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerlessError);
    expect((error as ServerlessError).message).toBe(
      'stack arc-failover-service1-prod in us-west-2 is ROLLBACK_COMPLETE: its creation failed and rolled back, and CloudFormation cannot update such a stack: delete it (aws cloudformation delete-stack --stack-name arc-failover-service1-prod --region us-west-2) and deploy again',
    );
    const [call] = cloudFormation.commandCalls(DescribeStacksCommand);
    expect(await call!.thisValue.config.region()).toBe('us-west-2');
  });

  it('checks the ARC stack for its cluster, not for a zone or certificate', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [] });
    cloudFormation.rejects(
      Object.assign(new Error('Stack with id arc does not exist'), { name: 'ValidationError' }),
    );
    controlConfig.on(ListClustersCommand as never).resolves({
      Clusters: [{ ClusterArn: 'arn:1' }, { ClusterArn: 'arn:2' }],
    } as never);
    await expect(starting('arc', 'us-west-2')).rejects.toThrow(/^the account already has 2 ARC clusters/);
    expect(route53.calls()).toHaveLength(0);
    expect(acm.calls()).toHaveLength(0);
  });

  it('is left to arc-failover-stack deploy when that started the run, and never runs for deploy function', async () => {
    process.env[PREFLIGHT_CHECKED_ENV] = '1';
    await expect(starting('service1', 'us-west-2')).resolves.toBeUndefined();
    delete process.env[PREFLIGHT_CHECKED_ENV];
    await expect(starting('service1', 'us-west-2', ['deploy', 'function'])).resolves.toBeUndefined();
    expect([...route53.calls(), ...acm.calls(), ...cloudFormation.calls()]).toHaveLength(0);
  });
});
