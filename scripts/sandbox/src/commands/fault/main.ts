import { ARC_CLUSTER_ENDPOINT_REGIONS } from '@arc-failover/shared';
import { ENDPOINT_FAULTS } from '@arc-failover/arc/emulator';
import { admin } from '../../admin/client';
import type { FaultRequest } from '../../admin/protocol';
import { parseFlags, runMain, UsageError } from '../cli';
import { findRunningSandbox, sandboxBookmarkPath } from '../../admin/running-sandbox';
import { API_FAULTS } from '../../api-gateway/regional-api';

const USAGE = `Usage: npm run fault -- <api> <region> down|error|slow|up
       npm run fault -- arc <endpoint-region> ${ENDPOINT_FAULTS.join('|')}
       npm run fault -- status

Game-day faults in the running sandbox (found through its bookmark):
  <api> <region> down      the API refuses connections in that Region
  <api> <region> error     the API answers 500 Internal Server Error in that Region
  <api> <region> slow      the API answers, but 5 s late, in that Region
  <api> <region> up        back to normal
  arc <region> <fault>     the ARC cluster endpoint in that Region refuses connections (refuse), never
                           answers (hang), answers 503 (unavailable), 429 (throttle) or 500 (internal-error),
                           or answers reads but applies an update without ever answering it (hang-after-update);
                           none clears it. Endpoint Regions: ${ARC_CLUSTER_ENDPOINT_REGIONS.join(', ')}
  status                   the faults in effect and where each API's traffic goes

Flags:
  --bookmark <file>        the sandbox's bookmark (default arc/bookmarks/local.json, or $ARC_BOOKMARK)
  --help                   this text`;

async function main(): Promise<number> {
  const { values, positionals } = parseFlags(
    process.argv.slice(2),
    { bookmark: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [first, second, third, ...extra] = positionals;
  if (first === 'status' && second === undefined) {
    const sandbox = await findRunningSandbox(sandboxBookmarkPath(values.bookmark));
    console.log(describeStatus(await admin.status(sandbox.adminUrl)));
    return 0;
  }
  if (!first || !second || !third || extra.length > 0) {
    throw new UsageError(
      'expected <api> <region> down|error|slow|up, or arc <endpoint-region> <fault> (see --help)',
    );
  }
  const request = faultRequest(first, second, third);
  const sandbox = await findRunningSandbox(sandboxBookmarkPath(values.bookmark));
  const message = await admin.fault(sandbox.adminUrl, request);
  console.log(message);
  return 0;
}

/** The fault asked for on the command line, its kind checked before any call. */
function faultRequest(first: string, region: string, fault: string): FaultRequest {
  if (first === 'arc') {
    if (!isOneOf(ENDPOINT_FAULTS, fault)) {
      throw new UsageError(`unknown endpoint fault "${fault}" (known: ${ENDPOINT_FAULTS.join(', ')})`);
    }
    return { target: 'arc', region, fault };
  }
  if (!isOneOf(API_FAULTS, fault)) {
    throw new UsageError(`unknown API fault "${fault}" (known: ${API_FAULTS.join(', ')})`);
  }
  return { target: 'api', api: first, region, fault };
}

function isOneOf<T extends string>(known: readonly T[], value: string): value is T {
  return (known as readonly string[]).includes(value);
}

function describeStatus(status: Awaited<ReturnType<typeof admin.status>>): string {
  const lines = [`sandbox pid ${status.pid}, stage ${status.stage}, DNS TTL ${status.ttlSeconds} s`];
  for (const api of status.apis) {
    const regions = api.regions
      .map(
        (r) =>
          `${r.region} ${r.role.toLowerCase()} control ${r.routingControl}${r.fault === 'up' ? '' : ` FAULT ${r.fault}`}`,
      )
      .join(', ');
    lines.push(`  ${api.api.padEnd(14)} traffic -> ${api.servingRegion.padEnd(14)} (${regions})`);
  }
  const faulted = status.arc.filter((endpoint) => endpoint.fault !== 'none');
  lines.push(
    faulted.length === 0
      ? '  ARC endpoints: all healthy'
      : `  ARC endpoints with faults: ${faulted.map((e) => `${e.region} ${e.fault}`).join(', ')}`,
  );
  return lines.join('\n');
}

runMain('fault', main);
