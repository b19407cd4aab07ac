import { createHash } from 'node:crypto';
import type { CloudFormationTemplate } from '@arc-failover/shared/serverless';

const ACCOUNT = '123456789012';
const id = (seed: string, length: number) => createHash('sha256').update(seed).digest('hex').slice(0, length);
const uuid = (seed: string) => {
  const h = id(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * Resolves the ARC stack's intrinsics as CloudFormation would after a deploy, with ARNs as long as ARC's
 * (32-character panel ids, 16-character control and rule ids: routing-control ARNs of 124 characters)
 * and UUID health-check ids, so sizes measured on the result are the deployed ones.
 */
export function resolveArcIntrinsics(value: unknown, template: CloudFormationTemplate): unknown {
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (typeof v !== 'object' || v === null) return v;
    const entries = Object.entries(v);
    if (entries.length !== 1) return Object.fromEntries(entries.map(([k, x]) => [k, resolve(x)]));
    const [[fn, args]] = entries as [[string, unknown]];
    if (fn === 'Fn::Join') {
      const [separator, parts] = args as [string, unknown[]];
      return (resolve(parts) as string[]).join(separator);
    }
    if (fn === 'Fn::GetAtt') {
      const [logicalId, attribute] = args as [string, string];
      const properties = template.Resources[logicalId]?.Properties ?? {};
      switch (attribute) {
        case 'ClusterArn':
          return `arn:aws:route53-recovery-control::${ACCOUNT}:cluster/${uuid(logicalId)}`;
        case 'ControlPanelArn':
          return `arn:aws:route53-recovery-control::${ACCOUNT}:controlpanel/${id(logicalId, 32)}`;
        case 'RoutingControlArn':
          return `${resolve(properties.ControlPanelArn)}/routingcontrol/${id(logicalId, 16)}`;
        case 'SafetyRuleArn':
          return `${resolve(properties.ControlPanelArn)}/safetyrule/${id(logicalId, 16)}`;
      }
      throw new Error(`no resolution for Fn::GetAtt ${logicalId}.${attribute}`);
    }
    if (fn === 'Ref') {
      const type = template.Resources[args as string]?.Type;
      if (type === 'AWS::Route53::HealthCheck') return uuid(args as string);
      if (type === 'AWS::IAM::ManagedPolicy') return `arn:aws:iam::${ACCOUNT}:policy/${args as string}`;
      throw new Error(`no resolution for Ref ${String(args)}`);
    }
    return Object.fromEntries(entries.map(([k, x]) => [k, resolve(x)]));
  };
  return resolve(value);
}
