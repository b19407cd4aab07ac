import type { ApiProof, ProofSample } from '../../src/proof';
import type { ReadinessAnswer } from '../../src/readiness';
import type {
  ApprovalStepReport,
  ExecutionReport,
  SwitchStepApi,
  SwitchStepReport,
  WaitStepReport,
} from '../../src/report';
import type { ApiStatus, CallRecord } from '../../src/switchover';

/** Reports as a switch or a runbook run would write them, at 2026-12-01T23:05:12Z plus the given ms. */
export const T0 = Date.parse('2026-12-01T23:05:12.000Z');
export const at = (ms: number) => new Date(T0 + ms).toISOString();

const EAST = 'https://abcd1234.route53-recovery-cluster.us-east-1.amazonaws.com/v1';
const WEST = 'https://abcd1234.route53-recovery-cluster.us-west-2.amazonaws.com/v1';
const ARN = 'arn:aws:route53-recovery-control::111122223333:cluster/0a1b2c3d-prod';

export function moving(api: string, from = 'us-east-1', to = 'us-west-2', changes = true): SwitchStepApi {
  return {
    api,
    hostname: `${api}.api.example.com`,
    from,
    to,
    role: to === 'us-west-2' ? 'secondary' : 'primary',
    changes,
  };
}

export function ready(api: string, region: string, elapsedMs: number): ReadinessAnswer {
  return {
    api,
    region,
    url: `https://${api}-${region}.execute-api.${region}.amazonaws.com/health`,
    ready: true,
    status: 200,
    answer: 'HTTP 200',
    elapsedMs,
  };
}

export function servedFrom(api: string, region: string): ApiStatus {
  const primaryOn = region === 'us-east-1';
  return {
    name: api,
    hostname: `${api}.api.example.com`,
    controls: [
      {
        region: 'us-east-1',
        role: 'primary',
        routingControlArn: `arn:aws:route53-recovery-control::111122223333:controlpanel/p-${api}/routingcontrol/east`,
        state: primaryOn ? 'On' : 'Off',
      },
      {
        region: 'us-west-2',
        role: 'secondary',
        routingControlArn: `arn:aws:route53-recovery-control::111122223333:controlpanel/p-${api}/routingcontrol/west`,
        state: primaryOn ? 'Off' : 'On',
      },
    ],
    servingRegion: region,
    servingRole: primaryOn ? 'primary' : 'secondary',
    bothOff: false,
  };
}

export const calls = (): CallRecord[] => [
  {
    call: 'read',
    answeredBy: { region: 'us-west-2', url: WEST },
    failed: [{ region: 'us-east-1', url: EAST, kind: 'timeout', reason: 'no answer within 1000 ms' }],
    abandoned: [],
  },
  { call: 'update 1/1', answeredBy: { region: 'us-west-2', url: WEST }, failed: [], abandoned: [] },
  { call: 'read back', answeredBy: { region: 'us-west-2', url: WEST }, failed: [], abandoned: [] },
];

/**
 * A proof that sees the old Region, one failed answer (the old Region's API going away), then the target:
 * a sample every 250 ms from the update; DNS turned at `dnsMs`, HTTP at `httpMs`.
 */
export function proofOf(
  api: string,
  from: string,
  to: string,
  { dnsMs, httpMs, waitedMs }: { dnsMs?: number; httpMs?: number; waitedMs: number },
): ApiProof {
  const samples: ProofSample[] = [];
  for (let atMs = 0; atMs <= waitedMs; atMs += 250) {
    const turned = httpMs !== undefined && atMs + 250 > httpMs;
    const gap = httpMs !== undefined && !turned && atMs + 500 > httpMs;
    samples.push({
      atMs,
      dnsRegion: dnsMs !== undefined && atMs + 250 > dnsMs ? to : from,
      ...(gap
        ? { error: 'connect ECONNREFUSED 203.0.113.10:443' }
        : { httpRegion: turned ? to : from, httpStatus: 200 }),
    });
  }
  return {
    api,
    hostname: `${api}.api.example.com`,
    region: to,
    ...(dnsMs !== undefined && { dnsMs }),
    ...(httpMs !== undefined && { httpMs }),
    nameServer: 'ns-1234.awsdns-26.org',
    lastDns: `A 198.51.100.7 (${dnsMs !== undefined ? to : from})`,
    publicUrl: `https://${api}.api.example.com/`,
    lastHttp: httpMs !== undefined ? `answered from ${to}` : `answered from ${from}`,
    samples,
  };
}

interface SwitchOptions {
  apis: SwitchStepApi[];
  /** ms from T0 */
  start: number;
  update?: number;
  finish: number;
  index?: number;
  proof?: { dnsMs: number; httpMs: number; waitedMs: number } | 'none';
  skipReadiness?: boolean;
}

export function switchStep(options: SwitchOptions): SwitchStepReport {
  const { apis, start, update, finish, index = 0 } = options;
  const moved = apis.filter((a) => a.changes);
  const names = moved.map((a) => a.api);
  const step: SwitchStepReport = {
    kind: 'switch',
    index,
    target: apis[0]?.to ?? 'us-west-2',
    startedAt: at(start),
    finishedAt: at(finish),
    outcome: options.proof === 'none' ? 'done' : 'proven',
    apis,
    ...(options.skipReadiness
      ? { readinessSkipped: true }
      : { readiness: moved.map((a, i) => ready(a.api, a.to, 80 + i)) }),
    batches: [
      {
        apis: names,
        entries: moved.flatMap((a) => [
          { RoutingControlArn: `${a.api}/${a.to}`, RoutingControlState: 'On' as const },
          { RoutingControlArn: `${a.api}/${a.from}`, RoutingControlState: 'Off' as const },
        ]),
        applied: update !== undefined,
        ...(update !== undefined && { endpoint: 'us-west-2' }),
      },
    ],
    endpoints: calls(),
    overrides: [],
    ...(update !== undefined && {
      updateSentAt: at(update),
      readBack: apis.map((a) => servedFrom(a.api, a.to)),
      verified: true,
    }),
  };
  if (update !== undefined && options.proof && options.proof !== 'none') {
    const p = options.proof;
    step.proof = {
      proven: true,
      timeoutMs: 30_000,
      waitedMs: p.waitedMs,
      apis: moved.map((a) => proofOf(a.api, a.from, a.to, p)),
    };
  }
  return step;
}

function base(kind: 'switch' | 'runbook'): Omit<ExecutionReport, 'steps' | 'outcome'> {
  return {
    version: 1,
    id: '0f3a9c1e-7d2b-4c55-9e61-2b8f5a4d3c10',
    kind,
    stage: 'prod',
    clusterArn: ARN,
    who: { user: 'oncall', host: 'bastion-1', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
    argv: ['switch', '--api', 'service1', '--api', 'external-api', '--to', 'secondary', '--wait'],
    startedAt: at(0),
    skippedReadiness: false,
  };
}

/** `switch --api service1 --api external-api --to secondary --wait`, proven: DNS 1.2 s, HTTP 1.4 s. */
export function provenSwitch(): ExecutionReport {
  return {
    ...base('switch'),
    finishedAt: at(2110),
    outcome: 'proven',
    exitCode: 0,
    steps: [
      switchStep({
        apis: [moving('service1'), moving('external-api')],
        start: 5,
        update: 400,
        finish: 2100,
        proof: { dnsMs: 1200, httpMs: 1400, waitedMs: 1650 },
      }),
    ],
  };
}

/** The break-glass path: --skip-readiness and no --wait, so no proof: the read back is all there is. */
export function skippedReadinessSwitch(): ExecutionReport {
  return {
    ...base('switch'),
    argv: ['switch', '--api', 'service1', '--to', 'us-west-2', '--skip-readiness'],
    finishedAt: at(700),
    outcome: 'switched',
    exitCode: 0,
    skippedReadiness: true,
    steps: [
      switchStep({
        apis: [moving('service1')],
        start: 3,
        update: 40,
        finish: 690,
        proof: 'none',
        skipReadiness: true,
      }),
    ],
  };
}

/** Refused by readiness: the target answered 503, so no update was sent. */
export function refusedSwitch(): ExecutionReport {
  const step = switchStep({ apis: [moving('service1'), moving('service2')], start: 4, finish: 2050 });
  step.outcome = 'refused';
  step.error =
    'service2 is not ready in us-west-2: GET https://service2-us-west-2.execute-api.us-west-2.amazonaws.com/health answered HTTP 503 after 2012 ms';
  step.readiness = [
    ready('service1', 'us-west-2', 95),
    {
      ...ready('service2', 'us-west-2', 2012),
      ready: false,
      status: 503,
      failure: 'status',
      answer: 'HTTP 503',
    },
  ];
  step.endpoints = step.endpoints.slice(0, 1);
  return {
    ...base('switch'),
    finishedAt: at(2060),
    outcome: 'refused',
    exitCode: 1,
    error: step.error,
    steps: [step],
  };
}

/** The states could not be read at all: nothing planned, nothing sent. */
export function unreadableSwitch(): ExecutionReport {
  return {
    ...base('switch'),
    finishedAt: at(3020),
    outcome: 'failed',
    exitCode: 1,
    error:
      'no endpoint answered the read of the routing-control states: us-east-1 timeout | us-west-2 refused',
    steps: [
      {
        kind: 'switch',
        index: 0,
        target: 'secondary',
        startedAt: at(2),
        finishedAt: at(3010),
        outcome: 'failed',
        error: 'no endpoint answered',
        apis: [],
        batches: [],
        endpoints: [
          {
            call: 'read',
            failed: [
              { region: 'us-east-1', url: EAST, kind: 'timeout', reason: 'no answer within 1500 ms' },
              { region: 'us-west-2', url: WEST, kind: 'refused', reason: 'ECONNREFUSED | reset' },
            ],
          },
        ],
        overrides: [],
      },
    ],
  };
}

/** A dry run: planned and written in the same millisecond. */
export function instantDryRun(): ExecutionReport {
  return {
    ...base('switch'),
    finishedAt: at(0),
    outcome: 'dry-run',
    exitCode: 0,
    steps: [
      {
        kind: 'switch',
        index: 0,
        target: 'secondary',
        startedAt: at(0),
        finishedAt: at(0),
        outcome: 'pending',
        apis: [moving('service1')],
        batches: [],
        endpoints: [],
        overrides: [],
      },
    ],
  };
}

/**
 * Runbook drain-east: external-api to its secondary, an approval at the gate (20 s), a 30 s wait, then
 * service1 and service2 (service2 already there).
 */
export function drainEast(): ExecutionReport {
  const approval: ApprovalStepReport = {
    kind: 'approval',
    index: 1,
    startedAt: at(3000),
    finishedAt: at(23_000),
    outcome: 'done',
    note: 'Check the error budget dashboard first',
    apis: ['service1', 'service2'],
    via: 'gate',
    approvedBy: 'lead@example.com',
    waitedMs: 20_000,
  };
  const wait: WaitStepReport = {
    kind: 'wait',
    index: 2,
    startedAt: at(23_010),
    finishedAt: at(53_010),
    outcome: 'done',
    seconds: 30,
  };
  return {
    ...base('runbook'),
    runbook: 'drain-east',
    argv: ['runbook', 'drain-east', '--stage', 'prod'],
    finishedAt: at(56_500),
    outcome: 'proven',
    exitCode: 0,
    evaluation: [
      { check: 'bookmark', ok: true, detail: 'written 2026-11-30T10:00:00Z, 3 APIs' },
      { check: 'readiness', ok: true, detail: 'every target answers 200' },
    ],
    steps: [
      switchStep({
        apis: [moving('external-api')],
        start: 10,
        update: 300,
        finish: 2900,
        proof: { dnsMs: 900, httpMs: 1300, waitedMs: 1500 },
      }),
      approval,
      wait,
      switchStep({
        index: 3,
        apis: [moving('service1'), moving('service2', 'us-west-2', 'us-west-2', false)],
        start: 53_020,
        update: 53_200,
        finish: 56_400,
        proof: { dnsMs: 1100, httpMs: 2100, waitedMs: 2250 },
      }),
    ],
  };
}

/** --all at 49 APIs, five batches, all proven. */
export function allApis(count = 49): ExecutionReport {
  const apis = Array.from({ length: count }, (_, i) => moving(`api-${String(i + 1).padStart(2, '0')}`));
  const step = switchStep({
    apis,
    start: 5,
    update: 500,
    finish: 9000,
    proof: { dnsMs: 2400, httpMs: 3100, waitedMs: 3300 },
  });
  return {
    ...base('switch'),
    argv: ['switch', '--all', '--to', 'secondary', '--wait'],
    finishedAt: at(9010),
    outcome: 'proven',
    exitCode: 0,
    steps: [step],
  };
}
