import { DescribeStacksCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import { parseApiOutput, type ApiArcResources } from './arc-outputs';
import { outputKeys } from './naming';
import type { Service, Topology } from './topology';

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

/** An API's ARC resources from the ARC stack's outputs; an ApiOutputError when missing or malformed. */
export function apiResourcesOf(stack: Stack, api: Service): ApiArcResources {
  return parseApiOutput(api, outputsOf(stack).get(outputKeys.api(api)));
}

/** How to deploy the stage's ARC stack, for messages that tell the operator to. */
export function deployArcCommand(topology: Topology): string {
  return `npm run deploy -w arc -- --stage ${topology.stage}`;
}
