import path from 'node:path';
import {
  ARC_CLUSTER_ENDPOINT_REGIONS,
  loadTopology,
  SAFETY_RULE_WAIT_PERIOD_MS,
  type RecordSettings,
  type Topology,
} from '@arc-failover/shared';
import {
  defineCommand,
  port,
  portList,
  runCommand,
  seconds,
  UsageError,
  wholeNumber,
  type FlagValues,
} from '@arc-failover/shared/command';
import { findRunningSandbox, NoSandboxError, sandboxBookmarkPath } from '../../admin/running-sandbox';
import { throttledLog } from './throttled-log';
import { publicPaths } from '../probe/probe';
import { runDemo } from '../demo/demo';
import { apiAddresses, DEFAULT_API_ADDRESSES } from '../../addresses';
import { LiveView } from './live-view';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../start';

const DEFAULTS = {
  port: 8080,
  apiPort: 8081,
  dnsPort: 8053,
  adminPort: 8099,
  arcPorts: [8091, 8092, 8093, 8094, 8095],
  intervalSeconds: 2,
};

const startCommand = defineCommand({
  invocation: 'npm start --',
  summary: `Runs the whole system on loopback for the "local" stage: every API in both of its Regions (the packaged
templates and bundles), the ARC cluster emulation, a DNS server with Route 53 failover answers, and a public
entry. Writes the bookmark npm run switch reads, shows every public URL every few seconds, and runs the
failover demo once (npm run demo: fail over and back, one API then all) so you can watch it. Ctrl-C stops it.`,
  flags: {
    port: {
      type: 'string',
      value: '<n>',
      description: 'public entry on 127.0.0.1',
      parse: port,
      default: DEFAULTS.port,
      shownDefault: `${DEFAULTS.port}; 0 = any free port`,
    },
    'api-port': {
      type: 'string',
      value: '<n>',
      description: 'the port every API listens on, each at its own address',
      parse: port,
      default: DEFAULTS.apiPort,
    },
    'api-addresses': {
      type: 'string',
      value: '<p>',
      description: "each API's address per Region",
      default: DEFAULT_API_ADDRESSES,
      shownDefault: `${DEFAULT_API_ADDRESSES}; {region} and {api} count from 1 in the topology's order`,
    },
    'dns-port': {
      type: 'string',
      value: '<n>',
      description: 'DNS server, UDP and TCP',
      parse: port,
      default: DEFAULTS.dnsPort,
    },
    'arc-ports': {
      type: 'string',
      value: '<a,b,c,d,e>',
      description: `the five cluster endpoints, ${ARC_CLUSTER_ENDPOINT_REGIONS.join(', ')}`,
      parse: arcPorts,
      default: DEFAULTS.arcPorts,
      shownDefault: `${DEFAULTS.arcPorts.join(',')}; 0 = free ports`,
    },
    'admin-port': {
      type: 'string',
      value: '<n>',
      description: 'admin listener for npm run fault',
      parse: port,
      default: DEFAULTS.adminPort,
    },
    ttl: {
      type: 'string',
      value: '<s>',
      description:
        "TTL of the DNS answers; with --records cname, the CNAME's TTL (the Regional target's A keeps the default)",
      parse: wholeNumber(0, 86_400),
      shownDefault: "the topology's sandbox.recordTtlSeconds",
    },
    records: {
      type: 'string',
      value: '<type>',
      description: "alias or cname: the service names' records",
      parse: (text: string, flag: string) => {
        if (text !== 'alias' && text !== 'cname')
          throw new UsageError(`${flag} ${text}: give alias or cname`);
        return text;
      },
      shownDefault: "the stage's records.type",
    },
    'wait-period-ms': {
      type: 'string',
      value: '<ms>',
      description: "the safety rules' wait period",
      parse: wholeNumber(0, 3_600_000),
      default: SAFETY_RULE_WAIT_PERIOD_MS,
      shownDefault: `${SAFETY_RULE_WAIT_PERIOD_MS}, as in ARC`,
    },
    interval: {
      type: 'string',
      value: '<s>',
      description: 'live view period',
      parse: seconds(3600, { atLeast: 0.2 }),
      default: DEFAULTS.intervalSeconds,
    },
    quiet: { type: 'boolean', description: 'no live view' },
    'no-demo': { type: 'boolean', description: 'skip the failover demo; just run the sandbox' },
    'leave-off': {
      type: 'boolean',
      description: 'leave every routing control Off, as right after a first deploy (implies --no-demo)',
    },
    'approval-gate': {
      type: 'boolean',
      description:
        'turn on the approval gate (off by default, so plain AWS CLI commands work): approver keys in the bookmark, npm run switch -- approve/revoke (implies --no-demo)',
    },
    bookmark: {
      type: 'string',
      value: '<file>',
      description: 'where to write the bookmark (default arc/bookmarks/local.json, or $ARC_BOOKMARK)',
    },
  },
});

type StartFlags = FlagValues<(typeof startCommand)['flags']>;

/** One port for all five endpoints (0: free ports), or one per endpoint Region. */
function arcPorts(text: string, flag: string): number[] {
  const ports = portList(text, flag);
  if (ports.length === 1) return ARC_CLUSTER_ENDPOINT_REGIONS.map(() => ports[0]!);
  if (ports.length !== ARC_CLUSTER_ENDPOINT_REGIONS.length) {
    throw new UsageError(
      `${flag}: give ${ARC_CLUSTER_ENDPOINT_REGIONS.length} comma-separated ports (${ARC_CLUSTER_ENDPOINT_REGIONS.join(', ')}), or 0 for free ones`,
    );
  }
  return ports;
}

async function start(flags: StartFlags): Promise<void> {
  const args = {
    bookmark: path.resolve(sandboxBookmarkPath(flags.bookmark)),
    // The demo starts from every API on its primary, which --leave-off does not give it.
    // ... and its switches would need an approver with the gate on.
    demo: !flags['no-demo'] && !flags['leave-off'] && !flags['approval-gate'],
    approvalGate: flags['approval-gate'],
    waitPeriodMs: flags['wait-period-ms'],
  };
  const local = loadTopology('local');
  const topology = args.approvalGate ? { ...local, arc: { ...local.arc, approvalGate: true } } : local;
  apiAddresses(flags['api-addresses'], topology);
  await refuseSecondSandbox(args.bookmark);

  const logLine = throttledLog((line) => console.log(line));
  const started = await startSandbox({
    topology,
    host: '127.0.0.1',
    entryPort: flags.port,
    apiPort: flags['api-port'],
    dnsPort: flags['dns-port'],
    adminPort: flags['admin-port'],
    arcPorts: flags['arc-ports'],
    apiAddresses: flags['api-addresses'],
    ...dnsRecords(flags, topology),
    waitPeriodMs: args.waitPeriodMs,
    bookmarkFile: args.bookmark,
    leaveOff: flags['leave-off'],
    log: (source, line) => logLine(`[${source}] ${line}`),
  });
  const { sandbox } = started;
  console.log(describe(sandbox, started, args));

  const view = new LiveView({
    entryUrl: sandbox.entryUrl,
    paths: publicPaths(topology.all),
    intervalMs: flags.interval * 1000,
    print: (line) => console.log(line),
  });
  if (!flags.quiet) view.start();

  await new Promise<void>((resolve) => {
    let stoppingSince: number | undefined;
    const stop = (signal: string) => {
      if (stoppingSince !== undefined) {
        // npm and tsx may pass the terminal's Ctrl-C on once more; only a later one forces the exit.
        if (Date.now() - stoppingSince > 1000) process.exit(130);
        return;
      }
      stoppingSince = Date.now();
      console.log(`\n${signal}: stopping the sandbox (Ctrl-C again to force)`);
      void view
        .stop()
        .then(() => sandbox.close())
        .then(resolve);
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    if (args.demo) {
      void runDemo({ bookmarkFile: args.bookmark, print: (line) => console.log(`[demo] ${line}`) }).then(
        (report) => console.log(`[demo] ${report.ok ? 'every step behaved' : 'FAILED: see the steps above'}`),
        (error: Error) => console.log(`[demo] could not run: ${error.message}`),
      );
    }
  });
  console.log('stopped: nothing left listening');
}

/** Two sandboxes on one bookmark would steal each other's ports and state. */
async function refuseSecondSandbox(bookmark: string): Promise<void> {
  try {
    const running = await findRunningSandbox(bookmark);
    throw new UsageError(
      `a sandbox is already running (pid ${running.pid}, entry ${running.entryUrl}): stop it first, or give this one another --bookmark and other ports`,
    );
  } catch (error) {
    if (!(error instanceof NoSandboxError)) throw error;
  }
}

function describe(
  sandbox: Sandbox,
  started: Awaited<ReturnType<typeof startSandbox>>,
  args: { bookmark: string; demo: boolean; waitPeriodMs: number; approvalGate: boolean },
) {
  const { topology } = sandbox;
  const status = sandbox.status();
  const build =
    started.rebuilt.length === 0
      ? 'packages from the build cache'
      : `packaged ${started.rebuilt.join(', ')} in ${(started.buildMs / 1000).toFixed(1)} s`;
  const lines = [
    `arc-failover sandbox, stage ${topology.stage} (${topology.domain}): ready in ${(started.startMs / 1000).toFixed(2)} s (${build})`,
    '',
    `  public entry   ${sandbox.entryUrl}   (stands in for the internet: resolves the Host through the sandbox DNS)`,
    `  DNS            ${sandbox.dns.host}:${sandbox.dns.port} UDP and TCP, zone ${topology.domain}, TTL ${status.ttlSeconds} s`,
  ];
  for (const api of status.apis) {
    const regions = api.regions.map((r) => `${r.region} ${r.url}`).join('   ');
    lines.push(`  ${api.api.padEnd(14)} ${api.hostname.padEnd(22)} ${regions}`);
  }
  lines.push(`  ARC cluster    ${sandbox.emulator.clusterArn}`);
  for (const endpoint of status.arc)
    lines.push(`                 ${endpoint.region.padEnd(15)} ${endpoint.url}`);
  lines.push(`  admin          ${sandbox.adminUrl}   (npm run fault)`);
  lines.push(`  bookmark       ${path.relative(process.cwd(), args.bookmark) || args.bookmark}`);
  lines.push('');
  lines.push(
    started.primaries
      ? `Every routing control started Off, as after a first deploy; then every API was put on its primary through the cluster's data plane (UpdateRoutingControlStates): ${started.primaries}.`
      : 'Every routing control is Off, as after a first deploy (Route 53 answers the primaries); put them on their primaries with: npm run switch -- --all --to primary',
  );
  lines.push(
    `Safety rules: after a change, an API's controls stay locked for ${args.waitPeriodMs} ms (--wait-period-ms), as ARC's WaitPeriodMs.`,
  );
  const credentials = sandbox.bookmark().sandbox!.credentials;
  const first = status.arc[0]!;
  const bookmarkFlag =
    args.bookmark === path.resolve(sandboxBookmarkPath()) ? '' : ` --bookmark ${args.bookmark}`;
  const service = topology.services[0]!;
  lines.push('', 'Try:');
  lines.push(`  curl ${sandbox.entryUrl}/${service.name}`);
  lines.push(
    `  dig @${sandbox.dns.host} -p ${sandbox.dns.port} ${service.hostname}          (add +tcp for DNS over TCP)`,
  );
  lines.push(`  npm run switch -- status${bookmarkFlag}`);
  if (args.approvalGate) {
    lines.push(
      `  npm run switch -- approve ${service.name}${bookmarkFlag}      (approval gate: the approver's keys, from the bookmark)`,
    );
  }
  lines.push(`  npm run switch -- ${service.name} --to secondary${bookmarkFlag}`);
  lines.push(
    `  npm run fault -- ${service.name} ${service.primaryRegion} down${bookmarkFlag}      (then: up)`,
  );
  lines.push(`  npm run probe -- --until ${service.name}=${service.secondaryRegion}${bookmarkFlag}`);
  lines.push(
    `  AWS_ACCESS_KEY_ID=${credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey} aws route53-recovery-cluster list-routing-controls --endpoint-url ${first.url} --region ${first.region}`,
  );
  lines.push(
    '',
    args.demo
      ? `Watch a failover: the demo starts now ([demo] lines); run it again any time with "npm run demo${bookmarkFlag ? ` --${bookmarkFlag}` : ''}" in another terminal. Ctrl-C stops everything.`
      : `Watch a failover: run "npm run demo${bookmarkFlag ? ` --${bookmarkFlag}` : ''}" in another terminal. Ctrl-C stops everything.`,
    '',
  );
  return lines.join('\n');
}

runCommand(startCommand, ({ flags }) => start(flags));

/**
 * alias: every A record gets --ttl, as an alias takes its target's TTL. cname: the service names' CNAMEs get
 * --ttl (or the stage's records.ttlSeconds) and the Regional targets' A records the sandbox default.
 */
function dnsRecords(
  flags: { ttl?: number; records?: 'alias' | 'cname' },
  topology: Topology,
): { ttlSeconds: number; records: RecordSettings } {
  const type = flags.records ?? topology.records.type;
  const fallback = topology.sandbox.recordTtlSeconds;
  if (type === 'alias') return { ttlSeconds: flags.ttl ?? fallback, records: { type } };
  const stageTtl = topology.records.type === 'cname' ? topology.records.ttlSeconds : fallback;
  return { ttlSeconds: fallback, records: { type, ttlSeconds: flags.ttl ?? stageTtl } };
}
