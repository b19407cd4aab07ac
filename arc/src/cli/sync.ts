import { hostname } from 'node:os';
import { loadTopology } from '@arc-failover/shared';
import { writeBookmark, type Bookmark } from '../bookmark';
import { bookmarkFromStack, destroySyncClients, syncClients } from '../sync/bookmark-from-stack';
import type { CommonOptions } from './args';
import { actor } from './audit';
import { CliError } from './errors';
import type { Output } from './output';
import { bookmarkFile } from './session';

/**
 * Peacetime: reads the deployed ARC stack and cluster (control plane, us-west-2), each API's stack in each
 * of its Regions and the hosted zone's name servers, and writes the bookmark; on any failure, nothing.
 */
export async function sync(
  options: CommonOptions,
  out: Output,
): Promise<{ file: string; bookmark: Bookmark }> {
  const topology = loadTopology(options.stage);
  const clients = syncClients(topology);
  const file = bookmarkFile(options);
  let bookmark: Bookmark;
  try {
    bookmark = await bookmarkFromStack(
      topology,
      clients,
      `npm run switch -- sync (${actor().user}@${hostname()})`,
    );
  } catch (error) {
    const e = error as Error;
    if (e.name === 'CredentialsProviderError') {
      throw new CliError(
        `no AWS credentials found (${e.message.split('\n')[0]}): sync reads the ARC stack in ${topology.arc.region}; set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
      );
    }
    if (e.name === 'SyncError') throw new CliError(e.message);
    throw new CliError(`reading the ARC stack ${topology.arc.stackName} failed (${e.name}): ${e.message}`);
  } finally {
    destroySyncClients(clients);
  }
  writeBookmark(file, bookmark);
  const regions = bookmark.endpoints.map((e) => e.region).join(', ');
  out.line(`Wrote ${file}`);
  out.line(`  cluster ${bookmark.clusterArn}: ${bookmark.endpoints.length} endpoints (${regions})`);
  out.line(
    `  ${bookmark.services.length} APIs (${bookmark.services.map((s) => s.name).join(', ')}), ${bookmark.safetyRules.length} safety rules`,
  );
  out.line(
    `  readiness: ${bookmark.services.length} APIs × 2 Regions (${topology.regions.join(', ')}); proof: ${bookmark.nameServers?.length ?? 0} name servers of ${topology.domain}`,
  );
  out.document({ file, bookmark });
  return { file, bookmark };
}
