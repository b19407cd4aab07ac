import {
  Route53RecoveryClusterClient,
  UpdateRoutingControlStatesCommand,
} from '@aws-sdk/client-route53-recovery-cluster';
import type { Bookmark } from '@arc-failover/arc/bookmark';

/**
 * What an operator does once after a first deploy, when every routing control is still Off: puts every
 * API on its primary (primary On, secondary Off) through the cluster's data plane, one
 * UpdateRoutingControlStates per control panel, trying the bookmarked endpoints in turn.
 */
export async function putEverythingOnPrimary(bookmark: Bookmark): Promise<string> {
  const credentials = bookmark.sandbox?.credentials;
  if (!credentials) throw new Error('the bookmark carries no sandbox credentials');
  const clients = bookmark.endpoints.map(
    ({ region, url }) =>
      new Route53RecoveryClusterClient({ region, endpoint: url, credentials, maxAttempts: 1 }),
  );
  try {
    for (const service of bookmark.services) {
      const command = new UpdateRoutingControlStatesCommand({
        UpdateRoutingControlStateEntries: [
          { RoutingControlArn: service.routingControls[service.primaryRegion]!, RoutingControlState: 'On' },
          {
            RoutingControlArn: service.routingControls[service.secondaryRegion]!,
            RoutingControlState: 'Off',
          },
        ],
      });
      await sendToAnyEndpoint(clients, command, bookmark);
    }
  } finally {
    for (const client of clients) client.destroy();
  }
  return bookmark.services.map((service) => `${service.name} ${service.primaryRegion}`).join(', ');
}

async function sendToAnyEndpoint(
  clients: Route53RecoveryClusterClient[],
  command: UpdateRoutingControlStatesCommand,
  bookmark: Bookmark,
): Promise<void> {
  const failures: string[] = [];
  for (const [index, client] of clients.entries()) {
    try {
      await client.send(command, { abortSignal: AbortSignal.timeout(2000) });
      return;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      // A 4xx other than throttling is the cluster's answer, the same from every endpoint.
      if (status && status < 500 && status !== 429) throw error;
      failures.push(`${bookmark.endpoints[index]!.region}: ${(error as Error).name}`);
    }
  }
  throw new Error(`no cluster endpoint took the change (${failures.join(', ')})`);
}
