import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CLUSTER_ARN_OUTPUT,
  findService,
  formatApiOutput,
  loadTopology,
  outputKeys,
} from '@arc-failover/shared';
import {
  ARC_STACK,
  type CloudFormationResource,
  type CloudFormationTemplate,
} from '@arc-failover/shared/serverless';
import { resolveIntrinsics } from '../src/intrinsics';
import { unzip } from '../src/zip';
import { arcResources, CloudFormationSchema } from '@arc-failover/testing';
import { runBeforeDeploy } from './deploy-time';
import { packageEveryStack, type PackagedStackFiles } from './packaged-stacks';

const topology = loadTopology('prod');
let root: string;
let stacks: PackagedStackFiles[];

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'arc-failover-stacks-'));
  stacks = await packageEveryStack(topology, root);
}, 180_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const stack = (name: string, region: string) =>
  stacks.find((s) => s.pkg.name === name && s.region === region)!;
const ofType = (template: CloudFormationTemplate, type: string) =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === type);
const props = (resource: CloudFormationResource | undefined) => resource?.Properties ?? {};
const refOf = (target: unknown) =>
  (target as { 'Fn::Join': [string, [string, { Ref: string }]] })['Fn::Join'][1][1].Ref;

/** Each deployment of an API as the topology means it. */
const DEPLOYMENTS = [
  ['external-api', 'us-east-1', 'PRIMARY', 'example.com'],
  ['external-api', 'us-west-2', 'SECONDARY', 'example.com'],
  ['service1', 'us-east-1', 'PRIMARY', 'service1.example.com'],
  ['service1', 'us-west-2', 'SECONDARY', 'service1.example.com'],
  ['service2', 'us-west-2', 'PRIMARY', 'service2.example.com'],
  ['service2', 'us-east-1', 'SECONDARY', 'service2.example.com'],
] as const;

/** A placeholder account id: intrinsics are resolved, as CloudFormation would, before policies are judged. */
const ACCOUNT = '123456789012';

/** An IAM policy statement of a stack, intrinsics resolved, and where it comes from. */
interface Grant {
  at: string;
  statement: Record<string, unknown>;
}

function iamStatements(s: PackagedStackFiles): Grant[] {
  const context = {
    region: s.region,
    accountId: ACCOUNT,
    stackName: String(s.state.service.provider.stackName),
  };
  return Object.entries(s.template.Resources).flatMap(([id, resource]) => {
    const documents =
      resource.Type === 'AWS::IAM::Role'
        ? ((props(resource).Policies ?? []) as { PolicyDocument: unknown }[]).map((p) => p.PolicyDocument)
        : ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy'].includes(resource.Type)
          ? [props(resource).PolicyDocument]
          : [];
    return documents.flatMap((document) => {
      const { Statement } = resolveIntrinsics(document, context, id) as { Statement: unknown };
      return [Statement].flat().map((statement) => ({
        at: `${s.pkg.name} ${s.region} ${id}`,
        statement: statement as Record<string, unknown>,
      }));
    });
  });
}

/**
 * The one wildcard allowed, osls's grant to an API stack's Lambda on its log streams:
 * `log-group:/aws/lambda/<service>-<stage>*:*` (and `*:*:*` for PutLogEvents), where
 * `/aws/lambda/<service>-<stage>` begins the log-group name of each function of the stack.
 */
function logStreamsOf(s: PackagedStackFiles) {
  const prefix = `/aws/lambda/${s.state.service.service}-${topology.stage}`;
  const arn = new RegExp(`^arn:aws:logs:${s.region}:${ACCOUNT}:log-group:${prefix}\\*:\\*(:\\*)?$`);
  return { prefix, arn };
}

/** `<one of this stack's control panels>/routingcontrol/*`: the per-panel grant that keeps 49 APIs' policies under IAM's size limit. */
const OWN_PANEL_CONTROLS = /^ControlPanel[A-Za-z0-9]+\.ControlPanelArn\/routingcontrol\/\*$/;

describe('every packaged stack', () => {
  it('is packaged for each of its Regions: arc in us-west-2, each API in both of its own', () => {
    expect(stacks.map((s) => `${s.pkg.name} ${s.region}`).sort()).toEqual(
      ['arc us-west-2', ...DEPLOYMENTS.map(([api, region]) => `${api} ${region}`)].sort(),
    );
  });

  it('passes the official CloudFormation resource schemas (create and update templates)', () => {
    const schema = CloudFormationSchema.load();
    for (const s of stacks) {
      const label = `${s.pkg.name} ${s.region}`;
      expect({ label, problems: schema.validate(s.template) }).toEqual({ label, problems: [] });
      expect({ label, problems: schema.validate(s.createTemplate) }).toEqual({ label, problems: [] });
    }
  });

  it("grants no IAM wildcard: no '*' in any action or resource but osls's '*:*' log-stream suffix on the function's own log group and the routing controls of one of the stack's own control panels", () => {
    const allows = stacks.flatMap((s) =>
      iamStatements(s)
        .filter(({ statement }) => statement.Effect === 'Allow')
        .map((grant) => ({ ...grant, logStreams: s.pkg.name === ARC_STACK ? undefined : logStreamsOf(s) })),
    );
    expect(allows.length).toBeGreaterThanOrEqual(stacks.length - 1);
    const wildcards = allows.flatMap(({ at, statement, logStreams }) =>
      [
        ...[statement.Action].flat().filter((action) => typeof action !== 'string' || action.includes('*')),
        ...[statement.Resource]
          .flat()
          .filter(
            (resource) =>
              typeof resource !== 'string' ||
              (resource.includes('*') &&
                !logStreams?.arn.test(resource) &&
                !OWN_PANEL_CONTROLS.test(resource)),
          ),
        ...(statement.NotAction || statement.NotResource ? ['NotAction/NotResource'] : []),
      ].map((wildcard) => `${at}: ${JSON.stringify(wildcard)}`),
    );
    expect(wildcards).toEqual([]);

    for (const s of stacks.filter((stack) => stack.pkg.name !== ARC_STACK)) {
      const logGroups = ofType(s.template, 'AWS::Logs::LogGroup').map(
        ([, group]) => props(group).LogGroupName,
      );
      expect(logGroups).toEqual([`${logStreamsOf(s).prefix}-handler`]);
      const onLogGroups = allows
        .filter(({ at }) => at.startsWith(`${s.pkg.name} ${s.region} `))
        .flatMap(({ statement }) => [statement.Resource].flat())
        .filter((resource) => String(resource).includes(':log-group:'));
      expect(onLogGroups.map((arn) => logStreamsOf(s).arn.test(String(arn)))).toEqual([true, true]);
    }
  });

  it('attaches no managed policy from outside the stack to any role', () => {
    const roles = stacks.flatMap((s) => ofType(s.template, 'AWS::IAM::Role'));
    expect(roles.length).toBeGreaterThanOrEqual(DEPLOYMENTS.length);
    for (const [, role] of roles) expect(props(role).ManagedPolicyArns).toBeUndefined();
  });
});

describe('an API stack', () => {
  it.each(DEPLOYMENTS)(
    '%s in %s: one arm64 nodejs22.x Lambda of 128 MB behind an HTTP API',
    (api, region) => {
      const { template, state } = stack(api, region);
      expect(state.service.provider.stackName).toBe(`arc-failover-${api}-prod`);
      expect(state.service.provider.region).toBe(region);
      const functions = ofType(template, 'AWS::Lambda::Function');
      expect(functions).toHaveLength(1);
      expect(props(functions[0]![1])).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 128,
        Handler: 'src/handler.handler',
      });
      expect(ofType(template, 'AWS::Logs::LogGroup').map(([, r]) => props(r).RetentionInDays)).toEqual([30]);
      expect(ofType(template, 'AWS::ApiGatewayV2::Api').map(([, r]) => props(r).ProtocolType)).toEqual([
        'HTTP',
      ]);

      const routes = Object.fromEntries(
        ofType(template, 'AWS::ApiGatewayV2::Route').map(([, route]) => [
          props(route).RouteKey,
          props(template.Resources[refOf(props(route).Target)]),
        ]),
      );
      expect(routes['GET /']).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [functions[0]![0], 'Arn'] },
      });
      if (api !== 'external-api') expect(Object.keys(routes)).toEqual(['GET /']);
    },
  );

  it.each(DEPLOYMENTS)(
    '%s in %s: a Regional TLS 1.2 custom domain, its DNS left to the stack',
    (api, region, _role, hostname) => {
      expect(stack(api, region).state.service.custom.customDomain).toEqual({
        domainName: hostname,
        certificateName: '*.example.com',
        certificateArn: null,
        apiType: 'http',
        endpointType: 'regional',
        securityPolicy: 'tls_1_2',
        basePath: '',
        autoDomain: true,
        createRoute53Record: false,
      });
    },
  );

  it.each(['us-east-1', 'us-west-2'])(
    'external-api in %s proxies /serviceN and /serviceN/* to the service domains',
    (region) => {
      const { template } = stack('external-api', region);
      const proxies = ofType(template, 'AWS::ApiGatewayV2::Route')
        .filter(([, route]) => props(route).RouteKey !== 'GET /')
        .map(([, route]) => {
          const integration = props(template.Resources[refOf(props(route).Target)]);
          return [
            props(route).RouteKey,
            integration.IntegrationType,
            integration.IntegrationMethod,
            integration.IntegrationUri,
          ];
        });
      expect(proxies).toEqual([
        ['ANY /service1', 'HTTP_PROXY', 'ANY', 'https://service1.example.com/'],
        ['ANY /service1/{proxy+}', 'HTTP_PROXY', 'ANY', 'https://service1.example.com/{proxy}'],
        ['ANY /service2', 'HTTP_PROXY', 'ANY', 'https://service2.example.com/'],
        ['ANY /service2/{proxy+}', 'HTTP_PROXY', 'ANY', 'https://service2.example.com/{proxy}'],
      ]);
    },
  );

  it.each(DEPLOYMENTS)(
    '%s in %s: a small bundle, no AWS SDK inside, that answers with its Region',
    (api, region) => {
      const { artifactFile, dir } = stack(api, region);
      expect(statSync(artifactFile!).size).toBeLessThan(4096);
      const files = unzip(artifactFile!, path.join(dir, 'code'));
      expect(files).toEqual(['src/handler.js']);
      const handler = path.join(dir, 'code', 'src', 'handler.js');
      expect(readFileSync(handler, 'utf8')).not.toMatch(/@aws-sdk|aws-sdk|@smithy/);

      const run = spawnSync(
        process.execPath,
        [
          '-e',
          `require(${JSON.stringify(handler)}).handler({}).then((r) => process.stdout.write(JSON.stringify(r)))`,
        ],
        { env: { AWS_REGION: region }, encoding: 'utf8' },
      );
      const reply = JSON.parse(run.stdout) as { statusCode: number; body: string };
      expect(reply.statusCode).toBe(200);
      expect(JSON.parse(reply.body)).toEqual({ service: api, region });
    },
  );
});

describe('the ARC stack', () => {
  const arc = () => stack('arc', 'us-west-2').template;
  const arnOf = (logicalId: string, attribute: string) => ({ 'Fn::GetAtt': [logicalId, attribute] });

  it('has a cluster, a control panel per API and a routing control per API and Region', () => {
    const names = (type: string) => ofType(arc(), type).map(([, r]) => props(r).Name);
    expect(names('AWS::Route53RecoveryControl::Cluster')).toEqual(['arc-failover-prod']);
    expect(names('AWS::Route53RecoveryControl::ControlPanel')).toEqual([
      'arc-failover-prod-external-api',
      'arc-failover-prod-service1',
      'arc-failover-prod-service2',
    ]);
    const controls = Object.fromEntries(
      ofType(arc(), 'AWS::Route53RecoveryControl::RoutingControl').map(([, r]) => [
        props(r).Name,
        (props(r).ControlPanelArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0],
      ]),
    );
    expect(controls).toEqual({
      'external-api-us-east-1': 'ControlPanelExternalApi',
      'external-api-us-west-2': 'ControlPanelExternalApi',
      'service1-us-east-1': 'ControlPanelService1',
      'service1-us-west-2': 'ControlPanelService1',
      'service2-us-west-2': 'ControlPanelService2',
      'service2-us-east-1': 'ControlPanelService2',
    });
  });

  it('has a RECOVERY_CONTROL health check per routing control', () => {
    const watched = ofType(arc(), 'AWS::Route53::HealthCheck').map(([, r]) => props(r).HealthCheckConfig);
    const controls = ofType(arc(), 'AWS::Route53RecoveryControl::RoutingControl').map(([id]) => id);
    expect(watched).toEqual(
      controls.map((id) => ({ Type: 'RECOVERY_CONTROL', RoutingControlArn: arnOf(id, 'RoutingControlArn') })),
    );
  });

  it('keeps at least one Region of each API On with an assertion rule', () => {
    const rules = ofType(arc(), 'AWS::Route53RecoveryControl::SafetyRule').map(([, r]) => props(r));
    const rule = (api: string, panel: string, primary: string, secondary: string) => ({
      Name: `${api}-at-least-one-on`,
      ControlPanelArn: arnOf(panel, 'ControlPanelArn'),
      RuleConfig: { Type: 'ATLEAST', Threshold: 1, Inverted: false },
      AssertionRule: {
        AssertedControls: [arnOf(primary, 'RoutingControlArn'), arnOf(secondary, 'RoutingControlArn')],
        WaitPeriodMs: 5000,
      },
    });
    expect(rules).toEqual([
      rule(
        'external-api',
        'ControlPanelExternalApi',
        'RoutingControlExternalApiUsEast1',
        'RoutingControlExternalApiUsWest2',
      ),
      rule(
        'service1',
        'ControlPanelService1',
        'RoutingControlService1UsEast1',
        'RoutingControlService1UsWest2',
      ),
      rule(
        'service2',
        'ControlPanelService2',
        'RoutingControlService2UsWest2',
        'RoutingControlService2UsEast1',
      ),
    ]);
  });

  it('creates its ARC resources one after another, never two at once in the cluster', () => {
    const controlPlane = Object.entries(arc().Resources).filter(([, r]) =>
      r.Type.startsWith('AWS::Route53RecoveryControl::'),
    );
    const [first, ...rest] = controlPlane;
    expect(first![1].DependsOn).toBeUndefined();
    rest.forEach(([, resource], i) => expect([resource.DependsOn].flat()).toEqual([controlPlane[i]![0]]));
  });

  it('outputs every ARN and health-check id, exporting none', () => {
    const { Outputs = {} } = arc();
    const expected = [
      CLUSTER_ARN_OUTPUT,
      'OperatorPolicyArn',
      'BreakGlassPolicyArn',
      ...topology.all.map((api) => outputKeys.api(api)),
    ];
    const own = Object.keys(Outputs).filter((key) => key !== 'ServerlessDeploymentBucketName');
    expect(own.sort()).toEqual(expected.sort());
    expect(own.filter((key) => Outputs[key]!.Export)).toEqual([]);
  });

  describe('IAM', () => {
    const statementsOf = (logicalId: string) =>
      (props(arc().Resources[logicalId]).PolicyDocument as { Statement: Record<string, unknown>[] })
        .Statement;
    const controls = () =>
      ofType(arc(), 'AWS::Route53RecoveryControl::ControlPanel').map(([id]) => ({
        'Fn::Join': ['', [arnOf(id, 'ControlPanelArn'), '/routingcontrol/*']],
      }));
    const UPDATES = [
      'route53-recovery-cluster:UpdateRoutingControlState',
      'route53-recovery-cluster:UpdateRoutingControlStates',
    ];

    it('has two managed policies, operator and break-glass, and no other IAM resource', () => {
      const iam = Object.entries(arc().Resources).filter(([, r]) => r.Type.startsWith('AWS::IAM::'));
      expect(iam.map(([id, r]) => [id, r.Type, props(r).ManagedPolicyName])).toEqual([
        ['OperatorPolicy', 'AWS::IAM::ManagedPolicy', 'arc-failover-prod-routing-control-operator'],
        ['BreakGlassPolicy', 'AWS::IAM::ManagedPolicy', 'arc-failover-prod-routing-control-break-glass'],
      ]);
    });

    it("gives operators the data-plane reads and switches on the stack's routing controls, never an override", () => {
      expect(statementsOf('OperatorPolicy')).toEqual([
        {
          Sid: 'ReadAndSwitchWithinSafetyRules',
          Effect: 'Allow',
          Action: ['route53-recovery-cluster:GetRoutingControlState', ...UPDATES],
          Resource: controls(),
          Condition: { BoolIfExists: { 'route53-recovery-cluster:AllowSafetyRulesOverrides': 'false' } },
        },
      ]);
    });

    it("gives break-glass holders the switches that override safety rules, on the stack's routing controls only", () => {
      expect(statementsOf('BreakGlassPolicy')).toEqual([
        {
          Sid: 'OverrideSafetyRules',
          Effect: 'Allow',
          Action: UPDATES,
          Resource: controls(),
          Condition: { Bool: { 'route53-recovery-cluster:AllowSafetyRulesOverrides': 'true' } },
        },
      ]);
    });
  });
});

describe('the failover record added at deploy time', () => {
  /** API Gateway's Regional domain targets, as GetDomainName reports them. */
  const DOMAIN_TARGETS: Record<string, { apiGatewayDomainName: string; hostedZoneId: string }> = {
    'us-east-1': {
      apiGatewayDomainName: 'd-7k2m9p4q1r.execute-api.us-east-1.amazonaws.com',
      hostedZoneId: 'Z1UJRXOUMOOFQ8',
    },
    'us-west-2': {
      apiGatewayDomainName: 'd-3f4k2l9x1a.execute-api.us-west-2.amazonaws.com',
      hostedZoneId: 'Z2OJLYMUO9EFXC',
    },
  };
  /** What DescribeStacks would report for the deployed ARC stack: every output key of its packaged template. */
  const arcOutputs = () =>
    Object.fromEntries(
      Object.keys(stack('arc', 'us-west-2').template.Outputs ?? {}).map((key) => {
        const api = topology.all.find((a) => outputKeys.api(a) === key);
        return [key, api ? formatApiOutput(api, arcResources(api)) : `value-of-${key}`];
      }),
    );
  const healthCheckOf = (api: string, region: string) =>
    arcResources(findService(topology, api)).regions[region]!.healthCheckId;

  it.each(DEPLOYMENTS)(
    "%s in %s: a %s alias record with its Region's health check",
    async (api, region, role, hostname) => {
      const outputs = arcOutputs();
      const { template, stacksRead } = await runBeforeDeploy(stack(api, region), {
        stage: 'prod',
        domain: DOMAIN_TARGETS[region]!,
        arcOutputs: outputs,
      });
      expect(template.Resources.FailoverAliasRecord).toEqual({
        Type: 'AWS::Route53::RecordSet',
        Properties: {
          HostedZoneId: 'Z0123456789EXAMPLE0AB',
          Name: hostname,
          Type: 'A',
          SetIdentifier: `${api}-${region}`,
          Failover: role,
          HealthCheckId: healthCheckOf(api, region),
          AliasTarget: {
            DNSName: DOMAIN_TARGETS[region]!.apiGatewayDomainName,
            HostedZoneId: DOMAIN_TARGETS[region]!.hostedZoneId,
            EvaluateTargetHealth: false,
          },
        },
      });
      expect(stacksRead).toEqual([{ stackName: 'arc-failover-arc-prod', region: 'us-west-2' }]);
      expect(CloudFormationSchema.load().validate(template)).toEqual([]);
    },
  );
});
