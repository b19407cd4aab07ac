import type { BookmarkService } from '../../src/bookmark';

const PANEL = 'arn:aws:route53-recovery-control::111122223333:controlpanel/p-test';

/** An API of a version 2 bookmark, primary us-east-1 and secondary us-west-2, with these Regional URLs. */
export function apiWith(
  name: string,
  urls: Partial<Record<'us-east-1' | 'us-west-2', string>> | undefined,
  healthPath?: string,
): BookmarkService {
  return {
    name,
    hostname: `${name}.example.com`,
    primaryRegion: 'us-east-1',
    secondaryRegion: 'us-west-2',
    controlPanelArn: PANEL,
    routingControls: {
      'us-east-1': `${PANEL}/routingcontrol/rc-${name}-us-east-1`,
      'us-west-2': `${PANEL}/routingcontrol/rc-${name}-us-west-2`,
    },
    ...(healthPath !== undefined && { healthPath }),
    ...(urls && {
      regions: Object.fromEntries(Object.entries(urls).map(([region, url]) => [region, { url }])),
    }),
  };
}
