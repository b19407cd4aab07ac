import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
  type Output,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { GetHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import {
  ListClustersCommand,
  Route53RecoveryControlConfigClient,
} from '@aws-sdk/client-route53-recovery-control-config';
import { mockClient } from 'aws-sdk-client-mock';
import { outputKeys } from '../../src/naming';
import TopologyPlugin, { PREFLIGHT_CHECKED_ENV } from '../../src/serverless/plugin';
import type { CloudFormationTemplate } from '../../src/serverless/types';
import { findService, loadTopology } from '../../src/topology';
import {
  arcResources,
  arcStackOutputs,
  fakeServerless,
  pluginUtils,
  ServerlessError,
} from '@arc-failover/testing';

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

const topology = loadTopology('prod');
const service1 = findService(topology, 'service1');
/** The health check of service1 in us-west-2 that the ARC stack fixture outputs. */
const HEALTH_CHECK = arcResources(service1).regions['us-west-2']!.healthCheckId;

const arcStack = (
  outputs: Output[] = arcStackOutputs(topology),
  status: StackStatus = 'UPDATE_COMPLETE',
) => ({
  Stacks: [
    {
      StackName: 'arc-failover-arc-prod',
      StackStatus: status,
      CreationTime: new Date(),
      Outputs: outputs,
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
    cloudFormation.on(DescribeStacksCommand, { StackName: 'arc-failover-arc-prod' }).resolves(arcStack());
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
        HealthCheckId: HEALTH_CHECK,
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
      `SECONDARY failover record service1.example.com -> d-3f4k2l9x1a.execute-api.us-west-2.amazonaws.com (health check ${HEALTH_CHECK})`,
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
      'the ARC stack lacks the API (deployed from an older topology)',
      () =>
        cloudFormation
          .on(DescribeStacksCommand)
          .resolves(
            arcStack(arcStackOutputs(topology).filter((o) => o.OutputKey !== outputKeys.api(service1))),
          ),
      'the ARC stack arc-failover-arc-prod (UPDATE_COMPLETE): output ApiService1 is missing: deploy it from the current topology first (npm run deploy -w arc -- --stage prod)',
    ],
    [
      "the ARC stack's output names other Regions (deployed from an older topology)",
      () =>
        cloudFormation
          .on(DescribeStacksCommand)
          .resolves(
            arcStack(
              arcStackOutputs(topology).map((o) =>
                o.OutputKey === outputKeys.api(service1)
                  ? { ...o, OutputValue: o.OutputValue!.replace('|us-west-2|', '|eu-west-1|') }
                  : o,
              ),
            ),
          ),
      "the ARC stack arc-failover-arc-prod (UPDATE_COMPLETE): output ApiService1 is not this topology's service1: Region 2 is eu-west-1, the topology says us-west-2: deploy it from the current topology first (npm run deploy -w arc -- --stage prod)",
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

describe('the ARC stack state the failover record trusts', () => {
  const deployArc = 'npm run deploy -w arc -- --stage prod';
  it.each([
    ['CREATE_COMPLETE'],
    ['UPDATE_COMPLETE'],
    ['UPDATE_ROLLBACK_COMPLETE'],
    ['IMPORT_COMPLETE'],
    ['IMPORT_ROLLBACK_COMPLETE'],
  ] as [StackStatus][])('reads the health check of a stack in %s', async (status) => {
    cloudFormation.on(DescribeStacksCommand).resolves(arcStack(undefined, status));
    const { instance, template } = plugin('service1', 'us-west-2');
    await deploy(instance);
    expect(template.Resources.FailoverAliasRecord!.Properties!.HealthCheckId).toBe(HEALTH_CHECK);
  });

  it.each([
    ['UPDATE_IN_PROGRESS', 'an operation on it is under way: wait until it ends'],
    ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'an operation on it is under way: wait until it ends'],
    ['UPDATE_ROLLBACK_IN_PROGRESS', 'an operation on it is under way: wait until it ends'],
    ['CREATE_IN_PROGRESS', 'an operation on it is under way: wait until it ends'],
    ['REVIEW_IN_PROGRESS', 'an operation on it is under way: wait until it ends'],
    [
      'UPDATE_FAILED',
      `its last operation failed: read its events, fix the cause and deploy it again (${deployArc})`,
    ],
    [
      'UPDATE_ROLLBACK_FAILED',
      'finish its rollback (aws cloudformation continue-update-rollback --stack-name arc-failover-arc-prod --region us-west-2)',
    ],
    [
      'ROLLBACK_COMPLETE',
      `its first deploy failed: read its events, delete it and deploy it again (${deployArc})`,
    ],
    [
      'ROLLBACK_FAILED',
      `its first deploy failed: read its events, delete it and deploy it again (${deployArc})`,
    ],
    ['DELETE_IN_PROGRESS', `it is being deleted or is deleted: deploy it again (${deployArc})`],
    ['DELETE_FAILED', 'deleting it failed: read its events and finish deleting it'],
  ] as [StackStatus, string][])(
    'refuses a stack in %s in one line, adding no record',
    async (status, fix) => {
      cloudFormation.on(DescribeStacksCommand).resolves(arcStack(undefined, status));
      const { instance, template } = plugin('service1', 'us-west-2');
      expect(await deployFailure(instance)).toBe(
        `the ARC stack arc-failover-arc-prod is ${status}: ${fix}; then deploy service1 again`,
      );
      expect(template.Resources.FailoverAliasRecord).toBeUndefined();
    },
  );
});

describe('the domain target the failover record points at', () => {
  const withTarget = (dnsName: string, hostedZoneId: string) => {
    const template = compiledTemplate();
    template.Outputs!.DistributionDomainNameHttp = { Value: dnsName };
    template.Outputs!.HostedZoneIdHttp = { Value: hostedZoneId };
    return template;
  };
  const fix =
    'check that service1.example.com is a REGIONAL custom domain in API Gateway us-west-2 (aws apigatewayv2 get-domain-name --domain-name service1.example.com --region us-west-2) with customDomain endpointType regional and apiType http, then deploy again';

  it.each([
    [
      'the custom domain itself',
      'service1.example.com',
      'Z2OJLYMUO9EFXC',
      `the custom domain's target is service1.example.com, the custom domain itself (the alias record would point at itself): ${fix}`,
    ],
    [
      "another Region's API Gateway name",
      'd-3f4k2l9x1a.execute-api.us-east-1.amazonaws.com',
      'Z1UJRXOUMOOFQ8',
      `the custom domain's target d-3f4k2l9x1a.execute-api.us-east-1.amazonaws.com is not a Regional API Gateway name in us-west-2 (d-<id>.execute-api.us-west-2.amazonaws.com): ${fix}`,
    ],
    [
      'a CloudFront distribution name',
      'd111111abcdef8.cloudfront.net',
      'Z2FDTNDATAQYW2',
      `the custom domain's target d111111abcdef8.cloudfront.net is not a Regional API Gateway name in us-west-2 (d-<id>.execute-api.us-west-2.amazonaws.com): ${fix}`,
    ],
    [
      'the CloudFront zone',
      'd-3f4k2l9x1a.execute-api.us-west-2.amazonaws.com',
      'Z2FDTNDATAQYW2',
      `the custom domain's target hosted zone is Z2FDTNDATAQYW2, the CloudFront zone of edge-optimized endpoints, not Z2OJLYMUO9EFXC (API Gateway Regional, us-west-2): ${fix}`,
    ],
    [
      "another Region's API Gateway zone",
      'd-3f4k2l9x1a.execute-api.us-west-2.amazonaws.com',
      'Z1UJRXOUMOOFQ8',
      `the custom domain's target hosted zone is Z1UJRXOUMOOFQ8, not Z2OJLYMUO9EFXC (API Gateway Regional, us-west-2): ${fix}`,
    ],
  ])('refuses %s in one line, before reading the ARC stack', async (_case, dnsName, zone, message) => {
    const { instance, template } = plugin('service1', 'us-west-2', withTarget(dnsName, zone));
    expect(await deployFailure(instance)).toBe(message);
    expect(template.Resources.FailoverAliasRecord).toBeUndefined();
    expect(cloudFormation.calls()).toHaveLength(0);
  });

  it("accepts the primary Region's Regional target and zone", async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(arcStack());
    const template = withTarget('d-7k2m9p4q1r.execute-api.us-east-1.amazonaws.com', 'Z1UJRXOUMOOFQ8');
    const { instance } = plugin('service1', 'us-east-1', template);
    await deploy(instance);
    expect(template.Resources.FailoverAliasRecord!.Properties!.AliasTarget).toEqual({
      DNSName: 'd-7k2m9p4q1r.execute-api.us-east-1.amazonaws.com',
      HostedZoneId: 'Z1UJRXOUMOOFQ8',
      EvaluateTargetHealth: false,
    });
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
