import { CommandError } from '@arc-failover/shared/command';
/**
 * Just enough of CloudFormation's intrinsic functions to read a packaged HTTP API template the way
 * CloudFormation would for one Region: pseudo parameters, Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select.
 */
export interface StackContext {
  region: string;
  accountId: string;
  stackName: string;
  /** FunctionName of each AWS::Lambda::Function by logical id: what Ref and Fn::GetAtt Arn give for it. */
  functionNames?: Record<string, string>;
}

export class TemplateError extends CommandError {
  override name = 'TemplateError';
}

type Json = unknown;

export function resolveIntrinsics(value: Json, stack: StackContext, at = 'value'): Json {
  if (Array.isArray(value))
    return value.map((item, index) => resolveIntrinsics(item, stack, `${at}[${index}]`));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && (entries[0]![0] === 'Ref' || entries[0]![0].startsWith('Fn::'))) {
    const [fn, args] = entries[0]!;
    return intrinsic(fn, args, stack, at);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIntrinsics(v, stack, `${at}.${k}`)]));
}

/** Resolves to a string, or fails naming where in the template the value came from. */
export function resolveString(value: Json, stack: StackContext, at: string): string {
  const resolved = resolveIntrinsics(value, stack, at);
  if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
  if (typeof resolved !== 'string')
    throw new TemplateError(`${at}: expected a string, got ${JSON.stringify(resolved)}`);
  return resolved;
}

function pseudo(name: string, stack: StackContext): string | undefined {
  switch (name) {
    case 'AWS::Region':
      return stack.region;
    case 'AWS::AccountId':
      return stack.accountId;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return stack.stackName;
    default:
      return undefined;
  }
}

/** Other resources' physical ids are unknown before a deploy: their logical ids stand in for them. */
function ref(name: string, stack: StackContext): string {
  return pseudo(name, stack) ?? stack.functionNames?.[name] ?? name;
}

function getAtt(resource: string, attribute: string, stack: StackContext): string {
  const functionName = stack.functionNames?.[resource];
  if (functionName && attribute === 'Arn') {
    return `arn:aws:lambda:${stack.region}:${stack.accountId}:function:${functionName}`;
  }
  return `${resource}.${attribute}`;
}

function intrinsic(fn: string, args: Json, stack: StackContext, at: string): Json {
  const here = `${at}.${fn}`;
  switch (fn) {
    case 'Ref':
      if (typeof args !== 'string') throw new TemplateError(`${here}: expected a name`);
      return ref(args, stack);
    case 'Fn::GetAtt': {
      const [resource, attribute] = typeof args === 'string' ? args.split('.') : (args as string[]);
      if (typeof resource !== 'string' || typeof attribute !== 'string') {
        throw new TemplateError(`${here}: expected [resource, attribute]`);
      }
      return getAtt(resource, attribute, stack);
    }
    case 'Fn::Join': {
      const [separator, items] = args as [string, Json[]];
      const parts = resolveIntrinsics(items, stack, here);
      if (typeof separator !== 'string' || !Array.isArray(parts)) {
        throw new TemplateError(`${here}: expected [separator, [values]]`);
      }
      return parts.map((part, index) => resolveString(part, stack, `${here}[${index}]`)).join(separator);
    }
    case 'Fn::Sub': {
      const [text, variables] =
        typeof args === 'string' ? [args, {}] : (args as [string, Record<string, Json>]);
      if (typeof text !== 'string') throw new TemplateError(`${here}: expected a string`);
      return text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
        if (variables && name in variables) return resolveString(variables[name], stack, `${here}.${name}`);
        const [resource, attribute] = name.split('.');
        return attribute ? getAtt(resource!, attribute, stack) : ref(name, stack);
      });
    }
    case 'Fn::Select': {
      const [index, list] = args as [number | string, Json];
      const items = resolveIntrinsics(list, stack, here);
      if (!Array.isArray(items)) throw new TemplateError(`${here}: expected [index, [values]]`);
      return items[Number(index)];
    }
    default:
      throw new TemplateError(`${here}: the sandbox cannot evaluate ${fn}`);
  }
}
