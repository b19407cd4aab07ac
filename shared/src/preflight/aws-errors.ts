/** The error name an AWS SDK v3 call failed with (e.g. ResourceNotFoundException), if any. */
export function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/**
 * A check that AWS would not answer (access denied, throttled, no network...) is a problem too: the
 * deploy cannot be shown safe. One line, naming what could not be read and why.
 */
export function couldNotCheck(what: string, error: unknown): string {
  const name = awsErrorName(error) ?? 'Error';
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return `could not read ${what} (${name}: ${message}): allow the read-only call for these credentials, or try again`;
}
