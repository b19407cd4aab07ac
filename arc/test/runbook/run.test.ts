import type { ApprovalStepReport, SwitchStepReport } from '../../src/report/model';
import { runRunbook } from '../../src/runbook';
import { topologyWith } from '@arc-failover/testing';
import { RunbookWorld } from './harness';

// Whole runbook runs against the cluster emulator, loopback Regional URLs and a proof that answers at once.

let world: RunbookWorld;
beforeEach(async () => {
  world = await RunbookWorld.start();
});
afterEach(() => world.close());

describe('running a runbook', () => {
  it('evacuates us-east-1: the services, then once approved the public entry, each step proven', async () => {
    const asked: unknown[] = [];
    const report = await runRunbook(
      world.context(world.runbook('evacuate-us-east-1'), {
        askApproval: (step, apis) => {
          asked.push({ step, apis });
          return Promise.resolve({ approved: true, by: 'alice' });
        },
      }),
    );

    expect(report).toMatchObject({
      kind: 'runbook',
      runbook: 'evacuate-us-east-1',
      outcome: 'proven',
      exitCode: 0,
    });
    expect(report.error).toBeUndefined();
    expect(['external-api', 'service1', 'service2'].map((api) => world.serving(api))).toEqual([
      'us-west-2',
      'us-west-2',
      'us-west-2',
    ]);
    // the services' controls changed first, the public entry's last
    expect(world.changes).toEqual([
      ['service1', 'us-west-2', 'On'],
      ['service1', 'us-east-1', 'Off'],
      ['external-api', 'us-west-2', 'On'],
      ['external-api', 'us-east-1', 'Off'],
    ]);
    const [first, approval, last] = report.steps as [SwitchStepReport, ApprovalStepReport, SwitchStepReport];
    expect(first).toMatchObject({
      kind: 'switch',
      index: 0,
      target: 'us-west-2',
      outcome: 'proven',
      apis: [
        { api: 'service1', from: 'us-east-1', to: 'us-west-2', role: 'secondary', changes: true },
        { api: 'service2', from: 'us-west-2', to: 'us-west-2', role: 'primary', changes: false },
      ],
      batches: [{ apis: ['service1'], applied: true }],
      readiness: [{ api: 'service1', region: 'us-west-2', ready: true, status: 200 }],
      verified: true,
      proof: { proven: true },
    });
    expect(first.endpoints.map((c) => c.call)).toEqual(['read', 'update 1/1', 'read back']);
    expect(approval).toMatchObject({
      kind: 'approval',
      outcome: 'done',
      via: 'terminal',
      approvedBy: 'alice',
      apis: ['external-api'],
      note: 'the services serve from us-west-2: move the public entry',
    });
    expect(approval.waitedMs).toEqual(expect.any(Number));
    expect(asked).toEqual([
      {
        step: {
          index: 1,
          total: 3,
          note: 'the services serve from us-west-2: move the public entry',
          timeoutSeconds: 1800,
        },
        apis: ['external-api'],
      },
    ]);
    expect(last).toMatchObject({ outcome: 'proven', batches: [{ apis: ['external-api'], applied: true }] });
    // in order, each with its times
    for (const step of report.steps) expect(step.finishedAt! >= step.startedAt!).toBe(true);
    expect(first.finishedAt! <= approval.startedAt!).toBe(true);
    expect(approval.finishedAt! <= last.startedAt!).toBe(true);
    // each proof counts from its own step's update
    expect(world.proofs.map((p) => [p.moves.map((m) => `${m.api.name} ${m.region}`), p.since])).toEqual([
      [['service1 us-west-2'], Date.parse(first.updateSentAt!)],
      [['external-api us-west-2'], Date.parse(last.updateSentAt!)],
    ]);
    expect(report.finishedAt).toEqual(expect.any(String));
  });

  it('tells each event as one line, numbering the steps', async () => {
    await runRunbook(world.context(world.runbook('evacuate-us-east-1')));
    const lines = world.events.map((e) => `${e.type} ${e.step ?? '-'} ${e.message}`);
    expect(lines.filter((l) => !l.startsWith('evaluation'))).toEqual([
      'step-start 0 step 1/3 switch service1, service2 -> us-west-2: service1 us-east-1 -> us-west-2, service2 already on us-west-2 (one atomic call)',
      expect.stringMatching(
        /^readiness 0 step 1\/3 switch service1, service2 -> us-west-2: readiness ok \(service1 us-west-2 HTTP 200 \d+ ms\)$/,
      ),
      'update 0 step 1/3: update 1/1 sent (service1: 2 entries)',
      expect.stringMatching(/^update 0 step 1\/3: update 1\/1 applied by the [a-z]+-[a-z]+-\d endpoint$/),
      'read-back 0 step 1/3: read back: service1 on us-west-2 (secondary), service2 on us-west-2 (primary)',
      'dns 0 step 1/3: DNS shows us-west-2 after 0.4 s, HTTP after 0.6 s',
      expect.stringMatching(/^step-done 0 step 1\/3 proven after \d+\.\d s$/),
      'step-start 1 step 2/3 approval: the services serve from us-west-2: move the public entry',
      'approval-wait 1 step 2/3 approval: asking on the terminal (no approval gate for external-api)',
      expect.stringMatching(/^approved 1 step 2\/3 approval: approved by alice after \d+\.\d s$/),
      expect.stringMatching(/^step-done 1 step 2\/3 done after \d+\.\d s$/),
      'step-start 2 step 3/3 switch external-api -> us-west-2: external-api us-east-1 -> us-west-2 (one atomic call)',
      expect.stringMatching(
        /^readiness 2 step 3\/3 switch external-api -> us-west-2: readiness ok \(external-api us-west-2 HTTP 200 \d+ ms\)$/,
      ),
      'update 2 step 3/3: update 1/1 sent (external-api: 2 entries)',
      expect.stringMatching(/^update 2 step 3\/3: update 1\/1 applied by the .* endpoint$/),
      'read-back 2 step 3/3: read back: external-api on us-west-2 (secondary)',
      'dns 2 step 3/3: DNS shows us-west-2 after 0.4 s, HTTP after 0.6 s',
      expect.stringMatching(/^step-done 2 step 3\/3 proven after \d+\.\d s$/),
      expect.stringMatching(/^run-done - runbook evacuate-us-east-1: proven after \d+\.\d s$/),
    ]);
    for (const event of world.events) expect(new Date(event.at).toISOString()).toBe(event.at);
  });

  it('stops at a declined approval: the run failed midway, exit 3 since step 1 switched', async () => {
    const report = await runRunbook(
      world.context(world.runbook('evacuate-us-east-1'), {
        askApproval: () => Promise.resolve({ approved: false, by: 'bob' }),
      }),
    );
    expect(report).toMatchObject({
      outcome: 'failed',
      exitCode: 3,
      error: 'step 2/3 approval: declined by bob; nothing more changed',
    });
    expect(report.steps.map((s) => s.outcome)).toEqual(['proven', 'refused', 'pending']);
    expect((report.steps[1] as ApprovalStepReport).approvedBy).toBe('bob');
    expect(world.serving('external-api')).toBe('us-east-1');
  });

  it('stops at a step the proof could not confirm: not-proven, exit 4, later steps pending', async () => {
    world.notProven = true;
    const report = await runRunbook(world.context(world.runbook('evacuate-us-east-1')));
    expect(report).toMatchObject({ outcome: 'not-proven', exitCode: 4 });
    expect(report.error).toBe(
      "step 1/3: switched, but not proven within --wait-timeout 2 s: the name servers still answer A 127.0.0.2 (us-east-1) for service1.example.com, not us-west-2's record; https://service1.example.com/ for service1: answered from us-east-1, not us-west-2",
    );
    expect(report.steps.map((s) => s.outcome)).toEqual(['not-proven', 'pending', 'pending']);
    expect(world.messages('step-failed')).toEqual([report.error]);
    expect(world.serving('service1')).toBe('us-west-2');
    expect(world.serving('external-api')).toBe('us-east-1');
  });

  it('stops a wait step at once on halt: interrupted, the steps after it pending', async () => {
    const halt = new AbortController();
    const started = performance.now();
    const report = await runRunbook(
      world.context(
        {
          name: 'with-a-wait',
          steps: [
            { kind: 'switch', apis: ['service1'], to: 'secondary' },
            { kind: 'wait', seconds: 30 },
            { kind: 'switch', apis: ['external-api'], to: 'secondary' },
          ],
        },
        {
          halt: halt.signal,
          onEvent: (event) => {
            world.events.push(event);
            if (event.type === 'wait') setTimeout(() => halt.abort(), 50);
          },
        },
      ),
    );
    expect(performance.now() - started).toBeLessThan(5000);
    expect(report).toMatchObject({ outcome: 'interrupted', exitCode: 130 });
    expect(report.error).toMatch(/^step 2\/3 interrupted during its wait, after \d+\.\d s of 30 s$/);
    expect(report.steps.map((s) => s.outcome)).toEqual(['proven', 'interrupted', 'pending']);
    expect(world.messages('wait')).toEqual([expect.stringMatching(/^step 2\/3 wait: 30 s, until \d{4}-/)]);
    expect(world.serving('external-api')).toBe('us-east-1');
  });

  it('lets the update in flight finish on halt during a switch, reads back, and runs no further step', async () => {
    const halt = new AbortController();
    const report = await runRunbook(
      world.context(world.runbook('evacuate-us-east-1'), {
        halt: halt.signal,
        onEvent: (event) => {
          world.events.push(event);
          if (event.type === 'update' && event.message.includes('sent')) halt.abort();
        },
      }),
    );
    expect(report).toMatchObject({ outcome: 'interrupted', exitCode: 130 });
    expect(report.error).toBe('step 1/3 interrupted: the switch took effect, as read back from the cluster');
    expect(report.steps.map((s) => s.outcome)).toEqual(['interrupted', 'pending', 'pending']);
    expect((report.steps[0] as SwitchStepReport).verified).toBe(true);
    expect(world.serving('service1')).toBe('us-west-2');
    expect(world.proofs).toEqual([]);
  });

  it('stops an approval asked on the terminal at once on halt', async () => {
    const halt = new AbortController();
    const report = await runRunbook(
      world.context(world.runbook('evacuate-us-east-1'), {
        halt: halt.signal,
        askApproval: () => {
          setTimeout(() => halt.abort(), 20);
          return new Promise(() => undefined);
        },
      }),
    );
    expect(report).toMatchObject({
      outcome: 'interrupted',
      exitCode: 130,
      error: 'step 2/3 interrupted while waiting for an approval',
    });
    expect(report.steps.map((s) => s.outcome)).toEqual(['proven', 'interrupted', 'pending']);
  });

  it('fails an approval nobody answers within its timeout, leaving nothing running', async () => {
    const runbook = world.runbook('evacuate-us-east-1');
    runbook.steps[1] = { kind: 'approval', timeoutSeconds: 1 };
    const report = await runRunbook(
      world.context(runbook, { askApproval: () => new Promise(() => undefined) }),
    );
    expect(report).toMatchObject({
      outcome: 'failed',
      exitCode: 3,
      error: 'step 2/3 approval: no answer within 1 s; nothing more changed',
    });
    expect(report.steps.map((s) => s.outcome)).toEqual(['proven', 'failed', 'pending']);
  });

  it('refuses a step whose target stopped answering after the evaluation: exit 3 after an earlier switch', async () => {
    const report = await runRunbook(
      world.context(world.runbook('evacuate-us-east-1'), {
        onEvent: (event) => {
          world.events.push(event);
          if (event.type === 'approved') world.answer('external-api', 'us-west-2', 500);
        },
      }),
    );
    expect(report).toMatchObject({ outcome: 'failed', exitCode: 3 });
    expect(report.steps.map((s) => s.outcome)).toEqual(['proven', 'done', 'refused']);
    expect(world.messages('readiness').at(-1)).toMatch(
      /^step 3\/3 switch external-api -> us-west-2: readiness FAILED \(external-api us-west-2 HTTP 500 \d+ ms\)$/,
    );
    expect((report.steps[2] as SwitchStepReport).batches).toMatchObject([{ applied: false }]);
    expect(world.serving('external-api')).toBe('us-east-1');
  });

  it('refuses a step the cluster refuses with its safety rule named, exit 3 after an earlier switch', async () => {
    const rule = world.emulator.addSafetyRule({
      Name: 'external-api-both-on',
      AssertedControls: ['us-east-1', 'us-west-2'].map((r) =>
        world.emulator.routingControlArn('external-api', r),
      ),
      RuleConfig: { Type: 'AND', Threshold: 0, Inverted: false },
    });
    world.bookmark.safetyRules = world.emulator.bookmark().safetyRules;
    const report = await runRunbook(world.context(world.runbook('evacuate-us-east-1')));

    expect(report).toMatchObject({ outcome: 'failed', exitCode: 3 });
    expect(report.error).toMatch(
      new RegExp(
        `^step 3/3: safety rule "external-api-both-on" refused the change, nothing was changed: Cannot update routing control states: assertion rule "external-api-both-on" \\(${rule.replace(/[/.]/g, '\\$&')}\\) needs all of .* On, .*--override-safety-rule external-api-both-on$`,
      ),
    );
    expect(report.steps.map((s) => s.outcome)).toEqual(['proven', 'done', 'refused']);
    expect((report.steps[2] as SwitchStepReport).batches).toMatchObject([{ applied: false }]);
    expect(world.serving('external-api')).toBe('us-east-1');
  });

  it('sends a step too large for one call in several, and notes it is not atomic', async () => {
    await world.close();
    world = await RunbookWorld.start({ base: topologyWith(5) });
    const apis = world.topology.all.map((api) => api.name);
    const report = await runRunbook(
      world.context({ name: 'all-at-once', steps: [{ kind: 'switch', apis, to: 'us-west-2' }] }),
    );
    expect(report.outcome).toBe('proven');
    const step = report.steps[0] as SwitchStepReport & { notes?: string[] };
    expect(step.batches.map((b) => b.apis.length)).toEqual([4]);
    expect(step.notes).toBeUndefined();
    expect(world.messages('step-start')).toEqual([expect.stringMatching(/\(one atomic call\)$/)]);

    const back = await runRunbook(
      world.context({
        name: 'all-back',
        steps: [{ kind: 'switch', apis, to: 'us-east-1' }],
      }),
    );
    const again = back.steps[0] as SwitchStepReport & { notes?: string[] };
    expect(again.batches.map((b) => b.apis.length)).toEqual([5, 1]);
    expect(again.notes).toEqual([
      '2 UpdateRoutingControlStates calls (at most 10 entries each, whole control panels): not atomic across calls',
    ]);
    expect(back.outcome).toBe('proven');
  });
});
