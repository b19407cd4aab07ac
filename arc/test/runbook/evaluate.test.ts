import { evaluateRunbook, runRunbook } from '../../src/runbook';
import { RunbookWorld } from './harness';

// The evaluation before a runbook's first step, against the cluster emulator and loopback Regional URLs:
// any failed check refuses the run, with nothing changed.

let world: RunbookWorld;
beforeEach(async () => {
  world = await RunbookWorld.start();
});
afterEach(() => world.close());

const STATES_BEFORE = { 'external-api': 'us-east-1', service1: 'us-east-1', service2: 'us-west-2' };
const serving = () => Object.fromEntries(Object.keys(STATES_BEFORE).map((api) => [api, world.serving(api)]));

describe('evaluating a runbook', () => {
  it('passes every check and plans each switch step against the states the earlier steps leave', async () => {
    const runbook = world.runbook('evacuate-us-east-1');
    const reads = world.emulator.operationCounts().GetRoutingControlState;
    const evaluation = await evaluateRunbook(world.context(runbook));

    expect(evaluation.ok).toBe(true);
    expect(evaluation.checks.map((c) => [c.check, c.ok])).toEqual([
      ['bookmark', true],
      ['credentials', true],
      ['states', true],
      ['readiness', true],
      ['safety rules', true],
      ['approvals', true],
      ['proof', true],
    ]);
    const detail = (check: string) => evaluation.checks.find((c) => c.check === check)!.detail;
    expect(detail('bookmark')).toBe('service1, service2, external-api are in the bookmark of stage local');
    expect(detail('readiness')).toMatch(
      /^every API that will move answers: service1 us-west-2 HTTP 200 \d+ ms, external-api us-west-2 HTTP 200 \d+ ms$/,
    );
    expect(detail('approvals')).toBe(
      'approval step 2: asked on the terminal (no approval gate for external-api)',
    );
    // one read of the six routing controls the runbook switches
    expect(world.emulator.operationCounts().GetRoutingControlState - reads).toBe(6);
    expect(
      evaluation.steps.map((s) => [
        s.index,
        s.plan.apis.map((a) => [a.api.name, a.servingBefore, a.changes]),
      ]),
    ).toEqual([
      [
        0,
        [
          ['service1', 'us-east-1', true],
          ['service2', 'us-west-2', false],
        ],
      ],
      [2, [['external-api', 'us-east-1', true]]],
    ]);
    expect(serving()).toEqual(STATES_BEFORE);
  });

  it('plans a later step of an API an earlier step moved as already in place', async () => {
    const evaluation = await evaluateRunbook(
      world.context({
        name: 'twice',
        steps: [
          { kind: 'switch', apis: ['service1'], to: 'secondary' },
          { kind: 'switch', apis: ['service1', 'external-api'], to: 'us-west-2' },
        ],
      }),
    );
    expect(evaluation.steps[1]!.plan.apis.map((a) => [a.api.name, a.changes])).toEqual([
      ['service1', false],
      ['external-api', true],
    ]);
  });

  it('refuses an API the bookmark does not have, reading nothing', async () => {
    world.bookmark.services = world.bookmark.services.filter((s) => s.name !== 'external-api');
    const reads = world.emulator.operationCounts().GetRoutingControlState;
    const report = await runRunbook(world.context(world.runbook('evacuate-us-east-1')));

    expect(report).toMatchObject({ outcome: 'refused', exitCode: 1 });
    expect(report.evaluation).toEqual([
      {
        check: 'bookmark',
        ok: false,
        detail:
          'external-api is not in the bookmark of stage local (it has service1, service2): write it again with npm run switch -- sync',
      },
      { check: 'credentials', ok: true, detail: 'access key AKIAARCFAILOVERLOCAL' },
    ]);
    expect(report.error).toBe(
      'runbook evacuate-us-east-1 refused before its first step, nothing changed: external-api is not in the bookmark of stage local (it has service1, service2): write it again with npm run switch -- sync',
    );
    expect(report.steps.map((s) => s.outcome)).toEqual(['pending', 'pending', 'pending']);
    expect(world.emulator.operationCounts().GetRoutingControlState).toBe(reads);
    expect(world.updates()).toBe(0);
  });

  it('refuses when a target that will move answers 503, before the first step: nothing changed', async () => {
    world.answer('external-api', 'us-west-2', 503);
    const report = await runRunbook(world.context(world.runbook('evacuate-us-east-1')));

    expect(report).toMatchObject({ outcome: 'refused', exitCode: 1 });
    const url = world.bookmark.services.find((s) => s.name === 'external-api')!.regions!['us-west-2']!.url;
    expect(report.evaluation!.find((c) => c.check === 'readiness')).toEqual({
      check: 'readiness',
      ok: false,
      detail: expect.stringMatching(
        new RegExp(`^external-api is not ready in us-west-2: GET ${url} answered HTTP 503 after \\d+ ms$`),
      ),
    });
    expect(world.updates()).toBe(0);
    expect(world.changes).toEqual([]);
    expect(serving()).toEqual(STATES_BEFORE);
    expect(world.messages('evaluation')).toContainEqual(
      expect.stringMatching(/^evaluation: FAILED readiness: external-api is not ready in us-west-2/),
    );
    expect(world.messages('run-done')).toEqual([
      expect.stringMatching(/^runbook evacuate-us-east-1: refused \(exit 1\) after \d+\.\d s$/),
    ]);
  });

  it('refuses when a target refuses the connection', async () => {
    await world.refuse('service1', 'us-west-2');
    const report = await runRunbook(world.context(world.runbook('evacuate-us-east-1')));

    expect(report.outcome).toBe('refused');
    expect(report.evaluation!.find((c) => c.check === 'readiness')!.detail).toMatch(
      /^service1 is not ready in us-west-2: GET http:\/\/127\.0\.0\.1:\d+\/ answered refused \(ECONNREFUSED/,
    );
    expect(world.updates()).toBe(0);
  });

  it('records --skip-readiness as a check that passes, and asks nothing of the Regional URLs', async () => {
    await world.refuse('service1', 'us-west-2');
    const evaluation = await evaluateRunbook({
      ...world.context(world.runbook('evacuate-us-east-1')),
      readiness: undefined,
    });
    expect(evaluation.ok).toBe(true);
    expect(evaluation.checks.find((c) => c.check === 'readiness')).toEqual({
      check: 'readiness',
      ok: true,
      detail: 'readiness skipped (--skip-readiness)',
    });
  });

  it('refuses without credentials', async () => {
    const report = await runRunbook({
      ...world.context(world.runbook('evacuate-us-east-1')),
      credentials: undefined,
    });
    expect(report).toMatchObject({ outcome: 'refused', exitCode: 1 });
    expect(report.evaluation!.find((c) => !c.ok)!.detail).toMatch(
      /^no credentials to sign with: set AWS_PROFILE/,
    );
    expect(world.updates()).toBe(0);
  });

  it('refuses an approval step without gate when nobody can be asked', async () => {
    const report = await runRunbook({
      ...world.context(world.runbook('evacuate-us-east-1')),
      canAskApproval: false,
    });
    expect(report.outcome).toBe('refused');
    expect(report.evaluation!.find((c) => c.check === 'approvals')).toEqual({
      check: 'approvals',
      ok: false,
      detail: 'approval step 2 needs an approver: run on a terminal or turn on the approval gate',
    });
    expect(world.updates()).toBe(0);
  });

  it('refuses a bookmark that cannot prove the switch: no name servers', async () => {
    delete world.bookmark.nameServers;
    const evaluation = await evaluateRunbook(world.context(world.runbook('evacuate-us-east-1')));
    expect(evaluation.ok).toBe(false);
    expect(evaluation.checks.find((c) => c.check === 'proof')!.detail).toMatch(
      /^the bookmark lists no name servers of the hosted zone/,
    );
  });

  it('names the routing controls it could not read', async () => {
    world.bookmark.services[1]!.routingControls['us-west-2'] =
      `${world.bookmark.services[1]!.controlPanelArn}/routingcontrol/0000000000000000`;
    const evaluation = await evaluateRunbook(world.context(world.runbook('evacuate-us-east-1')));
    expect(evaluation.ok).toBe(false);
    expect(evaluation.checks.at(-1)).toEqual({
      check: 'states',
      ok: false,
      detail: expect.stringMatching(
        /^routing control .*\/routingcontrol\/0000000000000000 \(service1 in us-west-2\) is not in cluster .*: the bookmark is stale$/,
      ),
    });
  });
});
