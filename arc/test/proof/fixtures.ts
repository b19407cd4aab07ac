import type { Bookmark, BookmarkRegion, BookmarkService } from '../../src/bookmark';
import type { DnsServerAddress } from '@arc-failover/shared/net';
import { testApi } from '../fixtures/api';

/** An API with primary us-east-1 and secondary us-west-2 and these per-Region facts. */
export const apiWith = (
  name: string,
  regions: Partial<Record<'us-east-1' | 'us-west-2', Partial<BookmarkRegion>>> | undefined,
): BookmarkService => testApi(name, regions);

/** Each API's own address in each Region, as the sandbox has them (only ever compared, never connected to). */
export const SANDBOX_ADDRESS = { 'us-east-1': '127.0.0.11', 'us-west-2': '127.0.0.12' } as const;

export const sandboxApi = (name: string) =>
  apiWith(name, {
    'us-east-1': { address: SANDBOX_ADDRESS['us-east-1'] },
    'us-west-2': { address: SANDBOX_ADDRESS['us-west-2'] },
  });

/** A version 2 bookmark with these APIs and name servers, a sandbox one when `entryUrl` is given. */
export function bookmarkWith(
  services: BookmarkService[],
  nameServers: DnsServerAddress[] | undefined,
  entryUrl?: string,
): Bookmark {
  return {
    version: 2,
    stage: 'test',
    clusterArn: 'arn:aws:route53-recovery-control::111122223333:cluster/c-test',
    endpoints: [{ region: 'us-east-1', url: 'https://c.us-east-1.invalid/v1' }],
    services,
    safetyRules: [],
    ...(nameServers && { nameServers }),
    writtenAt: '2026-01-01T00:00:00.000Z',
    writtenBy: 'test',
    ...(entryUrl && {
      sandbox: { credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' }, entryUrl },
    }),
  };
}
