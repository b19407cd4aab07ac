import path from 'node:path';
import { SAFETY_RULE_WAIT_PERIOD_MS } from '@arc-failover/shared';
import {
  CommandError,
  defineCommand,
  runCommand,
  UsageError,
  wholeNumber,
} from '@arc-failover/shared/command';
import { findRunningSandbox, NoSandboxError, sandboxBookmarkPath } from '../../admin/running-sandbox';
import { startSandboxOnFreePorts } from '../../free-ports';
import { runDemo, type DemoReport } from './demo';

const demoCommand = defineCommand({
  invocation: 'npm run demo --',
  summary: `Runs the design's failover test end to end and exits 0 only if every step behaved: all traffic on the
primary Regions; service1 failed over with npm run switch (only service1 moves); failed back; everything
failed over at once; failed back. Each switch runs with --wait: it proves the move in DNS and HTTP and
writes an execution report (arc/reports/<stage>/). Prints a timeline, from each switch to the first and to
the last request served by the new Region, then where the reports are.

It drives the sandbox that npm start runs (found through its bookmark). With none running, it starts its
own on free ports for the run and stops it afterwards.`,
  flags: {
    bookmark: {
      type: 'string',
      value: '<file>',
      description: "the running sandbox's bookmark (default arc/bookmarks/local.json, or $ARC_BOOKMARK)",
    },
    'audit-log': {
      type: 'string',
      value: '<file>',
      description: "where the switch CLI audits the demo's switches (default: the CLI's own)",
    },
    ttl: {
      type: 'string',
      value: '<s>',
      description: "DNS TTL of a sandbox the demo starts itself (default: the topology's)",
      parse: wholeNumber(0, 60),
    },
    'wait-period-ms': {
      type: 'string',
      value: '<ms>',
      description: 'safety-rule wait period of a sandbox the demo starts itself',
      parse: wholeNumber(0, 60_000),
      shownDefault: `${SAFETY_RULE_WAIT_PERIOD_MS}, as ARC`,
    },
  },
});

runCommand(demoCommand, async ({ flags }) => {
  const { ttl, 'wait-period-ms': waitPeriodMs, 'audit-log': auditLog } = flags;
  const bookmark = path.resolve(sandboxBookmarkPath(flags.bookmark));
  const print = (line: string) => console.log(line);

  let report: DemoReport;
  try {
    await findRunningSandbox(bookmark);
    if (ttl !== undefined || waitPeriodMs !== undefined) {
      throw new UsageError(
        '--ttl and --wait-period-ms apply only to a sandbox the demo starts itself: one is running already',
      );
    }
    report = await runDemo({ bookmarkFile: bookmark, print, auditLog });
  } catch (error) {
    if (!(error instanceof NoSandboxError)) throw error;
    report = await withOwnSandbox(ttl, waitPeriodMs ?? SAFETY_RULE_WAIT_PERIOD_MS, print, (file) =>
      runDemo({ bookmarkFile: file, print, auditLog }),
    );
  }
  if (report.ok) {
    print('demo passed: every step behaved');
    return;
  }
  const failed = report.steps.findIndex((step) => !step.ok);
  const step = report.steps[failed];
  throw new CommandError(`step ${failed + 1} (${step?.title}) failed: ${step?.problems[0] ?? 'see above'}`);
});

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
