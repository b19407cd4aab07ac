/** Why one attempt against one cluster endpoint failed, and whether another endpoint may do better. */
export interface AttemptFailure {
  kind:
    | 'refused'
    | 'connect-timeout'
    | 'timeout'
    | 'network'
    | 'unavailable'
    | 'throttled'
    | 'server-error'
    | 'rejected';
  /** Short, human: "no answer within 1500 ms", "connection refused", "ThrottlingException (HTTP 429)". */
  reason: string;
  /** A different endpoint may succeed: timeouts, connection errors, 5xx and throttling; never other 4xx. */
  tryAnother: boolean;
  /** The request may have reached the cluster and been applied although no answer came back. */
  mayHaveApplied: boolean;
}

interface ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

const CONNECT_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'DNS name not found',
  EAI_AGAIN: 'DNS lookup failed',
};

/**
 * Sorts an attempt's error. `timedOutAfterMs` is set when our own per-attempt deadline aborted it.
 * Errors the SDK raises before sending (credentials, parameter validation) would fail on every endpoint.
 */
export function classify(error: unknown, timedOutAfterMs?: number): AttemptFailure {
  if (timedOutAfterMs !== undefined) {
    return failure('timeout', `no answer within ${timedOutAfterMs} ms`, true, true);
  }
  const e = (error ?? {}) as ErrorShape;
  const status = e.$metadata?.httpStatusCode;
  // The SDK may re-wrap a socket error as a plain Error whose message is all that keeps the code.
  const code =
    e.code ?? (e.cause as ErrorShape | undefined)?.code ?? /\b(E[A-Z_]{4,})\b/.exec(e.message ?? '')?.[1];
  if (code && CONNECT_FAILURES[code]) return failure('refused', CONNECT_FAILURES[code], true, false);
  if (e.name === 'TimeoutError' && /establish a connection/.test(e.message ?? '')) {
    return failure('connect-timeout', 'no connection within the connect timeout', true, false);
  }
  if (e.name === 'TimeoutError' && code !== 'ECONNRESET' && code !== 'EPIPE') {
    return failure('timeout', 'no answer within the request timeout', true, true);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') {
    return failure('network', `connection lost (${code})`, true, true);
  }
  if (status !== undefined) {
    const what = `${e.name ?? 'error'} (HTTP ${status})`;
    if (status === 429 || e.name === 'ThrottlingException') return failure('throttled', what, true, false);
    if (e.name === 'EndpointTemporarilyUnavailableException')
      return failure('unavailable', what, true, false);
    if (status >= 500 || e.$fault === 'server') return failure('server-error', what, true, true);
    return failure('rejected', `${what}: ${e.message ?? ''}`.trim(), false, false);
  }
  if (e.$fault === 'client' || e.name === 'CredentialsProviderError' || e.name === 'ValidationException') {
    return failure('rejected', `${e.name}: ${e.message}`, false, false);
  }
  return failure('network', e.message || e.name || String(error), true, true);
}

function failure(
  kind: AttemptFailure['kind'],
  reason: string,
  tryAnother: boolean,
  mayHaveApplied: boolean,
): AttemptFailure {
  return { kind, reason, tryAnother, mayHaveApplied };
}
