import { ARC_CLUSTER_ENDPOINT_REGIONS } from '@arc-failover/shared';
import { defineCommand, runCommand, subcommand, UsageError } from '@arc-failover/shared/command';
import { ENDPOINT_FAULTS } from '@arc-failover/arc/emulator';
import { admin } from '../../admin/client';
import type { FaultRequest } from '../../admin/protocol';
import { findRunningSandbox, sandboxBookmarkPath } from '../../admin/running-sandbox';
import { API_FAULTS } from '../../api-gateway/regional-api';
import { DNS_FAULTS } from '../../route53/stale-records';

const bookmarkFlag = {
  bookmark: {
    type: 'string',
    value: '<file>',
    description: "the sandbox's bookmark (default arc/bookmarks/local.json, or $ARC_BOOKMARK)",
  },
} as const;

const status = subcommand(
  'status',
  { summary: "the faults in effect and where each API's traffic goes", flags: bookmarkFlag },
  async ({ flags }) => {
    const sandbox = await findRunningSandbox(sandboxBookmarkPath(flags.bookmark));
    console.log(describeStatus(await admin.status(sandbox.adminUrl)));
  },
);

const faultCommand = defineCommand({
  invocation: 'npm run fault --',
  usage: [
    'npm run fault -- <api> <region> down|error|slow|up',
    `npm run fault -- arc <endpoint-region> ${ENDPOINT_FAULTS.join('|')}`,
    `npm run fault -- dns <api> ${DNS_FAULTS.join('|')}`,
    'npm run fault -- status',
  ],
  summary: `Game-day faults in the running sandbox (found through its bookmark):
  <api> <region> down      the API refuses connections in that Region
  <api> <region> error     the API answers 500 Internal Server Error in that Region
  <api> <region> slow      the API answers, but 5 s late, in that Region
  <api> <region> up        back to normal
  arc <region> <fault>     the ARC cluster endpoint in that Region refuses connections (refuse), never
                           answers (hang), answers 503 (unavailable), 429 (throttle) or 500 (internal-error),
                           or answers reads but applies an update without ever answering it (hang-after-update);
                           none clears it. Endpoint Regions: ${ARC_CLUSTER_ENDPOINT_REGIONS.join(', ')}
  dns <api> stale          the API's record in the zone keeps answering the Region it answers now, whatever
                           its routing controls say (a change that has not reached the name servers);
                           none lets it follow them again`,
  flags: bookmarkFlag,
  positionals: [{ name: 'api|arc|dns' }, { name: 'region|api' }, { name: 'fault' }],
  subcommands: [status],
});

runCommand(faultCommand, async ({ flags, positionals: [target, region, fault] }) => {
  const request = faultRequest(target!, region!, fault!);
  const sandbox = await findRunningSandbox(sandboxBookmarkPath(flags.bookmark));
  const message = await admin.fault(sandbox.adminUrl, request);
  console.log(message);
});

/** The fault asked for on the command line, its kind checked before any call. */
function faultRequest(first: string, region: string, fault: string): FaultRequest {
  if (first === 'dns') {
    if (!isOneOf(DNS_FAULTS, fault)) {
      throw new UsageError(`unknown DNS fault "${fault}" (known: ${DNS_FAULTS.join(', ')})`);
    }
    return { target: 'dns', api: region, fault };
  }
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
          `${r.region} ${r.role} control ${r.routingControl}${r.fault === 'up' ? '' : ` FAULT ${r.fault}`}`,
      )
      .join(', ');
    const stale = api.dnsStaleOn ? `, DNS FAULT stale on ${api.dnsStaleOn}` : '';
    lines.push(`  ${api.api.padEnd(14)} traffic -> ${api.servingRegion.padEnd(14)} (${regions}${stale})`);
  }
  const faulted = status.arc.filter((endpoint) => endpoint.fault !== 'none');
  lines.push(
    faulted.length === 0
      ? '  ARC endpoints: all healthy'
      : `  ARC endpoints with faults: ${faulted.map((e) => `${e.region} ${e.fault}`).join(', ')}`,
  );
  return lines.join('\n');
}
