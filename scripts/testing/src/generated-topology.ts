/**
 * A topology document with the entry API and `services` generated services (alternating us-east-1 and
 * us-west-2 as primary), in one or more stages, for quota tests.
 */
export function generatedTopology(
  services: number,
  stages: Record<string, { clusterArn?: string; approvalGate?: boolean }> = { prod: {} },
  { project = 'arc-failover', name = (i: number) => `service${i + 1}` } = {},
) {
  return {
    project,
    entry: { name: 'external-api', primaryRegion: 'us-east-1', secondaryRegion: 'us-west-2' },
    services: Array.from({ length: services }, (_, i) => ({
      name: name(i),
      primaryRegion: i % 2 ? 'us-west-2' : 'us-east-1',
      secondaryRegion: i % 2 ? 'us-east-1' : 'us-west-2',
    })),
    stages: Object.fromEntries(
      Object.entries(stages).map(([stage, { clusterArn, approvalGate }]) => [
        stage,
        {
          domain: 'example.com',
          hostedZoneId: 'Z0123456789EXAMPLE0AB',
          certificateName: '*.example.com',
          arc: {
            stackName: `arc-${stage}`,
            region: 'us-west-2',
            ...(clusterArn && { clusterArn }),
            ...(approvalGate !== undefined && { approvalGate }),
          },
        },
      ]),
    ),
  };
}
