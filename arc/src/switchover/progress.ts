import type { Answer, FailedAttempt } from '../dataplane/client';
import type { ReadinessAnswer } from '../readiness';
import type { ApiStatus } from './api-status';
import type { ApiPlan, Batch, Plan } from './plan';

/** What one data-plane call reports about the endpoints: who answered, who failed and why. */
export interface CallRecord {
  /** 'read', 'update 1/2', 'read back'. */
  call: string;
  answeredBy?: { region: string; url: string };
  /** The endpoint that answered with an error every endpoint would give (4xx). */
  rejectedBy?: { region: string; url: string };
  failed: { region: string; url: string; kind: string; reason: string }[];
  /** Endpoints of a hedged read still running when another answered: slower, not failed. */
  abandoned?: { region: string; url: string; elapsedMs: number }[];
}

export interface BatchRecord extends Batch {
  /** The cluster accepted this batch. */
  applied: boolean;
  /** The Region of the endpoint that accepted it. */
  endpoint?: string;
}

/** How far a switchover got; kept up to date while it runs (see `onEvent`). */
export interface SwitchoverProgress {
  plan: Plan;
  batches: BatchRecord[];
  calls: CallRecord[];
  /** The switched APIs as read back after the updates: states and where traffic goes. */
  readBack?: ApiStatus[];
  /** The read back shows every target state. Unset until read back. */
  verified?: boolean;
  /** The APIs the read back shows off their target. */
  unmet: ApiPlan[];
  /** The halt signal came once updates had begun. */
  interrupted: boolean;
  /** The readiness gate's answers, one per moving API; absent when it was skipped. */
  readiness?: ReadinessAnswer[];
  /** When the first update was sent (epoch ms): what the proof's times count from. */
  updateSentAt?: number;
}

export function callRecord(
  call: string,
  answer: Pick<Answer<unknown>, 'endpoint' | 'failures' | 'abandoned'>,
): CallRecord {
  return {
    call,
    answeredBy: answer.endpoint,
    failed: failedList(answer.failures),
    abandoned: answer.abandoned.map(({ endpoint, elapsedMs }) => ({ ...endpoint, elapsedMs })),
  };
}

export function failedList(failures: FailedAttempt[]): CallRecord['failed'] {
  return failures.map((f) => ({
    region: f.endpoint.region,
    url: f.endpoint.url,
    kind: f.kind,
    reason: f.reason,
  }));
}
