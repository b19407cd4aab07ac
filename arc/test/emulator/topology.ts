import { parseTopology, type Topology } from '@arc-failover/shared';

/** A small topology of its own, so the tests do not move when the project's topology.json does. */
export function testTopology(stage = 'test'): Topology {
  return parseTopology(
    {
      project: 'shop',
      entry: { name: 'edge', primaryRegion: 'us-east-1', secondaryRegion: 'us-west-2' },
      services: [
        { name: 'orders', primaryRegion: 'us-east-1', secondaryRegion: 'us-west-2' },
        { name: 'payments', primaryRegion: 'eu-west-1', secondaryRegion: 'eu-central-1' },
      ],
      stages: {
        [stage]: {
          domain: 'example.org',
          hostedZoneId: 'ZTEST0000000000000000',
          certificateName: '*.example.org',
          arc: { stackName: 'shop-arc-test', region: 'us-west-2' },
        },
      },
    },
    stage,
  );
}
