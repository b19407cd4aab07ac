import path from 'node:path';
import { ARC_CLUSTER_ENDPOINT_REGIONS, loadTopology, SAFETY_RULE_WAIT_PERIOD_MS } from '@arc-failover/shared';
import { parseFlags, port, runMain, seconds, UsageError, wholeNumber } from '../cli';
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

const USAGE = `Usage: npm start -- [flags]

Runs the whole system on loopback for the "local" stage: every API in both of its Regions (the packaged
templates and bundles), the ARC cluster emulation, a DNS server with Route 53 failover answers, and a public
entry. Writes the bookmark npm run switch reads, shows every public URL every few seconds, and runs the
failover demo once (npm run demo: fail over and back, one API then all) so you can watch it. Ctrl-C stops it.

Flags:
  --port <n>               public entry on 127.0.0.1 (default ${DEFAULTS.port}; 0 = any free port)
  --api-port <n>           the port every API listens on, each at its own address (default ${DEFAULTS.apiPort})
  --api-addresses <p>      each API's address per Region (default ${DEFAULT_API_ADDRESSES}; {region} and {api}
                           count from 1 in the topology's order)
  --dns-port <n>           DNS server, UDP and TCP (default ${DEFAULTS.dnsPort})
  --arc-ports <a,b,c,d,e>  the five cluster endpoints, ${ARC_CLUSTER_ENDPOINT_REGIONS.join(', ')}
                           (default ${DEFAULTS.arcPorts.join(',')}; 0 = free ports)
  --admin-port <n>         admin listener for npm run fault (default ${DEFAULTS.adminPort})
  --ttl <s>                TTL of the DNS answers (default: the topology's sandbox.recordTtlSeconds)
  --wait-period-ms <ms>    the safety rules' wait period (default ${SAFETY_RULE_WAIT_PERIOD_MS}, as in ARC)
  --interval <s>           live view period (default ${DEFAULTS.intervalSeconds})
  --quiet                  no live view
  --no-demo                skip the failover demo; just run the sandbox
  --leave-off              leave every routing control Off, as right after a first deploy (implies --no-demo)
  --approval-gate          turn on the approval gate (off by default, so plain AWS CLI commands work):
                           approver keys in the bookmark, npm run switch -- approve/revoke (implies --no-demo)
  --bookmark <file>        where to write the bookmark (default arc/bookmarks/local.json, or $ARC_BOOKMARK)
  --help                   this text`;

function parse(argv: string[]) {
  const { values, positionals } = parseFlags(argv, {
    port: { type: 'string' },
    'api-port': { type: 'string' },
    'api-addresses': { type: 'string' },
    'dns-port': { type: 'string' },
    'arc-ports': { type: 'string' },
    'admin-port': { type: 'string' },
    ttl: { type: 'string' },
    'wait-period-ms': { type: 'string' },
    interval: { type: 'string' },
    quiet: { type: 'boolean' },
    'no-demo': { type: 'boolean' },
    'leave-off': { type: 'boolean' },
    'approval-gate': { type: 'boolean' },
    bookmark: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (see --help)`);
  const arcPorts = values['arc-ports']?.split(',').map((p) => port(p.trim(), '--arc-ports'));
  if (arcPorts && arcPorts.length !== 1 && arcPorts.length !== ARC_CLUSTER_ENDPOINT_REGIONS.length) {
    throw new UsageError(
      `--arc-ports: give ${ARC_CLUSTER_ENDPOINT_REGIONS.length} comma-separated ports (${ARC_CLUSTER_ENDPOINT_REGIONS.join(', ')}), or 0 for free ones`,
    );
  }
  const interval = seconds(values.interval ?? String(DEFAULTS.intervalSeconds), '--interval', 3600);
  if (interval < 0.2) throw new UsageError(`--interval ${values.interval}: at least 0.2 seconds`);
  return {
    help: values.help ?? false,
    bookmark: path.resolve(sandboxBookmarkPath(values.bookmark)),
    entryPort: port(values.port ?? String(DEFAULTS.port), '--port'),
    apiPort: port(values['api-port'] ?? String(DEFAULTS.apiPort), '--api-port'),
    apiAddresses: values['api-addresses'] ?? DEFAULT_API_ADDRESSES,
    dnsPort: port(values['dns-port'] ?? String(DEFAULTS.dnsPort), '--dns-port'),
    adminPort: port(values['admin-port'] ?? String(DEFAULTS.adminPort), '--admin-port'),
    arcPorts:
      arcPorts?.length === 1
        ? ARC_CLUSTER_ENDPOINT_REGIONS.map(() => arcPorts[0]!)
        : (arcPorts ?? DEFAULTS.arcPorts),
    ttl: values.ttl === undefined ? undefined : wholeNumber(values.ttl, '--ttl', 0, 86_400),
    waitPeriodMs:
      values['wait-period-ms'] === undefined
        ? SAFETY_RULE_WAIT_PERIOD_MS
        : wholeNumber(values['wait-period-ms'], '--wait-period-ms', 0, 3_600_000),
    intervalMs: interval * 1000,
    quiet: values.quiet ?? false,
    // The demo starts from every API on its primary, which --leave-off does not give it.
    // ... and its switches would need an approver with the gate on.
    demo: !values['no-demo'] && !values['leave-off'] && !values['approval-gate'],
    leaveOff: values['leave-off'] ?? false,
    approvalGate: values['approval-gate'] ?? false,
  };
}

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const args = parse(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const local = loadTopology('local');
  const topology = args.approvalGate ? { ...local, arc: { ...local.arc, approvalGate: true } } : local;
  apiAddresses(args.apiAddresses, topology);
  await refuseSecondSandbox(args.bookmark);

  const logLine = throttledLog((line) => console.log(line));
  const started = await startSandbox({
    topology,
    host: '127.0.0.1',
    entryPort: args.entryPort,
    apiPort: args.apiPort,
    dnsPort: args.dnsPort,
    adminPort: args.adminPort,
    arcPorts: args.arcPorts,
    apiAddresses: args.apiAddresses,
    ttlSeconds: args.ttl ?? topology.sandbox.recordTtlSeconds,
    waitPeriodMs: args.waitPeriodMs,
    bookmarkFile: args.bookmark,
    leaveOff: args.leaveOff,
    log: (source, line) => logLine(`[${source}] ${line}`),
  });
  const { sandbox } = started;
  console.log(describe(sandbox, started, args));

  const view = new LiveView({
    entryUrl: sandbox.entryUrl,
    paths: publicPaths(topology.all),
    intervalMs: args.intervalMs,
    print: (line) => console.log(line),
  });
  if (!args.quiet) view.start();

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
  return 0;
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
  args: ReturnType<typeof parse>,
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

runMain('sandbox', main);
