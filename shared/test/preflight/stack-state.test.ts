import type { StackStatus } from '@aws-sdk/client-cloudformation';
import { fakeAws, withStacks } from '@arc-failover/testing';
import { stackStateProblem, stackStatusProblem } from '../../src/preflight/stack-state';

const aws = fakeAws();
afterEach(() => aws.cloudFormation('us-east-1').reset());
afterAll(() => aws.restore());

const STACK = 'arc-failover-service1-prod';
const cli = (command: string) => `aws cloudformation ${command} --stack-name ${STACK} --region us-east-1`;
const check = (status?: StackStatus) => {
  withStacks(aws, 'us-east-1', status ? { [STACK]: status } : {});
  return stackStateProblem(aws.clients.cloudFormation('us-east-1'), STACK, 'us-east-1');
};

describe('the state of a stack a deploy would change', () => {
  it.each(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE'] as const)(
    'lets a deploy go on from %s',
    async (status) => {
      expect(await check(status)).toBeUndefined();
    },
  );

  it('lets a deploy create a stack that does not exist yet', async () => {
    expect(await check()).toBeUndefined();
  });

  it.each([
    ['UPDATE_IN_PROGRESS', 'another change is under way: wait for it to finish and deploy again'],
    [
      'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      'another change is under way: wait for it to finish and deploy again',
    ],
    ['DELETE_IN_PROGRESS', 'another change is under way: wait for it to finish and deploy again'],
    [
      'UPDATE_ROLLBACK_FAILED',
      `continue the rollback (${cli('continue-update-rollback')}, skipping the resources that cannot roll back if need be) and deploy again`,
    ],
    [
      'ROLLBACK_COMPLETE',
      `its creation failed and rolled back, and CloudFormation cannot update such a stack: delete it (${cli('delete-stack')}) and deploy again`,
    ],
    ['CREATE_FAILED', `its creation failed: delete it (${cli('delete-stack')}) and deploy again`],
    [
      'DELETE_FAILED',
      `delete it again (${cli('delete-stack')}, retaining the resources that would not delete) and deploy again`,
    ],
    ['UPDATE_FAILED', `roll it back (${cli('rollback-stack')}) or fix the failure, and deploy again`],
    [
      'REVIEW_IN_PROGRESS',
      `it was created by a change set that was never executed: delete it (${cli('delete-stack')}) and deploy again`,
    ],
  ] as const)('refuses a deploy from %s, naming the fix', async (status, fix) => {
    expect(await check(status)).toBe(`stack ${STACK} in us-east-1 is ${status}: ${fix}`);
  });

  it('treats any other *_IN_PROGRESS or *_FAILED state as blocking', () => {
    expect(stackStatusProblem(STACK, 'us-east-1', 'SOME_NEW_IN_PROGRESS')).toMatch(/wait for it to finish/);
    expect(stackStatusProblem(STACK, 'us-east-1', 'SOME_NEW_FAILED')).toMatch(/see the stack's events/);
  });
});
