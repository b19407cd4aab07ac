import { loadTopology } from '@arc-failover/shared';
import type { ExecutionReport, StepReport, SwitchStepReport } from '../../src/report/model';
import { planResume, ResumeRefused, runRunbook } from '../../src/runbook';
import { newReport, RunbookWorld } from './harness';

const evacuate = () => loadTopology('local').runbooks.find((r) => r.name === 'evacuate-us-east-1')!;

/** A previous run's report with these step outcomes. */
function previous(
  outcomes: StepReport['outcome'][],
  changes: Partial<ExecutionReport> = {},
): ExecutionReport {
  const runbook = evacuate();
  return {
    ...newReport({
      stage: 'local',
      clusterArn: 'arn:aws:route53-recovery-control::111122223333:cluster/c',
    } as never),
    runbook: runbook.name,
    steps: runbook.steps.map((step, index): StepReport => {
      const outcome = outcomes[index]!;
      if (step.kind === 'switch') {
        return {
          kind: 'switch',
          index,
          target: step.to,
          outcome,
          apis: [],
          batches: [],
          endpoints: [],
          overrides: [],
        };
      }
      if (step.kind === 'approval') return { kind: 'approval', index, outcome, apis: [], via: 'terminal' };
      return { kind: 'wait', index, outcome, seconds: step.seconds };
    }),
    ...changes,
  };
}

describe('planning a resume', () => {
  it('starts at the approval before the first switch step left to run, skipping what was proven', () => {
    expect(planResume(evacuate(), previous(['proven', 'done', 'refused']))).toEqual({
      startAt: 1,
      skipped: [0],
    });
    expect(planResume(evacuate(), previous(['proven', 'failed', 'pending']))).toEqual({
      startAt: 1,
      skipped: [0],
    });
    expect(planResume(evacuate(), previous(['not-proven', 'pending', 'pending']))).toEqual({
      startAt: 0,
      skipped: [],
    });
    expect(planResume(evacuate(), previous(['skipped', 'done', 'proven']))).toEqual({
      startAt: 3,
      skipped: [0, 1, 2],
    });
    expect(planResume(evacuate(), previous(['already-in-place', 'pending', 'pending']))).toEqual({
      startAt: 1,
      skipped: [0],
    });
  });

  it('refuses the report of another runbook, another stage, a single switch, or a runbook since changed', () => {
    const refusal = (report: ExecutionReport, stage = 'local') => {
      try {
        planResume(evacuate(), report, stage);
      } catch (error) {
        expect(error).toBeInstanceOf(ResumeRefused);
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    const failed = previous(['proven', 'done', 'failed']);
    expect(refusal({ ...failed, runbook: 'return-to-primary' })).toBe(
      'the report run-1 is of the runbook return-to-primary, not evacuate-us-east-1: resume a run of the same runbook',
    );
    expect(refusal(failed, 'prod')).toBe(
      'the report run-1 is of stage local, not prod: resume a run in the same stage',
    );
    expect(refusal({ ...failed, kind: 'switch' })).toBe(
      'the report run-1 is of a single switch, not of a runbook run: nothing to resume',
    );
    expect(refusal({ ...failed, steps: failed.steps.slice(0, 2) })).toBe(
      'the runbook evacuate-us-east-1 has changed since the run run-1 (2 steps then, 3 now): start a new run instead',
    );
    const moved = structuredClone(failed);
    (moved.steps[2] as SwitchStepReport).target = 'primary';
    expect(refusal(moved)).toBe(
      'the runbook evacuate-us-east-1 has changed since the run run-1 (step 3): start a new run instead',
    );
  });
});

describe('resuming a run against the cluster', () => {
  let world: RunbookWorld;
  beforeEach(async () => {
    world = await RunbookWorld.start();
  });
  afterEach(() => world.close());

  it('continues from a failed step: the proven step skipped, the approval before it asked again', async () => {
    const first = await runRunbook(
      world.context(world.runbook('evacuate-us-east-1'), {
        onEvent: (event) => {
          world.events.push(event);
          // the public entry's target fails after the evaluation found it ready
          if (event.type === 'step-start' && event.step === 0) world.answer('external-api', 'us-west-2', 503);
        },
      }),
    );
    expect(first).toMatchObject({ outcome: 'failed', exitCode: 3 });
    expect(first.error).toMatch(
      /^step 3\/3 refused, nothing changed: external-api is not ready in us-west-2: GET .* answered HTTP 503 after \d+ ms$/,
    );
    expect(first.steps.map((s) => s.outcome)).toEqual(['proven', 'done', 'refused']);
    expect((first.steps[2] as SwitchStepReport).readiness).toMatchObject([{ ready: false, status: 503 }]);
    expect(world.serving('external-api')).toBe('us-east-1');

    world.answer('external-api', 'us-west-2', 200);
    const updates = world.updates();
    const asked: number[] = [];
    world.events.splice(0);
    const second = await runRunbook(
      world.context(world.runbook('evacuate-us-east-1'), {
        report: newReport(world.bookmark, 'run-2'),
        resume: first,
        askApproval: (step) => {
          asked.push(step.index);
          return Promise.resolve({ approved: true, by: 'carol' });
        },
      }),
    );

    expect(second).toMatchObject({ id: 'run-2', outcome: 'proven', exitCode: 0 });
    expect(second.steps.map((s) => s.outcome)).toEqual(['skipped', 'done', 'proven']);
    expect(second.steps[0]).toMatchObject({ notes: ['proven in the run run-1'], proof: { proven: true } });
    expect(asked).toEqual([1]);
    expect(world.updates() - updates).toBe(1);
    expect(world.serving('external-api')).toBe('us-west-2');
    // the evaluation covers what is left to run
    expect(second.evaluation!.find((c) => c.check === 'states')!.detail).toMatch(
      /^2 routing controls of external-api read from/,
    );
    expect(world.messages('step-done')[0]).toBe(
      'step 1/3 switch service1, service2 -> us-west-2: skipped (proven in the run run-1)',
    );
  });

  it('proves again a step an earlier run moved without proving it, without sending it again', async () => {
    world.notProven = true;
    const first = await runRunbook(world.context(world.runbook('evacuate-us-east-1')));
    expect(first).toMatchObject({ outcome: 'not-proven', exitCode: 4 });
    const updates = world.updates();

    world.notProven = false;
    world.proofs.splice(0);
    const second = await runRunbook(
      world.context(world.runbook('evacuate-us-east-1'), {
        report: newReport(world.bookmark, 'run-2'),
        resume: first,
      }),
    );
    expect(second).toMatchObject({ outcome: 'proven', exitCode: 0 });
    expect(second.steps.map((s) => s.outcome)).toEqual(['already-in-place', 'done', 'proven']);
    expect((second.steps[0] as SwitchStepReport).proof).toMatchObject({ proven: true });
    expect(world.proofs.map((p) => p.moves.map((m) => m.api.name))).toEqual([['service1'], ['external-api']]);
    // only the public entry's update: step 1 was in place
    expect(world.updates() - updates).toBe(1);
  });

  it('has nothing to do for a run that completed', async () => {
    const first = await runRunbook(world.context(world.runbook('evacuate-us-east-1')));
    const updates = world.updates();
    const again = await runRunbook(
      world.context(world.runbook('evacuate-us-east-1'), {
        report: newReport(world.bookmark, 'run-2'),
        resume: first,
      }),
    );
    expect(again).toMatchObject({ outcome: 'proven', exitCode: 0 });
    expect(again.steps.map((s) => s.outcome)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(world.updates()).toBe(updates);
  });

  it('refuses a resume of another runbook before anything is read', async () => {
    const first = await runRunbook(world.context(world.runbook('evacuate-us-east-1')));
    await expect(
      runRunbook(world.context(world.runbook('return-to-primary'), { resume: first })),
    ).rejects.toThrow(ResumeRefused);
  });
});
