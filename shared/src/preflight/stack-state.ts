import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { describeStack } from '../arc-stack';
import { couldNotCheck } from './aws-errors';

/**
 * Why a deploy of a stack in this state would fail or race another change, or undefined when it can
 * go ahead. Every `*_IN_PROGRESS` and `*_FAILED` state blocks, and so does ROLLBACK_COMPLETE (its first
 * creation failed: CloudFormation can only delete it). The fix depends on the state.
 */
export function stackStatusProblem(stackName: string, region: string, status: string): string | undefined {
  const cli = (command: string) =>
    `aws cloudformation ${command} --stack-name ${stackName} --region ${region}`;
  const fix = (): string | undefined => {
    switch (status) {
      case 'REVIEW_IN_PROGRESS':
        return `it was created by a change set that was never executed: delete it (${cli('delete-stack')}) and deploy again`;
      case 'ROLLBACK_COMPLETE':
        return `its creation failed and rolled back, and CloudFormation cannot update such a stack: delete it (${cli('delete-stack')}) and deploy again`;
      case 'CREATE_FAILED':
      case 'ROLLBACK_FAILED':
        return `its creation failed: delete it (${cli('delete-stack')}) and deploy again`;
      case 'UPDATE_ROLLBACK_FAILED':
        return `continue the rollback (${cli('continue-update-rollback')}, skipping the resources that cannot roll back if need be) and deploy again`;
      case 'UPDATE_FAILED':
        return `roll it back (${cli('rollback-stack')}) or fix the failure, and deploy again`;
      case 'DELETE_FAILED':
        return `delete it again (${cli('delete-stack')}, retaining the resources that would not delete) and deploy again`;
      case 'IMPORT_ROLLBACK_FAILED':
        return `fix the failed import rollback (see the stack's events in the CloudFormation console) and deploy again`;
    }
    if (status.endsWith('_IN_PROGRESS'))
      return 'another change is under way: wait for it to finish and deploy again';
    if (status.endsWith('_FAILED'))
      return "see the stack's events in the CloudFormation console, fix it and deploy again";
    return undefined;
  };
  const why = fix();
  return why && `stack ${stackName} in ${region} is ${status}: ${why}`;
}

/** The deploy check of one stack (DescribeStacks, read-only): a stack that does not exist yet is fine. */
export async function stackStateProblem(
  cloudFormation: CloudFormationClient,
  stackName: string,
  region: string,
): Promise<string | undefined> {
  try {
    const stack = await describeStack(cloudFormation, stackName);
    return stack?.StackStatus && stackStatusProblem(stackName, region, stack.StackStatus);
  } catch (error) {
    return couldNotCheck(`stack ${stackName} in ${region}`, error);
  }
}
