import { existsSync } from 'node:fs';
import type { ProcessRun } from '@arc-failover/shared';
import type { Bookmark } from '../../src/bookmark';
import { SANDBOX_READ_ONLY_CREDENTIALS } from '../../src/emulator';
import { topologyWith, CliHarness } from '@arc-failover/testing';

// The entry API and six services: 14 routing controls, more than one UpdateRoutingControlStates call holds.
const topology = topologyWith(6);
const GATE = 'service6-needs-service5-primary';
let cli: CliHarness;

// Each test runs the CLI as processes (~0.4 s each, several at once on a 2-core machine).
jest.setTimeout(30_000);

beforeAll(async () => {
  cli = await CliHarness.start(topology, (emulator) => {
    // service6 may change only while service5's primary control is On
    emulator.addSafetyRule({
      Name: GATE,
      GatingControls: [emulator.routingControlArn('service5', 'us-east-1')],
      TargetControls: ['us-west-2', 'us-east-1'].map((r) => emulator.routingControlArn('service6', r)),
      RuleConfig: { Type: 'ATLEAST', Threshold: 1, Inverted: false },
    });
  });
});
afterAll(() => cli.close());

/** A failed run: the exit status and exactly one line on stderr. */
function expectFailure(run: ProcessRun, code: number, line: string | RegExp): void {
  expect({ code: run.exitCode, lines: run.stderr.trimEnd().split('\n').length }).toEqual({ code, lines: 1 });
  expect(run.stderr).toMatch(typeof line === 'string' ? `error: ${line}\n` : line);
}

const apis = ['external-api', 'service1', 'service2', 'service3', 'service4', 'service5', 'service6'];
const primaryOf = (api: string) => topology.all.find((s) => s.name === api)!.primaryRegion;
const secondaryOf = (api: string) => topology.all.find((s) => s.name === api)!.secondaryRegion;
/** A status reads every routing control: a GetRoutingControlState call per control. */
const READ_ALL = apis.length * 2;
/** A switch of one API reads its two routing controls only. */
const READ_ONE_API = 2;

/** A bookmark with one endpoint only, so that no hedged read can blur a count of requests. */
function oneEndpointBookmark(): string {
  return cli.writeVariant('one-endpoint.json', { ...cli.bookmark, endpoints: [cli.bookmark.endpoints[0]!] });
}

/** `service1 --to secondary --yes` against a variant of the bookmark, written under `name`. */
function failOverService1With(name: string, bookmark: Bookmark): Promise<ProcessRun> {
  return cli.run(['service1', '--to', 'secondary', '--yes', '--bookmark', cli.writeVariant(name, bookmark)]);
}

/** Runs the CLI, and counts the operations the cluster served meanwhile, per operation name. */
async function runCounting(args: string[]): Promise<{ run: ProcessRun; operations: Record<string, number> }> {
  const before = cli.emulator.operationCounts();
  const run = await cli.run(args);
  const after = cli.emulator.operationCounts();
  const operations = Object.fromEntries(
    Object.entries(after).map(([op, n]) => [op, n - before[op as keyof typeof before]]),
  );
  return { run, operations };
}

describe('the command line alone', () => {
  it('prints the usage with --help and refuses bad command lines with exit 2, sending nothing', async () => {
    const before = cli.totalRequests();
    const [help, unknownFlag, unknownCommand, noTo] = await Promise.all([
      cli.run(['--help']),
      cli.run(['service1', '--to', 'primary', '--force']),
      cli.run(['statsu']),
      cli.run(['service1']),
    ]);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('Usage: npm run switch -- <command> [flags]');
    expect(help.stdout).toContain('--override-safety-rule <name|arn>');
    expect(help.stdout).toMatch(
      /--timeout-ms <ms> +per read attempt on one endpoint: total timeout \(default 1500\)/,
    );
    expect(help.stdout).toMatch(
      /--write-timeout-ms <ms> +per write attempt on one endpoint: total timeout \(default 3000\)/,
    );
    expectFailure(unknownFlag, 2, 'unknown flag --force (see npm run switch -- --help)');
    expectFailure(
      unknownCommand,
      2,
      /unknown command "statsu": give status, sync, runbook, or <api...> --to/,
    );
    expectFailure(
      noTo,
      2,
      'service1: a switch needs --to <region|primary|secondary> (see npm run switch -- --help)',
    );
    expect(cli.totalRequests()).toBe(before);
  });
});

describe('status', () => {
  it('shows every API Off/Off after a first deploy, flagged loudly with the command that fixes it', async () => {
    const run = await cli.run(['status']);
    expect(run.exitCode).toBe(0);
    const rows = run.stdout.split('\n').filter((line) => /^(external-api|service\d) /.test(line));
    expect(rows).toHaveLength(7);
    expect(rows[2]).toMatch(
      /^service2\s+us-west-2 Off\s+us-east-1 Off\s+us-west-2 \(primary\)\s+!! BOTH OFF$/,
    );
    expect(run.stdout).toContain(
      `!! ${apis.join(', ')}: both routing controls Off. Route 53 then answers the primary, but no routing control holds it there; put every API on its primary: npm run switch -- --all --to primary`,
    );
    expect(run.stderr).toMatch(
      /^read: answered by the [a-z0-9-]+ endpoint \(http:\/\/127\.0\.0\.1:\d+\/v1\)$/m,
    );
  });

  it('gives a JSON document with --json', async () => {
    const run = await cli.run(['status', '--json']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    const doc = JSON.parse(run.stdout) as {
      apis: { name: string; bothOff: boolean; servingRegion: string; controls: { state: string }[] }[];
      endpoints: { answeredBy: { region: string } }[];
      clusterArn: string;
    };
    expect(doc.clusterArn).toBe(cli.emulator.clusterArn);
    expect(doc.apis.map((a) => [a.name, a.bothOff, a.servingRegion])).toEqual(
      apis.map((api) => [api, true, primaryOf(api)]),
    );
    expect(doc.endpoints[0]!.answeredBy.region).toMatch(/^(us|eu|ap)-/);
  });

  it('fails with --json as a JSON document on stdout, and the one line on stderr', async () => {
    const run = await cli.run(['status', '--json', '--bookmark', `${cli.dir}/missing.json`]);
    expectFailure(run, 1, /no bookmark file at .*missing\.json: run "npm run switch -- sync" in peacetime/);
    expect(JSON.parse(run.stdout)).toEqual({
      error: run.stderr.replace(/^error: /, '').trimEnd(),
      exitCode: 1,
    });
  });
});

describe('switching', () => {
  it('puts everything on its primary with --all --to primary, in whole-panel batches of at most 10', async () => {
    const run = await cli.run(['--all', '--to', 'primary', '--yes']);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      '2 UpdateRoutingControlStates calls (at most 10 entries each, whole control panels): NOT atomic across calls',
    );
    for (const api of apis) {
      expect(run.stdout).toContain(`Switched ${api}: traffic now on ${primaryOf(api)} (primary)`);
      expect([cli.state(api, primaryOf(api)), cli.state(api, secondaryOf(api))]).toEqual(['On', 'Off']);
    }
    expect(run.stderr).toMatch(/^update 1\/2: answered by/m);
    expect(run.stderr).toMatch(/^update 2\/2: answered by/m);
    expect(run.stderr).toMatch(/^read back: answered by/m);
    const status = await cli.run(['status']);
    expect(status.stdout).not.toContain('BOTH OFF');
  });

  it('says so and makes no call when the API is already there', async () => {
    const args = ['service1', '--to', 'primary', '--yes', '--bookmark', oneEndpointBookmark()];
    const { run, operations } = await runCounting(args);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('service1  already on us-east-1 (primary): no change');
    expect(run.stdout).toContain(
      'Nothing to do: every API asked is already in the target state. No call made.',
    );
    // the read of service1's two controls, no update
    expect(operations).toMatchObject({ GetRoutingControlState: READ_ONE_API, UpdateRoutingControlStates: 0 });
  });

  it('shows the plan and changes nothing with --dry-run', async () => {
    const states = cli.allStates();
    const run = await cli.run(['service1', '--to', 'secondary', '--dry-run']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      'service1  us-west-2 Off -> On, us-east-1 On -> Off   traffic us-east-1 -> us-west-2 (secondary)',
    );
    expect(run.stdout).toContain(
      'One UpdateRoutingControlStates call of 2 entries: applied all together or not at all.',
    );
    expect(run.stdout).toContain('Dry run: nothing changed.');
    expect(cli.allStates()).toEqual(states);
    expect(cli.auditLines().at(-1)).toMatchObject({ action: 'switch', outcome: 'dry-run' });
  });

  it('fails over by Region name and back with primary, reading the states back, one audit line each', async () => {
    const out = await cli.run(['service1', '--to', 'us-west-2', '--yes']);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain(
      'Switched service1: traffic now on us-west-2 (secondary); verified by reading the states back.',
    );
    expect(cli.states('service1')).toEqual(['Off', 'On']);
    expect([cli.state('service2', 'us-west-2'), cli.state('external-api', 'us-east-1')]).toEqual([
      'On',
      'On',
    ]);

    const back = await cli.run(['service1', '--to', 'primary', '--yes']);
    expect(back.exitCode).toBe(0);
    expect(back.stdout).toContain('traffic us-west-2 -> us-east-1 (primary)');
    expect(cli.states('service1')).toEqual(['On', 'Off']);

    const [there, again] = cli.auditOutcomes().slice(-2);
    expect(there).toMatchObject({
      action: 'switch',
      outcome: 'switched',
      verified: true,
      to: 'us-west-2',
      who: { accessKeyId: cli.bookmark.sandbox!.credentials.accessKeyId, user: expect.any(String) },
      plan: [{ api: 'service1', targetRegion: 'us-west-2', changes: true }],
      batches: [{ apis: ['service1'], applied: true, endpoint: expect.any(String) }],
    });
    expect(again).toMatchObject({ outcome: 'switched', to: 'primary' });
    expect(Date.parse(there!.at as string)).toBeLessThanOrEqual(Date.parse(again!.at as string));
  });

  it('asks on a terminal: "y" switches, anything else (Ctrl-C too) changes nothing', async () => {
    const [yes, no, ctrlC] = await Promise.all([
      cli.runOnTerminal(['service2', '--to', 'secondary'], 'y'),
      cli.runOnTerminal(['service3', '--to', 'secondary'], 'n'),
      cli.runOnTerminal(['service4', '--to', 'secondary'], '\x03'),
    ]);
    expect(yes.stdout).toContain('Apply this plan? [y/N]');
    expect(yes.exitCode).toBe(0);
    expect(cli.state('service2', 'us-east-1')).toBe('On');
    expect(no.exitCode).toBe(1);
    expect(no.stdout).toContain('error: not confirmed: nothing changed');
    expect(cli.state('service3', 'us-east-1')).toBe('On');
    expect(ctrlC.exitCode).toBe(1);
    expect(ctrlC.stdout).toContain('error: not confirmed: nothing changed');
    expect(cli.state('service4', primaryOf('service4'))).toBe('On');
    expect(cli.auditLines().map((l) => l.outcome)).toEqual(expect.arrayContaining(['declined']));
    const back = await cli.run(['service2', '--to', 'primary', '--yes']);
    expect(back.exitCode).toBe(0);
  });

  it('refuses to switch without a terminal to ask on unless --yes', async () => {
    const states = cli.allStates();
    const run = await cli.run(['service1', '--to', 'secondary']);
    expectFailure(
      run,
      2,
      'not switching without confirmation: no terminal to ask on; pass --yes (automation) or --dry-run (plan only)',
    );
    expect(cli.allStates()).toEqual(states);
  });
});

describe('what the CLI asks of the cluster', () => {
  // ListRoutingControls can be granted only on Resource "*": the operator policy does not grant it.
  it('reads with GetRoutingControlState and switches with UpdateRoutingControlStates, nothing else', async () => {
    const bookmark = oneEndpointBookmark();
    const only = (get: number, update: number) => ({
      GetRoutingControlState: get,
      ListRoutingControls: 0,
      UpdateRoutingControlState: 0,
      UpdateRoutingControlStates: update,
    });
    const status = await runCounting(['status', '--bookmark', bookmark]);
    expect(status.run.exitCode).toBe(0);
    expect(status.operations).toEqual(only(READ_ALL, 0));
    for (const to of ['secondary', 'primary']) {
      const { run, operations } = await runCounting([
        'service1',
        '--to',
        to,
        '--yes',
        '--bookmark',
        bookmark,
      ]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain('verified by reading the states back');
      // a read of service1's two controls, one update, and the read back of the same two
      expect(operations).toEqual(only(2 * READ_ONE_API, 1));
    }
    expect(cli.state('service1', 'us-west-2')).toBe('Off');
    expect(cli.state('service1', 'us-east-1')).toBe('On');
  });
});

describe('bad input: one line, non-zero exit, no change', () => {
  it('stops before sending anything', async () => {
    const before = cli.totalRequests();
    const withoutSandbox = { ...cli.bookmark, sandbox: undefined } as Bookmark;
    const noEndpoints = { ...cli.bookmark, endpoints: [] };
    const runs = await Promise.all([
      cli.run(['service9', '--to', 'secondary', '--yes']),
      cli.run(['service1', '--to', 'us-esat-1', '--yes']),
      cli.run(['service1', '--to', 'eu-west-1', '--yes']),
      cli.run(['--all', '--to', 'eu-west-1', '--yes']),
      cli.run(['status', '--bookmark', `${cli.dir}/missing.json`]),
      cli.run(['status', '--bookmark', cli.writeVariant('malformed.json', '{"version": 1,')]),
      cli.run(['status', '--bookmark', cli.writeVariant('no-endpoints.json', noEndpoints)]),
      failOverService1With('real.json', withoutSandbox),
      cli.run(['service1', '--to', 'secondary', '--yes', '--stage', 'prod']),
      cli.run(['service1', '--to', 'secondary', '--yes', '--override-safety-rule', 'no-such-rule']),
      cli.run(['sync', '--stage', 'prod', '--bookmark', `${cli.dir}/prod.json`]),
      cli.run(['sync', '--stage', 'nope']),
    ]);
    const [
      unknownApi,
      unknownRegion,
      notItsRegion,
      allNotThere,
      missing,
      malformed,
      noEndpointsRun,
      noCredentials,
      otherStage,
      unknownRule,
      syncWithoutCredentials,
      syncUnknownStage,
    ] = runs;
    expectFailure(unknownApi!, 2, `unknown API "service9" (known: ${apis.join(', ')})`);
    expectFailure(
      unknownRegion!,
      2,
      /--to us-esat-1: not a Region; give primary, secondary or a Region name/,
    );
    expectFailure(
      notItsRegion!,
      2,
      'service1 does not run in eu-west-1 (its Regions: us-east-1 primary, us-west-2 secondary)',
    );
    expectFailure(
      allNotThere!,
      2,
      'external-api does not run in eu-west-1 (its Regions: us-east-1 primary, us-west-2 secondary)',
    );
    expectFailure(
      missing!,
      1,
      /no bookmark file at .*missing\.json: run "npm run switch -- sync" in peacetime/,
    );
    expectFailure(malformed!, 1, /malformed\.json: not valid JSON/);
    expectFailure(noEndpointsRun!, 1, /no-endpoints\.json: it lists no cluster endpoints/);
    expectFailure(
      noCredentials!,
      1,
      /no AWS credentials found \(.*\): set AWS_PROFILE to the failover operator's profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
    expectFailure(otherStage!, 2, /bookmark\.json is the bookmark of stage "test", not "prod"/);
    expectFailure(
      unknownRule!,
      2,
      /--override-safety-rule no-such-rule: no safety rule of that name in the bookmark/,
    );
    expectFailure(
      syncWithoutCredentials!,
      1,
      /no AWS credentials found \(.*\): sync reads the ARC stack in us-west-2; set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
    expect(existsSync(`${cli.dir}/prod.json`)).toBe(false);
    expectFailure(syncUnknownStage!, 1, /stages\.nope: unknown stage \(known: local, prod\)/);
    for (const run of runs) expect(run.stdout).toBe('');
    expect(cli.totalRequests()).toBe(before);
  });

  it('refuses a hand-edited bookmark before any call: a path as its stage, an ARN of another API', async () => {
    const before = cli.totalRequests();
    const states = cli.allStates();
    const swapped = cli.bookmark;
    const service1 = swapped.services[1]!;
    service1.routingControls['us-east-1'] = swapped.services[2]!.routingControls['us-west-2']!;
    const [pathStage, otherApis] = await Promise.all([
      failOverService1With('path-stage.json', { ...cli.bookmark, stage: '../../etc/x' }),
      failOverService1With('swapped.json', swapped),
    ]);
    expectFailure(
      pathStage,
      1,
      /path-stage\.json: stage "\.\.\/\.\.\/etc\/x": not a stage name \(lower-case letters, digits and dashes\); write it again with "npm run switch -- sync"\n$/,
    );
    expectFailure(
      otherApis,
      1,
      `${cli.dir}/swapped.json: services[1] (service1).routingControls.us-east-1 ${service1.routingControls['us-east-1']}: not a routing control of the API's control panel (${service1.controlPanelArn}/routingcontrol/<id>); write it again with "npm run switch -- sync"`,
    );
    expect(cli.totalRequests()).toBe(before);
    expect(cli.allStates()).toEqual(states);
  });

  it('refuses a bookmark whose ARN is not in the cluster, or credentials the cluster rejects', async () => {
    const states = cli.allStates();
    const stale = cli.bookmark;
    // a routing control of service1's panel that the cluster no longer has
    const fake = `${stale.services[1]!.controlPanelArn}/routingcontrol/ffff`;
    stale.services[1]!.routingControls['us-east-1'] = fake;
    const wrongSecret = {
      ...cli.bookmark,
      sandbox: { credentials: { ...cli.bookmark.sandbox!.credentials, secretAccessKey: 'wrong' } },
    };
    const readOnly = { ...cli.bookmark, sandbox: { credentials: SANDBOX_READ_ONLY_CREDENTIALS } };
    const [staleRun, wrongRun, readOnlyRun] = await Promise.all([
      failOverService1With('stale.json', stale),
      cli.run(['status', '--bookmark', cli.writeVariant('wrong-secret.json', wrongSecret)]),
      failOverService1With('read-only.json', readOnly),
    ]);
    expectFailure(
      staleRun,
      1,
      `routing control ${fake} (service1 in us-east-1) is not in cluster ${cli.emulator.clusterArn}: the bookmark is stale; restart the sandbox ("npm start") to write it again`,
    );
    expectFailure(
      wrongRun,
      1,
      /the [a-z0-9-]+ endpoint refused to read the routing control states \(InvalidSignatureException, HTTP 403\): .*; check the credentials/,
    );
    expectFailure(
      readOnlyRun,
      1,
      /the [a-z0-9-]+ endpoint refused to update the routing controls \(AccessDeniedException, HTTP 403\)/,
    );
    expect(readOnlyRun.stdout).toContain('Plan:');
    expect(cli.allStates()).toEqual(states);
  });
});

describe('safety rules', () => {
  it('explains a refusal in one line naming the rule, and --override-safety-rule <name> breaks the glass', async () => {
    expect((await cli.run(['service5', '--to', 'secondary', '--yes'])).exitCode).toBe(0);
    const states = cli.allStates();
    const gate = cli.bookmark.safetyRules.find((r) => r.name === GATE)!;

    const refused = await cli.run(['service6', '--to', 'secondary', '--yes']);
    expectFailure(
      refused,
      1,
      new RegExp(
        `^error: safety rule "${GATE}" refused the change, nothing was changed: .*gating rule "${GATE}" \\(${gate.arn}\\).*Wait and retry, change the plan, or break glass with --override-safety-rule ${GATE}\\n$`,
      ),
    );
    expect(cli.allStates()).toEqual(states);
    expect(cli.auditLines().at(-1)).toMatchObject({
      outcome: 'failed',
      error: expect.stringContaining(GATE),
    });

    const json = await cli.run(['service6', '--to', 'secondary', '--yes', '--json']);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      outcome: 'failed',
      error: expect.stringContaining(gate.arn),
      verified: false,
    });

    const overridden = await cli.run([
      'service6',
      '--to',
      'secondary',
      '--yes',
      '--override-safety-rule',
      GATE,
    ]);
    expect(overridden.exitCode).toBe(0);
    expect(overridden.stdout).toContain(`Overriding safety rules: ${gate.arn}`);
    expect([
      cli.state('service6', primaryOf('service6')),
      cli.state('service6', secondaryOf('service6')),
    ]).toEqual(['Off', 'On']);
  });

  it('reports a partial switch when a later batch is refused, and the same command finishes it', async () => {
    expect(
      (await cli.run(['--all', '--to', 'primary', '--yes', '--override-safety-rule', GATE])).exitCode,
    ).toBe(0);
    const run = await cli.run(['--all', '--to', 'secondary', '--yes']);
    // routing did partly change: exit 3, not 1
    expectFailure(
      run,
      3,
      new RegExp(
        `^error: PARTIAL SWITCH: external-api, service1, service2, service3, service4 switched, the rest not \\(run the same command again to finish\\): safety rule "${GATE}"`,
      ),
    );
    for (const api of ['external-api', 'service1', 'service2', 'service3', 'service4']) {
      expect(cli.state(api, secondaryOf(api))).toBe('On');
    }
    expect(cli.state('service5', primaryOf('service5'))).toBe('On');
    expect(cli.state('service6', primaryOf('service6'))).toBe('On');

    const finish = await cli.run([
      '--all',
      '--to',
      'secondary',
      '--yes',
      '--override-safety-rule',
      gateArn(),
    ]);
    expect(finish.exitCode).toBe(0);
    expect(finish.stdout).toContain('service1      already on us-west-2 (secondary): no change');
    expect(finish.stdout).toContain('One UpdateRoutingControlStates call of 4 entries');
    for (const api of apis) expect(cli.state(api, secondaryOf(api))).toBe('On');
  });
});

function gateArn(): string {
  return cli.bookmark.safetyRules.find((r) => r.name === GATE)!.arn;
}
