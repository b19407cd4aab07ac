import { loadTopology } from '@arc-failover/shared';
import { parseFlags, runMain, seconds, UsageError, wholeNumber } from '../cli';
import { findRunningSandbox, sandboxBookmarkPath } from '../../admin/running-sandbox';
import { formatRound, probeAll, publicPath, publicPaths } from './probe';

const USAGE = `Usage: npm run probe -- [flags]

Every few seconds, one line per public URL (/, /service1, ...) with the Region that answered, the status
and the latency: against the running sandbox by default, or any base URL (a real deployment).

Flags:
  --url <base>               base URL to probe, e.g. https://example.com (default: the sandbox's public entry)
  --interval <s>             seconds between rounds (default 2)
  --until <api>=<region>     exit 0 once that API is answered from that Region (e.g. service1=us-west-2;
                             the entry API's path is /); repeatable: all must hold in one round
  --timeout <s>              with --until: give up (exit 1) after this long (default 60)
  --count <n>                stop after n rounds
  --stage <stage>            topology stage for the list of APIs (default local)
  --bookmark <file>          the sandbox's bookmark (default arc/bookmarks/local.json, or $ARC_BOOKMARK)
  --help                     this text`;

async function main(): Promise<number> {
  const { values, positionals } = parseFlags(process.argv.slice(2), {
    url: { type: 'string' },
    interval: { type: 'string' },
    until: { type: 'string', multiple: true },
    timeout: { type: 'string' },
    count: { type: 'string' },
    stage: { type: 'string' },
    bookmark: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (see --help)`);
  const topology = loadTopology(values.stage ?? 'local');
  const intervalMs = seconds(values.interval ?? '2', '--interval', 3600) * 1000;
  const timeoutMs = seconds(values.timeout ?? '60', '--timeout', 86_400) * 1000;
  const count = values.count === undefined ? Infinity : wholeNumber(values.count, '--count', 1, 1_000_000);
  const until = (values.until ?? []).map((condition) => {
    const [api, region] = condition.split('=');
    const service = topology.all.find((s) => s.name === api);
    if (!service || !region) {
      throw new UsageError(
        `--until ${condition}: expected <api>=<region> with api one of ${topology.all.map((s) => s.name).join(', ')}`,
      );
    }
    if (!service.regions.includes(region as never)) {
      throw new UsageError(
        `--until ${condition}: ${api} runs in ${service.regions.join(' and ')}, not ${region}`,
      );
    }
    return { path: publicPath(service), region, text: condition };
  });
  if (values.url !== undefined && !/^https?:\/\/[^/]+/.test(values.url)) {
    throw new UsageError(`--url ${values.url}: expected a base URL such as https://example.com`);
  }
  const baseUrl = values.url ?? (await findRunningSandbox(sandboxBookmarkPath(values.bookmark))).entryUrl;

  const paths = publicPaths(topology.all);
  const deadline = Date.now() + timeoutMs;
  console.log(
    `probing ${baseUrl} every ${intervalMs / 1000} s${until.length ? ` until ${until.map((u) => u.text).join(' and ')}` : ''}`,
  );
  for (let round = 1; round <= count; round++) {
    const started = Date.now();
    const results = await probeAll(baseUrl, paths);
    console.log(formatRound(results));
    if (
      until.length > 0 &&
      until.every((u) => results.some((r) => r.path === u.path && r.region === u.region))
    ) {
      console.log(`seen: ${until.map((u) => u.text).join(' and ')}`);
      return 0;
    }
    if (until.length > 0 && Date.now() >= deadline) {
      process.stderr.write(
        `probe: not seen within ${timeoutMs / 1000} s: ${until.map((u) => u.text).join(' and ')}\n`,
      );
      return 1;
    }
    if (round < count)
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + intervalMs - Date.now())));
  }
  if (until.length === 0) return 0;
  process.stderr.write(`probe: not seen in ${count} rounds: ${until.map((u) => u.text).join(' and ')}\n`);
  return 1;
}

runMain('probe', main);
