/**
 * Default timings, set from round trips between real AWS Regions, not loopback. A cluster's endpoints are
 * spread over the world (us-east-1, us-west-2, eu-west-1, ap-northeast-1, ap-southeast-2), so from any
 * operator some are far. Measured round trips between those Regions: ~70-90 ms between the US coasts and
 * from the US east coast to Ireland, ~100 ms Tokyo-Sydney, ~145 ms Virginia-Tokyo, ~200-230 ms
 * Virginia-Sydney, ~260-310 ms Ireland-Sydney. Every CLI run is a new process, so its first call to an
 * endpoint pays TCP connect (1 round trip), TLS (1-2) and the request itself (1): 3-4 round trips.
 *
 * - `hedgeDelayMs` 400: a read goes to one endpoint; only if it has not answered by then are the other four
 *   asked at once. 400 ms is 3-4 round trips to an endpoint up to ~100 ms away: from the US east coast,
 *   3 of the 5 endpoints answer alone (us-east-1, us-west-2, eu-west-1). A first pick 150-300 ms away
 *   would need 0.5-1.2 s; hedged, the read ends after 400 ms plus the nearest endpoint's answer.
 * - `connectTimeoutMs` 500: one TCP handshake to the farthest endpoint (~310 ms) with margin. Waiting longer
 *   buys nothing: a SYN lost on the way is resent only after 1 s, and another endpoint will do.
 * - `timeoutMs` 1500: one read attempt on one endpoint: 4 round trips to the farthest one plus the cluster's
 *   own time, with margin.
 * - `writeTimeoutMs` 3000: a write is a consensus across the cluster's Regions (one or two more round trips
 *   between them) on top of those 4 round trips: up to ~1.5 s from far away. A write given up on too early
 *   may still be applied, and its retry on another endpoint then meets the safety rules' wait period as a
 *   ConflictException; so a write gets twice that. It seldom waits it out: writes go first to the endpoint
 *   that answered the last read, so they do not meet a hanging one.
 */
export const DEFAULT_TIMEOUTS = {
  connectTimeoutMs: 500,
  timeoutMs: 1500,
  writeTimeoutMs: 3000,
  hedgeDelayMs: 400,
};
