/**
 * Timeouts, chosen so that a switch with 4 of 5 endpoints hanging still ends well under 2 s:
 * - reads are hedged: another endpoint is raced every `hedgeDelayMs` until one answers, so 4 hanging
 *   endpoints cost at most 4 x 150 ms before the healthy one is asked;
 * - writes go first to the endpoint that answered the last read, so they do not meet the hanging ones;
 * - `connectTimeoutMs` (TCP connect) covers the round trip to the farthest cluster Region with margin;
 * - `timeoutMs` bounds one whole attempt (connect, request, answer); a cluster write is a cross-Region
 *   consensus, so it gets more room than a read needs.
 */
export const DEFAULT_TIMEOUTS = { connectTimeoutMs: 500, timeoutMs: 1500, hedgeDelayMs: 150 };
