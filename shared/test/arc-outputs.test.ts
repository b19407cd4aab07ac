import { ApiOutputError, formatApiOutput, parseApiOutput } from '../src/arc-outputs';
import { findService, loadTopology } from '../src/topology';
import { arcResources } from '@arc-failover/testing';

const service2 = findService(loadTopology('prod'), 'service2');
const resources = arcResources(service2);
const value = formatApiOutput(service2, resources);

function problemOf(v: string | undefined): string {
  try {
    parseApiOutput(service2, v);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiOutputError);
    return (error as ApiOutputError).message;
  }
  throw new Error('expected an ApiOutputError');
}

describe("an API's compact output of the ARC stack", () => {
  it('reads the approval gate’s two optional fields, and refuses them outside the panel', () => {
    const gate = {
      approvalControlArn: `${resources.controlPanelArn}/routingcontrol/00aa11bb22cc33dd`,
      gatingRuleArn: `${resources.controlPanelArn}/safetyrule/00aa11bb22cc33dd`,
    };
    const gated = formatApiOutput(service2, { ...resources, gate });
    expect(gated.split('|')).toHaveLength(10);
    expect(parseApiOutput(service2, gated)).toEqual({ ...resources, gate });
    expect(parseApiOutput(service2, value).gate).toBeUndefined();
    expect(problemOf(`${value}|${gate.approvalControlArn}`)).toMatch(/9 fields, not 8 or 10/);
    const elsewhere = gated.replace(
      gate.approvalControlArn,
      gate.approvalControlArn.replace(/[0-9a-f]{32}/, 'f'.repeat(32)),
    );
    expect(problemOf(elsewhere)).toMatch(/is not an approval routing control of its control panel/);
  });

  it('reads back what the stack writes, Regions in topology order (service2: us-west-2 first)', () => {
    const { controlPanelArn, safetyRuleArn, regions } = resources;
    expect(value).toBe(
      [
        controlPanelArn,
        safetyRuleArn,
        'us-west-2',
        regions['us-west-2']!.routingControlArn,
        regions['us-west-2']!.healthCheckId,
        'us-east-1',
        regions['us-east-1']!.routingControlArn,
        regions['us-east-1']!.healthCheckId,
      ].join('|'),
    );
    expect(parseApiOutput(service2, value)).toEqual(resources);
  });

  const fields = value.split('|');
  const with_ = (index: number, field: string) => fields.map((f, i) => (i === index ? field : f)).join('|');
  const other = arcResources(findService(loadTopology('prod'), 'service1'));

  it.each([
    ['absent', undefined, 'output ApiService2 is missing'],
    ['empty', '', 'output ApiService2 is missing'],
    ['short a field', fields.slice(1).join('|'), '7 fields, not 8'],
    [
      'with a malformed panel ARN',
      with_(0, 'arn:aws:iam::123456789012:policy/x'),
      'is not a control panel ARN',
    ],
    [
      'with the rule of another panel',
      with_(1, other.safetyRuleArn),
      'is not a safety rule of its control panel',
    ],
    ['with the Regions swapped', with_(2, 'us-east-1'), 'Region 1 is us-east-1, the topology says us-west-2'],
    [
      'with the routing control of another panel',
      with_(3, other.regions['us-east-1']!.routingControlArn),
      'is not a routing control of its control panel',
    ],
    [
      'with a health check id that is not one',
      with_(7, 'HealthCheckIdService2UsEast1'),
      'is not a Route 53 health check id',
    ],
  ])('is refused %s', (_case, v, problem) => {
    expect(problemOf(v)).toContain(problem);
  });
});
