import { loadTopology } from '@arc-failover/shared';
import { buildApis } from '../../src/api-gateway/build';

/** Jest globalSetup of the e2e project: package every API once, so each test file's sandbox starts from the cache. */
export default async function buildBundles(): Promise<void> {
  await buildApis({ topology: loadTopology('local') });
}
