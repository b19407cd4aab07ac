import { createHash } from 'node:crypto';
import type { Output } from '@aws-sdk/client-cloudformation';
import {
  formatApiOutput,
  type ApiArcResources,
  CLUSTER_ARN_OUTPUT,
  outputKeys,
  type Service,
  type Topology,
} from '@arc-failover/shared';

export const ACCOUNT = '123456789012';
export const CLUSTER = `arn:aws:route53-recovery-control::${ACCOUNT}:cluster/4b5e7c9d-1a2b-4c3d-8e9f-0a1b2c3d4e5f`;

const hex = (seed: string, length: number) =>
  createHash('sha256').update(seed).digest('hex').slice(0, length);
const uuid = (seed: string) => {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * An API's ARC resources as a real stack would name them: 32-character panel ids, 16-character control
 * and rule ids (routing-control ARNs of 124 characters, as ARC's), UUID health-check ids. `generation`
 * changes the health checks only, as a cluster change does.
 */
export function arcResources(api: Service, generation = 'a'): ApiArcResources {
  const controlPanelArn = `arn:aws:route53-recovery-control::${ACCOUNT}:controlpanel/${hex(`panel ${api.name}`, 32)}`;
  return {
    controlPanelArn,
    safetyRuleArn: `${controlPanelArn}/safetyrule/${hex(`rule ${api.name}`, 16)}`,
    regions: Object.fromEntries(
      api.regions.map((region) => [
        region,
        {
          routingControlArn: `${controlPanelArn}/routingcontrol/${hex(`control ${api.name} ${region}`, 16)}`,
          healthCheckId: uuid(`${generation} ${api.name} ${region}`),
        },
      ]),
    ),
  };
}

/** DescribeStacks' Outputs of the deployed ARC stack of `topology`. */
export function arcStackOutputs(
  topology: Topology,
  { generation = 'a', cluster = true }: { generation?: string; cluster?: boolean } = {},
): Output[] {
  return [
    ...(cluster ? [{ OutputKey: CLUSTER_ARN_OUTPUT, OutputValue: CLUSTER }] : []),
    ...topology.all.map((api) => ({
      OutputKey: outputKeys.api(api),
      OutputValue: formatApiOutput(api, arcResources(api, generation)),
    })),
    { OutputKey: 'OperatorPolicyArn', OutputValue: `arn:aws:iam::${ACCOUNT}:policy/operator` },
  ];
}
