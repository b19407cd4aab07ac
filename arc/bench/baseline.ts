import { readFileSync } from 'node:fs';
import {
  Route53RecoveryClusterClient,
  UpdateRoutingControlStateCommand,
} from '@aws-sdk/client-route53-recovery-cluster';
import type { Bookmark } from '../src/bookmark';

/**
 * What the common samples do to fail over: for each routing control, one UpdateRoutingControlState call,
 * trying the cluster endpoints in their listed order with a default SDK client (3 attempts on the same
 * endpoint, no timeouts), moving on only when a call throws.
 *   tsx arc/bench/baseline.ts <bookmark.json> <api> <region>
 */
async function updateState(bookmark: Bookmark, routingControlArn: string, state: 'On' | 'Off') {
  for (const endpoint of bookmark.endpoints) {
    const client = new Route53RecoveryClusterClient({
      region: endpoint.region,
      endpoint: endpoint.url,
      credentials: bookmark.sandbox!.credentials,
    });
    try {
      await client.send(
        new UpdateRoutingControlStateCommand({
          RoutingControlArn: routingControlArn,
          RoutingControlState: state,
        }),
      );
      return;
    } catch {
      continue;
    } finally {
      client.destroy();
    }
  }
  throw new Error(`no endpoint took ${routingControlArn} ${state}`);
}

async function main() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const [file, apiName, region] = process.argv.slice(2);
  const bookmark = JSON.parse(readFileSync(file!, 'utf8')) as Bookmark;
  const api = bookmark.services.find((s) => s.name === apiName)!;
  const other = region === api.primaryRegion ? api.secondaryRegion : api.primaryRegion;
  await updateState(bookmark, api.routingControls[region!]!, 'On');
  await updateState(bookmark, api.routingControls[other]!, 'Off');
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
