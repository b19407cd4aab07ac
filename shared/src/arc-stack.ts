import { DescribeStacksCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import type { Topology } from './topology';

/**
 * The deployed ARC stack of the topology's stage (a control-plane read, in topology.arc.region), or
 * undefined when it does not exist; any other failure is the caller's to explain.
 */
export function describeArcStack(
  cloudFormation: CloudFormationClient,
  topology: Topology,
): Promise<Stack | undefined> {
  return describeStack(cloudFormation, topology.arc.stackName);
}

/** A stack by name in the client's Region (DescribeStacks), or undefined when there is none. */
export async function describeStack(
  cloudFormation: CloudFormationClient,
  stackName: string,
): Promise<Stack | undefined> {
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0];
  } catch (error) {
    const { name, message } = error as Error;
    if (name === 'ValidationError' && /does not exist/.test(message)) return undefined;
    throw error;
  }
}

/** A stack's outputs by key. */
export function outputsOf(stack: Stack): Map<string, string | undefined> {
  return new Map((stack.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue]));
}
