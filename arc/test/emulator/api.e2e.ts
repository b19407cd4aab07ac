import {
  AccessDeniedException,
  ConflictException,
  EndpointTemporarilyUnavailableException,
  GetRoutingControlStateCommand,
  InternalServerException,
  ListRoutingControlsCommand,
  paginateListRoutingControls,
  ResourceNotFoundException,
  Route53RecoveryClusterServiceException,
  ServiceLimitExceededException,
  ThrottlingException,
  UpdateRoutingControlStateCommand,
  UpdateRoutingControlStatesCommand,
  ValidationException,
  type Route53RecoveryClusterClient,
} from '@aws-sdk/client-route53-recovery-cluster';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ARC_CLUSTER_ENDPOINT_REGIONS } from '@arc-failover/shared';
import { readBookmark, writeBookmark } from '../../src/bookmark';
import {
  ClusterEmulator,
  SANDBOX_CREDENTIALS,
  SANDBOX_READ_ONLY_CREDENTIALS,
  type StateChange,
} from '../../src/emulator';
import { Clients, rejectionOf } from './client';
import { testTopology } from './topology';

const topology = testTopology();
let emulator: ClusterEmulator;
const clients = new Clients(() => emulator);

beforeEach(async () => {
  emulator = await ClusterEmulator.start({ topology, waitPeriodMs: 0 });
});
afterEach(async () => {
  clients.destroyAll();
  await emulator.close();
});

const arn = (service: string, region: string) => emulator.routingControlArn(service, region);
const entry = (service: string, region: string, state: 'On' | 'Off') => ({
  RoutingControlArn: arn(service, region),
  RoutingControlState: state,
});
const stateOf = async (client: Route53RecoveryClusterClient, routingControlArn: string) =>
  (await client.send(new GetRoutingControlStateCommand({ RoutingControlArn: routingControlArn })))
    .RoutingControlState;
/** The output without the SDK's metadata: what the service answered. */
const answer = ({ $metadata: _, ...output }: { $metadata: unknown }) => output;

describe('the four operations through the SDK', () => {
  it('shares one state across the five endpoints, each signed for its own Region', async () => {
    const east = clients.for('us-east-1');
    const update = await east.send(
      new UpdateRoutingControlStatesCommand({
        UpdateRoutingControlStateEntries: [
          entry('orders', 'us-east-1', 'On'),
          entry('orders', 'us-west-2', 'Off'),
        ],
      }),
    );
    expect(answer(update)).toEqual({});
    for (const region of ARC_CLUSTER_ENDPOINT_REGIONS) {
      const got = await clients
        .for(region)
        .send(new GetRoutingControlStateCommand({ RoutingControlArn: arn('orders', 'us-east-1') }));
      expect(answer(got)).toEqual({
        RoutingControlArn: arn('orders', 'us-east-1'),
        RoutingControlState: 'On',
        RoutingControlName: 'orders-us-east-1',
      });
      expect(got.$metadata.httpStatusCode).toBe(200);
      expect(got.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('UpdateRoutingControlState changes one control and answers {}', async () => {
    const client = clients.for('eu-west-1');
    const output = await client.send(
      new UpdateRoutingControlStateCommand({
        RoutingControlArn: arn('payments', 'eu-west-1'),
        RoutingControlState: 'On',
      }),
    );
    expect(answer(output)).toEqual({});
    expect(await stateOf(clients.for('ap-southeast-2'), arn('payments', 'eu-west-1'))).toBe('On');
    expect(emulator.stateOf(arn('payments', 'eu-west-1'))).toBe('On');
  });

  it('ListRoutingControls lists every control, Off after a first deploy, with its panel and owner', async () => {
    const output = await clients.for('ap-northeast-1').send(new ListRoutingControlsCommand({}));
    const bookmark = emulator.bookmark();
    expect(output.NextToken).toBeUndefined();
    expect(output.RoutingControls).toEqual(
      bookmark.services.flatMap((service) =>
        [service.primaryRegion, service.secondaryRegion].map((region) => ({
          ControlPanelArn: service.controlPanelArn,
          ControlPanelName: `shop-test-${service.name}`,
          RoutingControlArn: service.routingControls[region],
          RoutingControlName: `${service.name}-${region}`,
          RoutingControlState: 'Off',
          Owner: '111122223333',
        })),
      ),
    );
  });

  it('ListRoutingControls filters by ControlPanelArn', async () => {
    const payments = emulator.bookmark().services.find((s) => s.name === 'payments')!;
    const output = await clients
      .for('us-west-2')
      .send(new ListRoutingControlsCommand({ ControlPanelArn: payments.controlPanelArn }));
    expect(output.RoutingControls!.map((c) => c.RoutingControlName)).toEqual([
      'payments-eu-west-1',
      'payments-eu-central-1',
    ]);
  });

  it('ListRoutingControls pages with MaxResults and NextToken, and the SDK paginator walks every page', async () => {
    const client = clients.for('us-west-2');
    const first = await client.send(new ListRoutingControlsCommand({ MaxResults: 4 }));
    expect(first.RoutingControls).toHaveLength(4);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await client.send(
      new ListRoutingControlsCommand({ MaxResults: 4, NextToken: first.NextToken }),
    );
    expect(second.RoutingControls!.map((c) => c.RoutingControlName)).toEqual([
      'payments-eu-west-1',
      'payments-eu-central-1',
    ]);
    expect(second.NextToken).toBeUndefined();

    const pages: string[][] = [];
    for await (const page of paginateListRoutingControls({ client, pageSize: 1 }, {})) {
      pages.push(page.RoutingControls!.map((c) => c.RoutingControlName!));
    }
    expect(pages).toEqual([
      ['edge-us-east-1'],
      ['edge-us-west-2'],
      ['orders-us-east-1'],
      ['orders-us-west-2'],
      ['payments-eu-west-1'],
      ['payments-eu-central-1'],
    ]);
  });

  it('calls change listeners once per applied batch, with the controls that changed', async () => {
    const heard: StateChange[][] = [];
    emulator.onChange((changes) => heard.push(changes));
    await clients.for('us-east-1').send(
      new UpdateRoutingControlStatesCommand({
        UpdateRoutingControlStateEntries: [
          entry('edge', 'us-east-1', 'On'),
          entry('edge', 'us-west-2', 'Off'),
        ],
      }),
    );
    expect(heard).toEqual([[{ routingControlArn: arn('edge', 'us-east-1'), state: 'On' }]]);
  });
});

describe('observing the emulation', () => {
  it('counts the signed requests per operation, whatever their answer, but not those a fault kept out', async () => {
    const client = clients.for('us-east-1');
    await client.send(new GetRoutingControlStateCommand({ RoutingControlArn: arn('orders', 'us-east-1') }));
    const missing = arn('orders', 'us-east-1').replace(/[0-9a-f]{16}$/, '0123456789abcdef');
    await rejectionOf(client.send(new GetRoutingControlStateCommand({ RoutingControlArn: missing })));
    await client.send(
      new UpdateRoutingControlStatesCommand({
        UpdateRoutingControlStateEntries: [entry('orders', 'us-east-1', 'On')],
      }),
    );
    await clients.for('us-west-2').send(new ListRoutingControlsCommand({}));
    await emulator.setFault('eu-west-1', 'unavailable');
    await rejectionOf(clients.for('eu-west-1').send(new ListRoutingControlsCommand({})));
    expect(emulator.operationCounts()).toEqual({
      GetRoutingControlState: 2,
      ListRoutingControls: 1,
      UpdateRoutingControlState: 0,
      UpdateRoutingControlStates: 1,
    });
    expect(emulator.requestCounts()['eu-west-1']).toBe(1);
  });
});

describe('every error of the API, as the SDK surfaces it', () => {
  it('AccessDeniedException (403): credentials allowed to read but not to update', async () => {
    const reader = clients.for('us-west-2', { credentials: SANDBOX_READ_ONLY_CREDENTIALS });
    expect(await stateOf(reader, arn('orders', 'us-east-1'))).toBe('Off');
    const error = await rejectionOf(
      reader.send(
        new UpdateRoutingControlStatesCommand({
          UpdateRoutingControlStateEntries: [entry('orders', 'us-east-1', 'On')],
        }),
      ),
    );
    expect(error).toBeInstanceOf(AccessDeniedException);
    expect(error).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 403 } });
    expect(error.message).toBe(
      `User: arn:aws:iam::111122223333:user/arc-sandbox-read-only is not authorized to perform: route53-recovery-cluster:UpdateRoutingControlStates on resource: ${arn('orders', 'us-east-1')} because no identity-based policy allows the route53-recovery-cluster:UpdateRoutingControlStates action`,
    );
    expect(emulator.stateOf(arn('orders', 'us-east-1'))).toBe('Off');
  });

  it('ConflictException (409): a batch that breaks a safety rule changes nothing and names the rule', async () => {
    const client = clients.for('us-east-1');
    await client.send(
      new UpdateRoutingControlStatesCommand({
        UpdateRoutingControlStateEntries: [
          entry('orders', 'us-east-1', 'On'),
          entry('payments', 'eu-west-1', 'On'),
        ],
      }),
    );
    const rule = emulator.bookmark().safetyRules.find((r) => r.service === 'orders')!;
    const error = await rejectionOf(
      client.send(
        new UpdateRoutingControlStatesCommand({
          UpdateRoutingControlStateEntries: [
            entry('payments', 'eu-central-1', 'On'),
            entry('orders', 'us-east-1', 'Off'),
          ],
        }),
      ),
    );
    expect(error).toBeInstanceOf(ConflictException);
    expect(error).toMatchObject({
      $fault: 'client',
      $metadata: { httpStatusCode: 409 },
      resourceId: rule.arn,
      resourceType: 'SafetyRule',
    });
    expect(error.message).toContain(`assertion rule "orders-at-least-one-on" (${rule.arn})`);
    const reader = clients.for('eu-west-1');
    expect(await stateOf(reader, arn('payments', 'eu-central-1'))).toBe('Off');
    expect(await stateOf(reader, arn('orders', 'us-east-1'))).toBe('On');
  });

  it('EndpointTemporarilyUnavailableException (503) from an endpoint set unavailable', async () => {
    await emulator.setFault('eu-west-1', 'unavailable');
    const error = await rejectionOf(clients.for('eu-west-1').send(new ListRoutingControlsCommand({})));
    expect(error).toBeInstanceOf(EndpointTemporarilyUnavailableException);
    expect(error).toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 503 } });
    expect(error.message).toBe(
      'The cluster endpoint in eu-west-1 is temporarily unavailable. Try another cluster endpoint.',
    );
  });

  it('InternalServerException (500) with retryAfterSeconds from an endpoint set to fail', async () => {
    await emulator.setFault('us-east-1', 'internal-error');
    const error = await rejectionOf(
      clients
        .for('us-east-1')
        .send(new GetRoutingControlStateCommand({ RoutingControlArn: arn('orders', 'us-east-1') })),
    );
    expect(error).toBeInstanceOf(InternalServerException);
    expect(error).toMatchObject({
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
      retryAfterSeconds: 1,
    });
  });

  it('ResourceNotFoundException (404) with resourceId and resourceType for a routing control, panel or rule', async () => {
    const client = clients.for('us-west-2');
    const missing = arn('orders', 'us-east-1').replace(/[0-9a-f]{16}$/, '0123456789abcdef');
    const control = await rejectionOf(
      client.send(new GetRoutingControlStateCommand({ RoutingControlArn: missing })),
    );
    expect(control).toBeInstanceOf(ResourceNotFoundException);
    expect(control).toMatchObject({
      $fault: 'client',
      $metadata: { httpStatusCode: 404 },
      resourceId: missing,
      resourceType: 'RoutingControl',
    });
    const panelArn =
      'arn:aws:route53-recovery-control::111122223333:controlpanel/00000000000000000000000000000000';
    const panel = await rejectionOf(
      client.send(new ListRoutingControlsCommand({ ControlPanelArn: panelArn })),
    );
    expect(panel).toMatchObject({
      name: 'ResourceNotFoundException',
      resourceId: panelArn,
      resourceType: 'ControlPanel',
    });
    const ruleArn = `${panelArn}/safetyrule/0000000000000000`;
    const rule = await rejectionOf(
      client.send(
        new UpdateRoutingControlStateCommand({
          RoutingControlArn: arn('orders', 'us-east-1'),
          RoutingControlState: 'On',
          SafetyRulesToOverride: [ruleArn],
        }),
      ),
    );
    expect(rule).toMatchObject({
      name: 'ResourceNotFoundException',
      resourceId: ruleArn,
      resourceType: 'SafetyRule',
    });
    expect(emulator.stateOf(arn('orders', 'us-east-1'))).toBe('Off');
  });

  it('ServiceLimitExceededException (402) with limitCode and serviceCode for more than 10 entries', async () => {
    const entries = Array.from({ length: 11 }, (_, i) => ({
      RoutingControlArn: `${arn('orders', 'us-east-1').slice(0, -2)}${String(i).padStart(2, '0')}`,
      RoutingControlState: 'On' as const,
    }));
    const error = await rejectionOf(
      clients
        .for('us-east-1')
        .send(new UpdateRoutingControlStatesCommand({ UpdateRoutingControlStateEntries: entries })),
    );
    expect(error).toBeInstanceOf(ServiceLimitExceededException);
    expect(error).toMatchObject({
      $fault: 'client',
      $metadata: { httpStatusCode: 402 },
      limitCode: 'RoutingControlsPerUpdateRoutingControlStates',
      serviceCode: 'route53-recovery-cluster',
    });
    expect(error.message).toMatch(/at most 10 routing controls; this one has 11/);
  });

  it('ThrottlingException (429) with retryAfterSeconds from a throttling endpoint', async () => {
    await emulator.setFault('ap-northeast-1', 'throttle');
    const error = await rejectionOf(clients.for('ap-northeast-1').send(new ListRoutingControlsCommand({})));
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(error).toMatchObject({
      $fault: 'client',
      $metadata: { httpStatusCode: 429 },
      retryAfterSeconds: 1,
    });
  });

  describe('ValidationException (400)', () => {
    it.each([
      [
        'an ARN with a character the model forbids',
        new GetRoutingControlStateCommand({ RoutingControlArn: 'arn:aws:route53-recovery-control::1:x y' }),
        'RoutingControlArn',
        'Member must satisfy regular expression pattern',
      ],
      [
        'an ARN over 255 characters',
        new GetRoutingControlStateCommand({ RoutingControlArn: `arn:${'a'.repeat(252)}` }),
        'RoutingControlArn',
        'Member must have length less than or equal to 255',
      ],
      [
        'MaxResults 0',
        new ListRoutingControlsCommand({ MaxResults: 0 }),
        'MaxResults',
        'Member must have value greater than or equal to 1',
      ],
      [
        'a NextToken the cluster never issued',
        new ListRoutingControlsCommand({ NextToken: 'bm90LWEtdG9rZW4' }),
        'NextToken',
        'Member must be a NextToken from a previous call',
      ],
      [
        'an empty batch',
        new UpdateRoutingControlStatesCommand({ UpdateRoutingControlStateEntries: [] }),
        'UpdateRoutingControlStateEntries',
        'Member must have length greater than or equal to 1',
      ],
      [
        'a state other than On or Off',
        new UpdateRoutingControlStateCommand({
          RoutingControlArn: 'arn:aws:route53-recovery-control::111122223333:controlpanel/x/routingcontrol/y',
          RoutingControlState: 'Maybe' as 'On',
        }),
        'RoutingControlState',
        'Member must satisfy enum value set: [On, Off]',
      ],
    ])('fieldValidationFailed for %s, naming the field', async (_what, command, field, constraint) => {
      const error = await rejectionOf(clients.for('us-west-2').send(command as never));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error).toMatchObject({
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        reason: 'fieldValidationFailed',
        fields: [{ name: field, message: expect.stringContaining(constraint) }],
      });
      expect(error.message).toMatch(
        new RegExp(`^1 validation error detected: Value .* at '${field}' failed to satisfy constraint: `),
      );
    });

    it('fieldValidationFailed lists every bad entry of a batch, and the batch changes nothing', async () => {
      const error = await rejectionOf(
        clients.for('us-west-2').send(
          new UpdateRoutingControlStatesCommand({
            UpdateRoutingControlStateEntries: [
              entry('orders', 'us-east-1', 'On'),
              { RoutingControlArn: arn('orders', 'us-west-2'), RoutingControlState: 'on' as 'On' },
              entry('orders', 'us-east-1', 'Off'),
            ],
          }),
        ),
      );
      expect(error).toMatchObject({
        reason: 'fieldValidationFailed',
        fields: [
          { name: 'UpdateRoutingControlStateEntries.1.RoutingControlState' },
          {
            name: 'UpdateRoutingControlStateEntries.2.RoutingControlArn',
            message: expect.stringContaining('only once'),
          },
        ],
      });
      expect(error.message).toMatch(/^2 validation errors detected: /);
      expect(emulator.stateOf(arn('orders', 'us-east-1'))).toBe('Off');
    });

    it('unknownOperation for an x-amz-target the service does not have', async () => {
      const client = clients.for('us-west-2');
      client.middlewareStack.add(
        (next) => async (args) => {
          (args.request as { headers: Record<string, string> }).headers['x-amz-target'] =
            'ToggleCustomerAPI.DeleteCluster';
          return next(args);
        },
        { step: 'build' },
      );
      const error = await rejectionOf(client.send(new ListRoutingControlsCommand({})));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 }, reason: 'unknownOperation' });
      expect(error.message).toContain('"ToggleCustomerAPI.DeleteCluster"');
    });

    it('cannotParse for a body that is not JSON', async () => {
      const client = clients.for('us-west-2');
      client.middlewareStack.add(
        (next) => async (args) => {
          const request = args.request as { body: string; headers: Record<string, string> };
          request.body = '{"MaxResults": ';
          request.headers['content-length'] = String(request.body.length);
          return next(args);
        },
        { step: 'build' },
      );
      const error = await rejectionOf(client.send(new ListRoutingControlsCommand({})));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 }, reason: 'cannotParse' });
    });
  });
});

describe('authentication', () => {
  it('rejects an unsigned request with 403 MissingAuthenticationTokenException and changes nothing', async () => {
    const endpoint = emulator.endpoints[0]!;
    const response = await fetch(`${endpoint.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'ToggleCustomerAPI.UpdateRoutingControlState',
      },
      body: JSON.stringify({ RoutingControlArn: arn('orders', 'us-east-1'), RoutingControlState: 'On' }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await response.json()).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
    expect(emulator.stateOf(arn('orders', 'us-east-1'))).toBe('Off');
  });

  it.each([
    [
      'a wrong secret key',
      'InvalidSignatureException',
      { credentials: { ...SANDBOX_CREDENTIALS, secretAccessKey: 'x'.repeat(40) } },
      /^The request signature we calculated does not match/,
    ],
    [
      'an access key the cluster does not know',
      'UnrecognizedClientException',
      { credentials: { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x'.repeat(40) } },
      /^The security token included in the request is invalid\.$/,
    ],
    [
      'a signature for another Region than the endpoint’s',
      'InvalidSignatureException',
      { signingRegion: 'us-east-1' },
      /^Credential should be scoped to a valid region, not 'us-east-1'\. This endpoint is in us-west-2/,
    ],
    [
      'a signature for another service',
      'InvalidSignatureException',
      { signingName: 'route53-recovery-control-config' },
      /^Credential should be scoped to correct service: 'route53-recovery-cluster'\.$/,
    ],
  ])('rejects %s with 403 %s', async (_what, name, options, message) => {
    const error = await rejectionOf(
      clients.for('us-west-2', options).send(
        new UpdateRoutingControlStateCommand({
          RoutingControlArn: arn('orders', 'us-east-1'),
          RoutingControlState: 'On',
        }),
      ),
    );
    expect(error).toBeInstanceOf(Route53RecoveryClusterServiceException);
    expect(error).toMatchObject({ name, $fault: 'client', $metadata: { httpStatusCode: 403 } });
    expect(error.message).toMatch(message);
    expect(emulator.stateOf(arn('orders', 'us-east-1'))).toBe('Off');
  });
});

describe('safety rules through the SDK', () => {
  it('SafetyRulesToOverride breaks glass: the bookmarked rule ARN lets an Off/Off batch through', async () => {
    const client = clients.for('us-east-1');
    await client.send(
      new UpdateRoutingControlStatesCommand({
        UpdateRoutingControlStateEntries: [entry('orders', 'us-east-1', 'On')],
      }),
    );
    const rule = emulator.bookmark().safetyRules.find((r) => r.name === 'orders-at-least-one-on')!;
    await client.send(
      new UpdateRoutingControlStatesCommand({
        UpdateRoutingControlStateEntries: [entry('orders', 'us-east-1', 'Off')],
        SafetyRulesToOverride: [rule.arn],
      }),
    );
    expect(await stateOf(client, arn('orders', 'us-east-1'))).toBe('Off');
  });

  it('a gating rule added for a test blocks its targets until the gating control is On in the same batch', async () => {
    const gate = emulator.addSafetyRule({
      Name: 'edge-gates-payments',
      GatingControls: [arn('edge', 'us-east-1')],
      TargetControls: [arn('payments', 'eu-west-1'), arn('payments', 'eu-central-1')],
      RuleConfig: { Type: 'AND', Threshold: 0, Inverted: false },
      WaitPeriodMs: 0,
    });
    expect(emulator.bookmark().safetyRules).toContainEqual({
      name: 'edge-gates-payments',
      arn: gate,
      service: 'payments',
      kind: 'gating',
    });
    const client = clients.for('ap-southeast-2');
    const error = await rejectionOf(
      client.send(
        new UpdateRoutingControlStatesCommand({
          UpdateRoutingControlStateEntries: [entry('payments', 'eu-west-1', 'On')],
        }),
      ),
    );
    expect(error).toMatchObject({ name: 'ConflictException', resourceId: gate });
    await client.send(
      new UpdateRoutingControlStatesCommand({
        UpdateRoutingControlStateEntries: [
          entry('edge', 'us-east-1', 'On'),
          entry('payments', 'eu-west-1', 'On'),
        ],
      }),
    );
    expect(await stateOf(client, arn('payments', 'eu-west-1'))).toBe('On');
  });

  it('the wait period after a change answers ConflictException until it has passed', async () => {
    // far longer than a loaded machine can take between two requests; the test moves the clock past it
    const waitPeriodMs = 10_000;
    await emulator.close();
    emulator = await ClusterEmulator.start({ topology, waitPeriodMs });
    const client = clients.for('us-east-1');
    await client.send(
      new UpdateRoutingControlStatesCommand({
        UpdateRoutingControlStateEntries: [entry('orders', 'us-east-1', 'On')],
      }),
    );
    const error = await rejectionOf(
      client.send(
        new UpdateRoutingControlStatesCommand({
          UpdateRoutingControlStateEntries: [entry('orders', 'us-west-2', 'On')],
        }),
      ),
    );
    expect(error).toBeInstanceOf(ConflictException);
    expect(error.message).toContain('is in its wait period of 10000 ms');
    expect(await stateOf(client, arn('orders', 'us-east-1'))).toBe('On');

    // the emulation's clock (performance.now), a wait period later
    const now = performance.now.bind(performance);
    const later = jest.spyOn(performance, 'now').mockImplementation(() => now() + waitPeriodMs);
    try {
      await client.send(
        new UpdateRoutingControlStatesCommand({
          UpdateRoutingControlStateEntries: [entry('orders', 'us-west-2', 'On')],
        }),
      );
    } finally {
      later.mockRestore();
    }
    expect(await stateOf(client, arn('orders', 'us-west-2'))).toBe('On');
  });
});

describe('the bookmark', () => {
  it('is a valid bookmark naming this cluster’s endpoints, ARNs, rules and accepted credentials', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'arc-emulator-'));
    try {
      const file = path.join(dir, 'local.json');
      writeBookmark(file, emulator.bookmark());
      const bookmark = readBookmark(file);
      expect(bookmark.clusterArn).toBe(emulator.clusterArn);
      expect(bookmark.stage).toBe('test');
      expect(bookmark.endpoints).toEqual(emulator.endpoints);
      expect(bookmark.endpoints.map((e) => e.region)).toEqual([...ARC_CLUSTER_ENDPOINT_REGIONS]);
      expect(bookmark.services.map((s) => [s.name, s.hostname, s.routingControls])).toEqual(
        topology.all.map((s) => [
          s.name,
          s.hostname,
          Object.fromEntries(s.regions.map((region) => [region, emulator.routingControlArn(s.name, region)])),
        ]),
      );
      expect(bookmark.safetyRules.map((r) => [r.name, r.service])).toEqual([
        ['edge-at-least-one-on', 'edge'],
        ['orders-at-least-one-on', 'orders'],
        ['payments-at-least-one-on', 'payments'],
      ]);
      expect(bookmark.sandbox).toEqual({ credentials: SANDBOX_CREDENTIALS });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
