import { CloudFormationSchema } from '../src/cloudformation-schema';

const schema = CloudFormationSchema.load();

const routingControl = (properties: Record<string, unknown>) => ({
  Resources: {
    Panel: { Type: 'AWS::Route53RecoveryControl::ControlPanel', Properties: { Name: 'panel' } },
    Control: { Type: 'AWS::Route53RecoveryControl::RoutingControl', Properties: properties },
  },
});

describe('the CloudFormation schema check the stack tests rely on', () => {
  it('accepts a valid template with intrinsic functions', () => {
    const valid = routingControl({
      Name: 'service1-us-east-1',
      ControlPanelArn: { 'Fn::GetAtt': ['Panel', 'ControlPanelArn'] },
    });
    expect(schema.validate(valid)).toEqual([]);
  });

  it.each([
    [
      'an unknown resource type',
      { Resources: { X: { Type: 'AWS::Route53RecoveryControl::Switch', Properties: {} } } },
      'Resources.X: unknown resource type AWS::Route53RecoveryControl::Switch',
    ],
    [
      'an unknown property',
      routingControl({ Name: 'rc', State: 'On' }),
      'Resources.Control.Properties.State: unknown property',
    ],
    [
      'a missing required property',
      routingControl({ ControlPanelArn: 'arn:aws:route53-recovery-control::111122223333:controlpanel/abc' }),
      'Resources.Control.Properties.Name: required, missing',
    ],
    [
      'a value outside the allowed ones',
      {
        Resources: {
          Check: {
            Type: 'AWS::Route53::HealthCheck',
            Properties: { HealthCheckConfig: { Type: 'ROUTING_CONTROL' } },
          },
        },
      },
      'Resources.Check.Properties.HealthCheckConfig.Type: "ROUTING_CONTROL" is not one of',
    ],
    [
      'a nested property of the wrong type',
      {
        Resources: {
          Rule: {
            Type: 'AWS::Route53RecoveryControl::SafetyRule',
            Properties: {
              Name: 'r',
              ControlPanelArn: 'arn',
              RuleConfig: { Type: 'ATLEAST', Threshold: '1', Inverted: false },
            },
          },
        },
      },
      'Resources.Rule.Properties.RuleConfig.Threshold: "1" is not an integer',
    ],
    [
      'an attribute the resource type does not have',
      routingControl({ Name: 'rc', ControlPanelArn: { 'Fn::GetAtt': ['Panel', 'Arn'] } }),
      'AWS::Route53RecoveryControl::ControlPanel has no attribute "Arn"',
    ],
    [
      'a Ref to nothing',
      routingControl({ Name: 'rc', ClusterArn: { Ref: 'Cluster' } }),
      'Ref to unknown "Cluster"',
    ],
  ])('rejects %s', (_case, template, problem) => {
    expect(schema.validate(template).join('\n')).toContain(problem);
  });
});
