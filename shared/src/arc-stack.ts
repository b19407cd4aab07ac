import { DescribeStacksCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import { parseApiOutput, type ApiArcResources } from './arc-outputs';
import { outputKeys } from './naming';
import { checkDomainTarget, DOMAIN_TARGET_OUTPUTS } from './serverless/domain-target';
import { FailoverRecordError } from './serverless/failover-record-error';
import { stackName } from './serverless/stack';
import { roleOf, type Service, type Topology } from './topology';

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

/**
 * The output osls adds to an API's stack for its httpApi: the HTTP API's own execute-api URL in the stack's
 * Region, `https://<api id>.execute-api.<region>.amazonaws.com`, which answers without the custom domain.
 */
export const API_URL_OUTPUT = 'HttpApiUrl';

/** The CloudFormation stack of one API in one of its Regions (see serverless/stack.ts). */
export function apiStackName(topology: Topology, api: Service, region: string): string {
  return stackName({ kind: 'api', topology, region, api, role: roleOf(api, region) });
}

/** How to deploy an API's stacks (both its Regions), for messages that tell the operator to. */
export function deployApiCommand(topology: Topology, api: Service): string {
  return `npm run deploy -w packages/${api.name} -- --stage ${topology.stage}`;
}

/** Where an API answers in one Region, as its deployed stack's outputs say. */
export interface ApiRegionOutputs {
  /** The HTTP API's execute-api URL (API_URL_OUTPUT). */
  url: string;
  /** The custom domain's Regional target, d-<id>.execute-api.<region>.amazonaws.com. */
  domainTarget: string;
}

/** An API stack's outputs lack or garble what sync needs: the problem and its fix, as one phrase. */
export class ApiStackOutputError extends Error {
  override name = 'ApiStackOutputError';
}

/**
 * The Regional URL and domain target from the outputs of an API's stack in `region`: osls's HttpApiUrl, and
 * the Regional target serverless-domain-manager adds, checked as the deploy-time failover-record step
 * checks it. An ApiStackOutputError says what is wrong and what to do.
 */
export function apiRegionOutputsOf(
  stack: Stack,
  topology: Topology,
  api: Service,
  region: string,
): ApiRegionOutputs {
  const outputs = outputsOf(stack);
  const redeploy = `deploy it again (${deployApiCommand(topology, api)})`;
  const required = (key: string, what: string) => {
    const value = outputs.get(key);
    if (!value) throw new ApiStackOutputError(`it has no output ${key} (${what}): ${redeploy}`);
    return value;
  };
  const url = required(API_URL_OUTPUT, "the HTTP API's URL, from osls").replace(/\/+$/, '');
  const executeApi = new RegExp(
    `^https://[a-z0-9]+\\.execute-api\\.${region.replace(/-/g, '\\-')}\\.amazonaws\\.com$`,
  );
  if (!executeApi.test(url)) {
    throw new ApiStackOutputError(
      `its output ${API_URL_OUTPUT} is ${url}, not an HTTP API URL in ${region} (https://<id>.execute-api.${region}.amazonaws.com): ${redeploy}`,
    );
  }
  const fromDomainManager = "the custom domain's Regional target, from serverless-domain-manager";
  const target = {
    dnsName: required(DOMAIN_TARGET_OUTPUTS.dnsName, fromDomainManager),
    hostedZoneId: required(DOMAIN_TARGET_OUTPUTS.hostedZoneId, fromDomainManager),
  };
  try {
    checkDomainTarget(target, api, region);
  } catch (error) {
    if (error instanceof FailoverRecordError) throw new ApiStackOutputError(error.message);
    throw error;
  }
  return { url, domainTarget: target.dnsName };
}
