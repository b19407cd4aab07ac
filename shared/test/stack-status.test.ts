import { StackStatus } from '@aws-sdk/client-cloudformation';
import { isUsableStackStatus, unusableStackFix } from '../src/stack-status';

const at = (status: string) => ({ stackName: 'arc', region: 'us-west-2', status, deploy: 'npm run deploy' });

describe('the one rule for a stack whose outputs can be trusted', () => {
  it("accepts exactly the stable states after a create, update, update rollback or import, of all CloudFormation's", () => {
    const usable = Object.values(StackStatus).filter(isUsableStackStatus).sort();
    expect(usable).toEqual(
      [
        'CREATE_COMPLETE',
        'IMPORT_COMPLETE',
        'IMPORT_ROLLBACK_COMPLETE',
        'UPDATE_COMPLETE',
        'UPDATE_ROLLBACK_COMPLETE',
      ].sort(),
    );
    for (const status of usable) expect(unusableStackFix(at(status))).toBeUndefined();
  });

  it('names a fix for every other state, and for none at all', () => {
    for (const status of Object.values(StackStatus).filter((s) => !isUsableStackStatus(s))) {
      expect(unusableStackFix(at(status))).toMatch(/\S/);
    }
    expect(unusableStackFix(at(''))).toBe(
      'not a state whose outputs can be trusted: deploy it again (npm run deploy)',
    );
  });
});
