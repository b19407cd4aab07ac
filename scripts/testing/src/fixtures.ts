import { parseTopology, type Topology } from '@arc-failover/shared';
import { generatedTopology } from './generated-topology';
import { bookmarkService, type Bookmark } from '@arc-failover/arc';

const ACCOUNT = '111122223333';

/** A topology with the entry API and `serviceCount` services (service2 has its primary in us-west-2), stage `test`. */
export function topologyWith(serviceCount = 2): Topology {
  return parseTopology(generatedTopology(serviceCount, { test: {} }), 'test');
}

/** A bookmark with readable, real-shaped ARNs: panel `p-<api>`, control `rc-<api>-<region>`, rule `sr-<api>`. */
export function bookmarkFor(topology: Topology = topologyWith()): Bookmark {
  const panel = (api: string) => `arn:aws:route53-recovery-control::${ACCOUNT}:controlpanel/p-${api}`;
  return {
    version: 1,
    stage: topology.stage,
    clusterArn: `arn:aws:route53-recovery-control::${ACCOUNT}:cluster/c-test`,
    endpoints: [
      { region: 'us-east-1', url: 'https://c.us-east-1.example/v1' },
      { region: 'us-west-2', url: 'https://c.us-west-2.example/v1' },
    ],
    services: topology.all.map((s) =>
      bookmarkService(s, {
        controlPanelArn: panel(s.name),
        routingControlArn: (r) => `${panel(s.name)}/routingcontrol/rc-${s.name}-${r}`,
      }),
    ),
    safetyRules: topology.all.map((s) => ({
      name: `${s.name}-at-least-one-on`,
      arn: `${panel(s.name)}/safetyrule/sr-${s.name}`,
      service: s.name,
    })),
    writtenAt: '2026-01-01T00:00:00.000Z',
    writtenBy: 'test',
  };
}
