import { readFileSync } from 'node:fs';
import {
  parseApiOutput,
  logicalIds,
  outputKeys,
  arcStackCounts,
  CLOUDFORMATION_QUOTAS,
  parseTopology,
  TopologyError,
} from '@arc-failover/shared';
import type { CloudFormationTemplate } from '@arc-failover/shared/serverless';
import { generatedTopology, CloudFormationSchema } from '@arc-failover/testing';
// The schema check the packaged-stack tests use (being moved with scripts/; imported from where it is).
import { arcStack } from '../../src/stack/template';
import { resolveArcIntrinsics } from './resolve-arns';

const CLUSTER = 'arn:aws:route53-recovery-control::111122223333:cluster/4b5e7c9d-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
/** IAM's limit on a managed policy document, whitespace not counted. */
const MANAGED_POLICY_CHARACTERS = 6144;

/** What osls adds to every stack it packages: its deployment bucket, the bucket's policy, its name output. */
const oslsCore = JSON.parse(
  readFileSync(require.resolve('osls/lib/plugins/aws/package/lib/core-cloudformation-template.json'), 'utf8'),
) as CloudFormationTemplate;

/** The ARC stack of a 49-API topology as `sls package` compiles it: osls's core template plus ours. */
function packaged(clusterArn?: string, approvalGate = false, services = 48): CloudFormationTemplate {
  const doc = generatedTopology(services, { prod: { ...(clusterArn ? { clusterArn } : {}), approvalGate } });
  const topology = parseTopology(doc, 'prod');
  expect(topology.all).toHaveLength(services + 1);
  const { Resources, Outputs } = arcStack(topology);
  return {
    AWSTemplateFormatVersion: oslsCore.AWSTemplateFormatVersion,
    Resources: { ...oslsCore.Resources, ...Resources },
    Outputs: { ...oslsCore.Outputs, ...Outputs },
  };
}

const policySize = (template: CloudFormationTemplate, logicalId: string) =>
  JSON.stringify(
    resolveArcIntrinsics(template.Resources[logicalId]!.Properties!.PolicyDocument, template),
  ).replace(/\s/g, '').length;

describe('the ARC stack at ARC’s quota of 49 APIs', () => {
  const schema = CloudFormationSchema.load();

  it.each([
    ['creating its cluster', undefined, true],
    ['in an existing cluster', CLUSTER, false],
  ])('validates against the CloudFormation schemas, %s', (_case, clusterArn, ownCluster) => {
    const template = packaged(clusterArn);
    expect(schema.validate(template)).toEqual([]);
    const counts = {
      resources: Object.keys(template.Resources).length,
      outputs: Object.keys(template.Outputs ?? {}).length,
    };
    expect(counts).toEqual(arcStackCounts(49, ownCluster));
    expect(counts.resources).toBeLessThanOrEqual(CLOUDFORMATION_QUOTAS.resources);
    expect(counts.outputs).toBeLessThanOrEqual(CLOUDFORMATION_QUOTAS.outputs);
  });

  it('counts the stack as topology validation does, for every size up to 49', () => {
    for (const services of [1, 10, 31, 48]) {
      for (const clusterArn of [undefined, CLUSTER]) {
        const { Resources, Outputs } = arcStack(
          parseTopology(generatedTopology(services, { prod: clusterArn ? { clusterArn } : {} }), 'prod'),
        );
        expect({
          resources: Object.keys(Resources).length + Object.keys(oslsCore.Resources).length,
          outputs: Object.keys(Outputs ?? {}).length + Object.keys(oslsCore.Outputs ?? {}).length,
        }).toEqual(arcStackCounts(services + 1, !clusterArn));
      }
    }
  });

  it('keeps the operator and break-glass policies within IAM’s 6,144 characters', () => {
    const template = packaged();
    const operator = policySize(template, 'OperatorPolicy');
    const breakGlass = policySize(template, 'BreakGlassPolicy');
    expect(operator).toBeLessThanOrEqual(MANAGED_POLICY_CHARACTERS);
    expect(breakGlass).toBeLessThanOrEqual(MANAGED_POLICY_CHARACTERS);
    // Measured: 49 resources of 109 characters (one per control panel) and little else.
    expect([operator, breakGlass]).toEqual([5857, 5787]);
  });

  it('resolves to compact outputs every reader parses back to the template’s own resources', () => {
    const template = packaged();
    const topology = parseTopology(generatedTopology(48), 'prod');
    for (const api of topology.all) {
      const value = resolveArcIntrinsics(template.Outputs![outputKeys.api(api)]!.Value, template) as string;
      const parsed = parseApiOutput(api, value);
      const panel = { 'Fn::GetAtt': [logicalIds.controlPanel(api), 'ControlPanelArn'] };
      expect(parsed.controlPanelArn).toBe(resolveArcIntrinsics(panel, template));
      for (const region of api.regions) {
        expect(parsed.regions[region]!.routingControlArn).toHaveLength(124);
      }
      expect(value.length).toBeLessThan(1024);
    }
  });

  describe('with the approval gate', () => {
    const policies = (template: CloudFormationTemplate, kind: string) =>
      Object.keys(template.Resources).filter((id) => new RegExp(`^${kind}Policy\\d*$`).test(id));

    it.each([
      ['creating its cluster', undefined, true],
      ['in an existing cluster', CLUSTER, false],
    ])('still holds 49 APIs and validates against the schemas, %s', (_case, clusterArn, ownCluster) => {
      const template = packaged(clusterArn, true);
      expect(schema.validate(template)).toEqual([]);
      const counts = {
        resources: Object.keys(template.Resources).length,
        outputs: Object.keys(template.Outputs ?? {}).length,
      };
      expect(counts).toEqual(arcStackCounts(49, ownCluster, true));
      expect(counts.resources).toBeLessThanOrEqual(CLOUDFORMATION_QUOTAS.resources);
      expect(counts.outputs).toBeLessThanOrEqual(CLOUDFORMATION_QUOTAS.outputs);
    });

    it('counts the gated stack as topology validation does', () => {
      for (const services of [1, 22, 23, 45, 46, 48]) {
        const t = parseTopology(generatedTopology(services, { prod: { approvalGate: true } }), 'prod');
        const { Resources, Outputs } = arcStack(t);
        expect({
          resources: Object.keys(Resources).length + Object.keys(oslsCore.Resources).length,
          outputs: Object.keys(Outputs ?? {}).length + Object.keys(oslsCore.Outputs ?? {}).length,
        }).toEqual(arcStackCounts(services + 1, true, true));
      }
    });

    it('keeps every policy part within IAM’s 6,144 characters, at a full part and at 49 APIs', () => {
      // 23 APIs: one full operator part; 45: one full approver part; 49: three and two parts
      const measured: Record<number, Record<string, number[]>> = {};
      for (const services of [22, 44, 48]) {
        const template = packaged(undefined, true, services);
        measured[services + 1] = Object.fromEntries(
          ['Operator', 'Approver', 'BreakGlass'].map((kind) => [
            kind,
            policies(template, kind).map((id) => policySize(template, id)),
          ]),
        );
      }
      for (const sizes of Object.values(measured)) {
        for (const size of Object.values(sizes).flat()) {
          expect(size).toBeLessThanOrEqual(MANAGED_POLICY_CHARACTERS);
        }
      }
      // Measured: an operator part ~239 characters per API, an approver part ~127 (one ARN each)
      expect(measured).toEqual({
        23: { Operator: [6048], Approver: [3276], BreakGlass: [2875] },
        45: { Operator: [6048, 5809], Approver: [6070], BreakGlass: [5339] },
        49: { Operator: [4614, 4375, 4375], Approver: [3530, 3403], BreakGlass: [5787] },
      });
    });

    it('names no * action and no resource outside the stack’s panels in any policy', () => {
      const template = packaged(undefined, true);
      const text = JSON.stringify(
        resolveArcIntrinsics(
          ['Operator', 'Approver', 'BreakGlass'].flatMap((kind) =>
            policies(template, kind).map((id) => template.Resources[id]!.Properties!.PolicyDocument),
          ),
          template,
        ),
      );
      const statements = (
        JSON.parse(text) as { Statement: { Action: string[]; Resource: string[] }[] }[]
      ).flatMap((doc) => doc.Statement);
      for (const { Action, Resource } of statements) {
        for (const action of Action) expect(action).toMatch(/^route53-recovery-cluster:[A-Za-z]+$/);
        for (const resource of Resource) {
          expect(resource).toMatch(
            /^arn:aws:route53-recovery-control::\d{12}:controlpanel\/[0-9a-f]{32}\/routingcontrol\/([0-9a-f]{16}|\*)$/,
          );
        }
      }
    });
  });

  it('is refused by topology validation at 50 APIs', () => {
    expect(() => parseTopology(generatedTopology(49), 'prod')).toThrow(TopologyError);
  });
});
