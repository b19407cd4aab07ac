import path from 'node:path';
import { SAFETY_RULE_WAIT_PERIOD_MS } from '@arc-failover/shared';
import { parseFlags, runMain, UsageError, wholeNumber } from '../cli';
import { findRunningSandbox, NoSandboxError, sandboxBookmarkPath } from '../../admin/running-sandbox';
import { startSandboxOnFreePorts } from '../../free-ports';
import { runDemo, type DemoReport } from './demo';

const USAGE = `Usage: npm run demo -- [flags]

Runs the design's failover test end to end and exits 0 only if every step behaved: all traffic on the
primary Regions; service1 failed over with npm run switch (only service1 moves); failed back; everything
failed over at once; failed back. Prints a timeline: from each switch to the first and to the last request
served by the new Region.

It drives the sandbox that npm start runs (found through its bookmark). With none running, it starts its
own on free ports for the run and stops it afterwards.

Flags:
  --bookmark <file>        the running sandbox's bookmark (default arc/bookmarks/local.json, or $ARC_BOOKMARK)
  --audit-log <file>       where the switch CLI audits the demo's switches (default: the CLI's own)
  --ttl <s>                DNS TTL of a sandbox the demo starts itself (default: the topology's)
  --wait-period-ms <ms>    safety-rule wait period of a sandbox the demo starts itself (default ${SAFETY_RULE_WAIT_PERIOD_MS}, as ARC)
  --help                   this text`;

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values, positionals } = parseFlags(process.argv.slice(2), {
    bookmark: { type: 'string' },
    'audit-log': { type: 'string' },
    ttl: { type: 'string' },
    'wait-period-ms': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (see --help)`);
  const ttl = values.ttl === undefined ? undefined : wholeNumber(values.ttl, '--ttl', 0, 60);
  const waitPeriodMs =
    values['wait-period-ms'] === undefined
      ? SAFETY_RULE_WAIT_PERIOD_MS
      : wholeNumber(values['wait-period-ms'], '--wait-period-ms', 0, 60_000);
  const bookmark = path.resolve(sandboxBookmarkPath(values.bookmark));
  const print = (line: string) => console.log(line);
  const auditLog = values['audit-log'];

  let report: DemoReport;
  try {
    await findRunningSandbox(bookmark);
    if (ttl !== undefined || values['wait-period-ms'] !== undefined) {
      throw new UsageError(
        '--ttl and --wait-period-ms apply only to a sandbox the demo starts itself: one is running already',
      );
    }
    report = await runDemo({ bookmarkFile: bookmark, print, auditLog });
  } catch (error) {
    if (!(error instanceof NoSandboxError)) throw error;
    report = await withOwnSandbox(ttl, waitPeriodMs, print, (file) =>
      runDemo({ bookmarkFile: file, print, auditLog }),
    );
  }
  if (report.ok) {
    print('demo passed: every step behaved');
    return 0;
  }
  const failed = report.steps.findIndex((step) => !step.ok);
  const step = report.steps[failed];
  process.stderr.write(
    `demo: step ${failed + 1} (${step?.title}) failed: ${step?.problems[0] ?? 'see above'}\n`,
  );
  return 1;
}

/** No sandbox running: one of our own on free ports, with a bookmark of its own, for the length of the run. */
async function withOwnSandbox(
  ttl: number | undefined,
  waitPeriodMs: number,
  print: (line: string) => void,
  run: (bookmarkFile: string) => Promise<DemoReport>,
): Promise<DemoReport> {
  print('no sandbox running: starting one on free ports for this run (npm start runs one you can keep)');
  const own = await startSandboxOnFreePorts({
    ttlSeconds: ttl,
    waitPeriodMs,
    log: (source, line) => print(`[${source}] ${line}`),
  });
  try {
    return await run(own.bookmarkFile);
  } finally {
    await own.close();
  }
}

runMain('demo', main);
