// The AWS SDK warns, over eight lines of stderr, that its releases after January 2027 need Node 22: noise
// in test output. Processes the tests start inherit the setting.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// Execution reports the CLI writes during tests go to the temporary directory, not the checkout's arc/reports.
process.env.ARC_REPORT_DIR ??= require('node:path').join(
  require('node:os').tmpdir(),
  'arc-failover-test-reports',
);
