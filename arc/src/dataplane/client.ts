import {
  GetRoutingControlStateCommand,
  ResourceNotFoundException,
  Route53RecoveryClusterClient,
  UpdateRoutingControlStatesCommand,
  type RoutingControlState,
  type UpdateRoutingControlStateEntry,
} from '@aws-sdk/client-route53-recovery-cluster';
import { setMaxListeners } from 'node:events';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { classify, type AttemptFailure } from './failure';
import { MUTATING_CALLS_PER_SECOND, RollingRateLimit } from './rate';
import { DEFAULT_TIMEOUTS } from './timeouts';
import type { StaticCredentials } from '../static-credentials';

export interface Endpoint {
  region: string;
  url: string;
}

export type { StaticCredentials };

export interface DataPlaneOptions {
  endpoints: Endpoint[];
  credentials: StaticCredentials;
  /** TCP connect, per attempt. */
  connectTimeoutMs?: number;
  /** One read attempt on one endpoint: every GetRoutingControlState call of the read. */
  timeoutMs?: number;
  /** One write attempt on one endpoint: one UpdateRoutingControlStates call. */
  writeTimeoutMs?: number;
  /** How long a read's first endpoint is given alone before every other endpoint is asked too. */
  hedgeDelayMs?: number;
  /** Orders the endpoints for a first try (random by default); replaceable for deterministic tests. */
  shuffle?: (endpoints: Endpoint[]) => Endpoint[];
  /** Writes sent to one endpoint in any rolling second, retries included; default 3 (ARC's quota). */
  mutatingCallsPerSecond?: number;
}

export interface WriteOptions {
  /** Once aborted, no further endpoint is tried (see `updateRoutingControlStates`). */
  halt?: AbortSignal;
  /** The endpoint to try first; the others follow in the usual order. */
  endpoint?: Endpoint;
  /** Told just before each attempt goes out, once its endpoint's rate allows it. */
  onAttempt?: (endpoint: Endpoint) => void;
}

export interface FailedAttempt extends AttemptFailure {
  endpoint: Endpoint;
}

/** An attempt still running when another endpoint answered: cancelled as slower, not failed. */
export interface AbandonedAttempt {
  endpoint: Endpoint;
  elapsedMs: number;
}

/** A result, the endpoint that gave it, the attempts that failed before it and those it outran. */
export interface Answer<T> {
  value: T;
  endpoint: Endpoint;
  failures: FailedAttempt[];
  abandoned: AbandonedAttempt[];
}

/** An endpoint answered with an error another endpoint would give too (4xx other than throttling). */
export class EndpointRejection extends Error {
  override name = 'EndpointRejection';
  constructor(
    readonly error: Error,
    readonly endpoint: Endpoint,
    readonly failures: FailedAttempt[],
  ) {
    super(error.message);
  }
}

/** `halt` came while a write waited for its endpoint's rate: nothing was sent. */
export class HaltedBeforeSending extends Error {
  override name = 'HaltedBeforeSending';
  constructor() {
    super('halted before the update was sent');
  }
}

/** Every endpoint was tried and none answered. */
export class NoEndpointAnswered extends Error {
  override name = 'NoEndpointAnswered';
  constructor(
    readonly failures: FailedAttempt[],
    /** A write may have been applied by an attempt whose answer was lost. */
    readonly mayHaveApplied: boolean,
  ) {
    super(
      `no cluster endpoint answered (${failures.map((f) => `${f.endpoint.region}: ${f.reason}`).join('; ')})`,
    );
  }
}

/**
 * GetRoutingControlState calls in flight at once on one endpoint. The SDK's connection pool holds 50
 * sockets per endpoint: a call beyond that would wait in its queue, on the attempt's clock, and past 150
 * the SDK prints a warning. A cluster's 300 routing controls take 6 rounds.
 */
const READS_IN_FLIGHT = 50;

type Work<T> = (client: Route53RecoveryClusterClient, signal: AbortSignal) => Promise<T>;

/**
 * The ARC routing-control data plane behind a cluster's five Regional endpoints. The SDK never changes
 * endpoint by itself, so this does: one client per endpoint (signed for that endpoint's Region, no SDK
 * retries), endpoints tried in random order, moving on after timeouts, connection errors, 5xx and
 * throttling. It remembers which endpoints answered or failed, so the next call starts with a good one.
 */
export class DataPlane {
  private readonly clients = new Map<string, Route53RecoveryClusterClient>();
  private readonly timeoutMs: number;
  private readonly writeTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly hedgeDelayMs: number;
  private lastAnswered?: Endpoint;
  private readonly lastFailed = new Set<Endpoint>();
  private readonly randomOrder: Endpoint[];
  private readonly writeRate: RollingRateLimit;

  constructor(private readonly options: DataPlaneOptions) {
    this.writeRate = new RollingRateLimit(options.mutatingCallsPerSecond ?? MUTATING_CALLS_PER_SECOND);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUTS.timeoutMs;
    this.writeTimeoutMs = options.writeTimeoutMs ?? DEFAULT_TIMEOUTS.writeTimeoutMs;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_TIMEOUTS.connectTimeoutMs;
    this.hedgeDelayMs = options.hedgeDelayMs ?? DEFAULT_TIMEOUTS.hedgeDelayMs;
    this.randomOrder = (options.shuffle ?? shuffle)([...options.endpoints]);
  }

  /**
   * The state of each routing control: one GetRoutingControlState call per ARN, all to the same endpoint
   * (so one endpoint answers for the whole set), up to READS_IN_FLIGHT at a time. Hedged (see `attempt`).
   * An ARN the cluster does not know (ResourceNotFoundException) is left out of the map; any other failure
   * of one call fails the attempt and cancels the others.
   */
  getRoutingControlStates(arns: readonly string[]): Promise<Answer<Map<string, RoutingControlState>>> {
    return this.attempt(async (client, signal) => {
      const siblings = new AbortController();
      const abortSignal = AbortSignal.any([signal, siblings.signal]);
      // every call in flight listens on it, and stops listening when it ends: many listeners, no leak
      setMaxListeners(0, abortSignal);
      const states = new Map<string, RoutingControlState>();
      const queue = [...arns];
      const reader = async () => {
        for (let arn = queue.shift(); arn !== undefined; arn = queue.shift()) {
          try {
            const command = new GetRoutingControlStateCommand({ RoutingControlArn: arn });
            const { RoutingControlState: state } = await client.send(command, { abortSignal });
            if (state) states.set(arn, state);
          } catch (error) {
            if (error instanceof ResourceNotFoundException) continue;
            siblings.abort();
            throw error;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(READS_IN_FLIGHT, arns.length) }, reader));
      return states;
    });
  }

  /**
   * One UpdateRoutingControlStates call: applied as a whole or not at all. Sent to one endpoint at a time,
   * never to two at once: a copy still in flight could land after a later, different change. Each attempt
   * first waits for its endpoint's rate (`mutatingCallsPerSecond`). Once `halt` is aborted no further
   * endpoint is tried (HaltedBeforeSending if none was); the attempt in flight still runs to its answer or
   * its timeout, so that a read afterwards sees whether it was applied.
   */
  async updateRoutingControlStates(
    entries: UpdateRoutingControlStateEntry[],
    safetyRulesToOverride: string[] = [],
    { halt, endpoint: first, onAttempt }: WriteOptions = {},
  ): Promise<Answer<void>> {
    const command = new UpdateRoutingControlStatesCommand({
      UpdateRoutingControlStateEntries: entries,
      ...(safetyRulesToOverride.length > 0 ? { SafetyRulesToOverride: safetyRulesToOverride } : {}),
    });
    const order = this.order();
    if (first) order.sort((a, b) => Number(b.url === first.url) - Number(a.url === first.url));
    const failures: FailedAttempt[] = [];
    for (const endpoint of order) {
      const release = await this.writeRate.acquire(endpoint.url, halt);
      if (!release) {
        if (failures.length === 0) throw new HaltedBeforeSending();
        break;
      }
      onAttempt?.(endpoint);
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), this.writeTimeoutMs);
      try {
        await this.client(endpoint).send(command, { abortSignal: deadline.signal });
        this.lastAnswered = endpoint;
        this.lastFailed.delete(endpoint);
        return { value: undefined, endpoint, failures, abandoned: [] };
      } catch (error) {
        const timedOut = deadline.signal.aborted ? this.writeTimeoutMs : undefined;
        const failure = { endpoint, ...classify(error, timedOut) };
        if (!failure.tryAnother) throw new EndpointRejection(error as Error, endpoint, failures);
        failures.push(failure);
        this.demote(endpoint);
      } finally {
        release();
        clearTimeout(timer);
      }
    }
    throw new NoEndpointAnswered(
      failures,
      failures.some((f) => f.mayHaveApplied),
    );
  }

  /** The endpoint a call would try first: the one that answered last, when there is one. */
  firstEndpoint(): Endpoint | undefined {
    return this.order()[0];
  }

  /**
   * One GetRoutingControlState call of `arn` on each endpoint but those given, each bounded by the read
   * timeout: a promise per endpoint, fulfilled with it when it answers. Reads cost no mutating quota, so this
   * is how a caller learns which endpoints it can spread writes over. Cancelled by `signal`.
   */
  probe(arn: string, except: readonly Endpoint[], signal: AbortSignal): Promise<Endpoint>[] {
    const skip = new Set(except.map((e) => e.url));
    return this.randomOrder
      .filter((endpoint) => !skip.has(endpoint.url))
      .map(async (endpoint) => {
        const abortSignal = AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]);
        const command = new GetRoutingControlStateCommand({ RoutingControlArn: arn });
        await this.client(endpoint).send(command, { abortSignal });
        return endpoint;
      });
  }

  /** Closes every pooled connection, so the process can exit at once. */
  close(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  /**
   * The order to try: the endpoint that answered last, then the untried ones at random, then those that
   * failed or were outrun by another.
   */
  private order(): Endpoint[] {
    const rank = (e: Endpoint) => (e === this.lastAnswered ? 0 : this.lastFailed.has(e) ? 2 : 1);
    return [...this.randomOrder].sort((a, b) => rank(a) - rank(b));
  }

  private demote(endpoint: Endpoint): void {
    this.lastFailed.add(endpoint);
    if (this.lastAnswered === endpoint) this.lastAnswered = undefined;
  }

  private client(endpoint: Endpoint): Route53RecoveryClusterClient {
    let client = this.clients.get(endpoint.url);
    if (!client) {
      client = new Route53RecoveryClusterClient({
        region: endpoint.region,
        endpoint: endpoint.url,
        credentials: this.options.credentials,
        maxAttempts: 1,
        requestHandler: new NodeHttpHandler({
          connectionTimeout: this.connectTimeoutMs,
          // a backstop: each attempt's own deadline, read or write, is what ends it
          requestTimeout: Math.max(this.timeoutMs, this.writeTimeoutMs),
          throwOnRequestTimeout: true,
        }),
      });
      this.clients.set(endpoint.url, client);
    }
    return client;
  }

  /**
   * Runs a read against the endpoints until one succeeds, each attempt bounded by the read timeout. Hedged:
   * the first endpoint alone, then, once it has failed or stayed silent for `hedgeDelayMs`, every other
   * endpoint at once; the first answer wins and the attempts still running are cancelled (reported as
   * abandoned, not as failed).
   */
  private attempt<T>(work: Work<T>): Promise<Answer<T>> {
    const timeoutMs = this.timeoutMs;
    const order = this.order();
    const failures: FailedAttempt[] = [];
    const running = new Map<AbortController, { endpoint: Endpoint; startedAt: number }>();
    let next = 0;
    let done = false;
    let hedgeTimer: NodeJS.Timeout | undefined;

    return new Promise<Answer<T>>((resolve, reject) => {
      const finish = (settle: (abandoned: AbandonedAttempt[]) => void) => {
        done = true;
        clearTimeout(hedgeTimer);
        const abandoned = [...running].map(([controller, { endpoint, startedAt }]) => {
          controller.abort();
          this.demote(endpoint);
          return { endpoint, elapsedMs: Math.round(performance.now() - startedAt) };
        });
        settle(abandoned);
      };
      const launch = (endpoint: Endpoint) => {
        const controller = new AbortController();
        running.set(controller, { endpoint, startedAt: performance.now() });
        let timedOut = false;
        const deadline = setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs);
        const settled = () => {
          clearTimeout(deadline);
          running.delete(controller);
          return done;
        };
        work(this.client(endpoint), controller.signal).then(
          (value) => {
            if (settled()) return;
            this.lastAnswered = endpoint;
            this.lastFailed.delete(endpoint);
            finish((abandoned) => resolve({ value, endpoint, failures, abandoned }));
          },
          (error: Error) => {
            if (settled()) return;
            const failure = { endpoint, ...classify(error, timedOut ? timeoutMs : undefined) };
            if (!failure.tryAnother) {
              finish(() => reject(new EndpointRejection(error, endpoint, failures)));
              return;
            }
            failures.push(failure);
            this.demote(endpoint);
            moveOn();
            if (running.size === 0) {
              const mayHaveApplied = failures.some((f) => f.mayHaveApplied);
              finish(() => reject(new NoEndpointAnswered(failures, mayHaveApplied)));
            }
          },
        );
      };
      /** After the first endpoint: all the others at once. */
      const moveOn = () => {
        clearTimeout(hedgeTimer);
        while (next < order.length) launch(order[next++]!);
      };
      if (order.length === 0) {
        reject(new NoEndpointAnswered([], false));
        return;
      }
      launch(order[next++]!);
      if (next < order.length) hedgeTimer = setTimeout(moveOn, this.hedgeDelayMs);
    });
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
