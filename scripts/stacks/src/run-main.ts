/** Runs a command's body; the project's own errors end it with one line on stderr and exit code 1. */
export function runMain(body: () => Promise<void>): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  body().catch((error: unknown) => {
    const oneLine = error instanceof Error && ONE_LINE_ERRORS.has(error.name);
    console.error(oneLine ? `error: ${(error as Error).message}` : error);
    process.exitCode = 1;
  });
}

const ONE_LINE_ERRORS = new Set([
  'UsageError',
  'TopologyError',
  'SlsError',
  'StackCommandError',
  'PreflightError',
]);
