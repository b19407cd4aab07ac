import type { ApprovalStepReport } from '../../src/report/model';
import { runRunbook } from '../../src/runbook';
import { RunbookWorld } from './harness';

// Runbooks in a stage with the approval gate: the cluster refuses a gated API's change while its approval
// control is Off; an approval step waits for the approver, who turns it On with their own credentials.

let world: RunbookWorld;
beforeEach(async () => {
  world = await RunbookWorld.start({ gate: true });
});
afterEach(() => world.close());

describe('a runbook with the approval gate', () => {
  it('refuses a gated step with no approval step before it while its gate is Off: nothing changed', async () => {
    const report = await runRunbook(world.context(world.runbook('evacuate-us-east-1')));

    expect(report).toMatchObject({ outcome: 'refused', exitCode: 1 });
    expect(report.evaluation!.find((c) => c.check === 'approval gate')).toEqual({
      check: 'approval gate',
      ok: false,
      detail:
        'step 1 (service1): the approval gate is Off and no approval step comes before it: the cluster would refuse; the approver must run npm run switch -- approve service1',
    });
    expect(world.updates()).toBe(0);
    expect(world.serving('service1')).toBe('us-east-1');
  });

  it('waits at the approval step until the approver turns the gate On, then moves the public entry', async () => {
    await world.approve(['service1']);
    let approvedAt = 0;
    const context = world.context(world.runbook('evacuate-us-east-1'), {
      askApproval: () => Promise.reject(new Error('a gated approval must not ask on the terminal')),
      onEvent: (event) => {
        world.events.push(event);
        if (event.type === 'approval-wait') {
          setTimeout(() => {
            approvedAt = performance.now();
            void world.approve(['external-api']);
          }, 150);
        }
      },
    });
    const report = await runRunbook(context);

    expect(report).toMatchObject({ outcome: 'proven', exitCode: 0 });
    expect(approvedAt).toBeGreaterThan(0);
    expect(report.evaluation!.find((c) => c.check === 'approval gate')!.detail).toBe(
      'step 1 (service1): the approval gate is already On; step 3 (external-api): approval step 2 waits for its gate',
    );
    const approval = report.steps[1] as ApprovalStepReport;
    expect(approval).toMatchObject({ outcome: 'done', via: 'gate', apis: ['external-api'] });
    expect(approval.waitedMs).toBeGreaterThanOrEqual(140);
    expect(approval.approvedBy).toBeUndefined();
    expect(world.messages('approval-wait')).toEqual([
      'step 2/3 approval: waiting for the approval gate of external-api (up to 1800 s)',
    ]);
    expect(world.messages('approved')).toEqual([
      expect.stringMatching(/^step 2\/3 approval: the approval gate of external-api is On after \d+\.\d s$/),
    ]);
    expect(world.serving('external-api')).toBe('us-west-2');
  });

  it('fails when the gate stays Off past the step timeout: exit 3, step 1 had switched', async () => {
    await world.approve(['service1']);
    const runbook = world.runbook('evacuate-us-east-1');
    runbook.steps[1] = { kind: 'approval', timeoutSeconds: 1 };
    const report = await runRunbook(world.context(runbook));

    expect(report).toMatchObject({ outcome: 'failed', exitCode: 3 });
    expect(report.error).toBe(
      'step 2/3 approval: the approval gate of external-api was still Off after 1 s; nothing more changed (the approver runs npm run switch -- approve external-api, then resume the run)',
    );
    expect(report.steps.map((s) => s.outcome)).toEqual(['proven', 'failed', 'pending']);
    expect(world.serving('service1')).toBe('us-west-2');
    expect(world.serving('external-api')).toBe('us-east-1');
  });
});
