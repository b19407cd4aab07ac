import {
  ListRoutingControlsCommand,
  Route53RecoveryClusterClient,
} from '@aws-sdk/client-route53-recovery-cluster';
import { mockClient } from 'aws-sdk-client-mock';
import { DataPlane } from '../../src/dataplane/client';

const cluster = mockClient(Route53RecoveryClusterClient);
const control = (n: number) => ({
  RoutingControlArn: `arn:aws:route53-recovery-control::111122223333:controlpanel/p/routingcontrol/rc${n}`,
  RoutingControlState: 'On' as const,
});

it('reads every page of ListRoutingControls, passing NextToken on', async () => {
  cluster
    .on(ListRoutingControlsCommand, { NextToken: undefined })
    .resolves({ RoutingControls: [control(1), control(2)], NextToken: 'page-2' })
    .on(ListRoutingControlsCommand, { NextToken: 'page-2' })
    .resolves({ RoutingControls: [control(3)] });
  const dataPlane = new DataPlane({
    endpoints: [{ region: 'us-east-1', url: 'https://c.us-east-1.example/v1' }],
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
  });
  const answer = await dataPlane.listRoutingControls();
  dataPlane.close();
  expect(answer.value.map((c) => c.RoutingControlArn)).toEqual(
    [1, 2, 3].map((n) => control(n).RoutingControlArn),
  );
  expect(cluster.commandCalls(ListRoutingControlsCommand).map((c) => c.args[0].input.NextToken)).toEqual([
    undefined,
    'page-2',
  ]);
});
