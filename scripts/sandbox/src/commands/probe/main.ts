import { loadTopology } from '@arc-failover/shared';
import {
  CommandError,
  defineCommand,
  runCommand,
  seconds,
  UsageError,
  wholeNumber,
} from '@arc-failover/shared/command';
import { findRunningSandbox, sandboxBookmarkPath } from '../../admin/running-sandbox';
import { formatRound, probeAll, publicPath, publicPaths, type ProbeResult } from './probe';

const probeCommand = defineCommand({
  invocation: 'npm run probe --',
  summary: `Every few seconds, one line per public URL (/, /service1, ...) with the Region that answered, the status
and the latency: against the running sandbox by default, or any base URL (a real deployment).`,
  flags: {
    url: {
      type: 'string',
      value: '<base>',
      description: "base URL to probe, e.g. https://example.com (default: the sandbox's public entry)",
    },
    interval: {
      type: 'string',
      value: '<s>',
      description: 'seconds between rounds',
      parse: seconds(3600, { atLeast: 0.1 }),
      default: 2,
    },
    until: {
      type: 'string',
      value: '<api>=<region>',
      multiple: true,
      description:
        "exit 0 once that API is answered from that Region (e.g. service1=us-west-2; the entry API's path is /); repeatable: all must hold in one round",
    },
    timeout: {
      type: 'string',
      value: '<s>',
      description: 'with --until: give up (exit 1) after this long',
      parse: seconds(86_400),
      default: 60,
    },
    count: {
      type: 'string',
      value: '<n>',
      description: 'stop after n rounds (exit 1 if every request of every round failed)',
      parse: wholeNumber(1, 1_000_000),
    },
    stage: {
      type: 'string',
      value: '<stage>',
      description: 'topology stage for the list of APIs',
      default: 'local',
    },
    bookmark: {
      type: 'string',
      value: '<file>',
      description: "the sandbox's bookmark (default arc/bookmarks/local.json, or $ARC_BOOKMARK)",
    },
  },
});

runCommand(probeCommand, async ({ flags }) => {
  const topology = loadTopology(flags.stage);
  const until = flags.until.map((condition) => {
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
  if (flags.url !== undefined && !/^https?:\/\/[^/]+/.test(flags.url)) {
    throw new UsageError(`--url ${flags.url}: expected a base URL such as https://example.com`);
  }
  const baseUrl = flags.url ?? (await findRunningSandbox(sandboxBookmarkPath(flags.bookmark))).entryUrl;
  const intervalMs = flags.interval * 1000;
  const timeoutMs = flags.timeout * 1000;
  const count = flags.count ?? Infinity;
  const wanted = until.map((u) => u.text).join(' and ');

  const paths = publicPaths(topology.all);
  const deadline = Date.now() + timeoutMs;
  console.log(`probing ${baseUrl} every ${intervalMs / 1000} s${until.length ? ` until ${wanted}` : ''}`);
  let anyAnswered = false;
  for (let round = 1; round <= count; round++) {
    const started = Date.now();
    const results = await probeAll(baseUrl, paths);
    anyAnswered ||= results.some(answered);
    console.log(formatRound(results));
    if (
      until.length > 0 &&
      until.every((u) => results.some((r) => r.path === u.path && r.region === u.region))
    ) {
      console.log(`seen: ${wanted}`);
      return;
    }
    if (until.length > 0 && Date.now() >= deadline) {
      throw new CommandError(`not seen within ${timeoutMs / 1000} s: ${wanted}`);
    }
    if (round < count)
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + intervalMs - Date.now())));
  }
  if (until.length > 0) throw new CommandError(`not seen in ${count} rounds: ${wanted}`);
  if (!anyAnswered) {
    throw new CommandError(
      `every request of ${count} round${count === 1 ? '' : 's'} failed: is ${baseUrl} the right --url, and is it up?`,
    );
  }
});

/** A request that got an API's answer naming its Region; anything else (no answer, an error page) failed. */
function answered(result: ProbeResult): boolean {
  return result.region !== undefined;
}
