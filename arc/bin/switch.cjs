#!/usr/bin/env node
'use strict';
/**
 * The switchover CLI's launcher: `npm run switch`, the `arc-switch` bin, and every test and benchmark run
 * the CLI through it. One Node process runs the prebuilt bundle (rebuilt first if a source changed, see
 * cli-bundle.cjs): no TypeScript compiled at launch and no child process, so a signal sent to this process
 * (or, through `npm run switch`, to npm, which passes SIGINT and SIGTERM on to it) reaches the CLI's own
 * interrupt handling, and its exit status is the CLI's.
 */
const { freshBundle, loadBundle } = require('./cli-bundle.cjs');

async function launch() {
  let cli;
  try {
    cli = loadBundle(await freshBundle());
  } catch (error) {
    process.stderr.write(`error: the switch CLI could not be built: ${error.message}\n`);
    return 1;
  }
  const argv = process.argv.slice(2);
  const code = await cli.exports.main(argv);
  // a command that succeeded, other than --help, read routing controls through the SDK
  cli.saveCodeCache(code === 0 && !argv.includes('--help') && !argv.includes('-h'));
  return code;
}

// Exit as soon as the work is done, as arc/src/cli/main.ts does when run directly (an SDK timer may linger).
launch().then((code) => process.exit(code));
