import type { Runbook } from '@arc-failover/shared';
import type { Bookmark } from '../bookmark';
import type { proveSwitch } from '../proof';
import type { ReadinessOptions } from '../readiness';
import type { ExecutionReport } from '../report/model';
import type { SwitchoverDataPlane } from '../switchover';
import type { RunbookEvent } from './events';

/** What an evaluation needs: the runbook, the bookmark, and a data plane to read the states from. */
export interface EvaluationContext {
  bookmark: Bookmark;
  dataPlane: Pick<SwitchoverDataPlane, 'getRoutingControlStates'>;
  runbook: Runbook;
  /** The operator's credentials as resolved; absent: a failed check (nothing can be signed). */
  credentials?: { accessKeyId: string };
  /** The readiness GETs' timeouts; undefined is --skip-readiness (recorded as a check). */
  readiness?: ReadinessOptions;
  /** Safety-rule ARNs the run will ask the cluster to bypass. */
  overrides?: string[];
  /**
   * Someone can answer an approval step that has no gate (a terminal). False: such a step fails the
   * evaluation, before anything changes. Default true.
   */
  canAskApproval?: boolean;
  /** The first step to evaluate (0-based): a resumed run evaluates what is left. Default 0. */
  from?: number;
}

/** An approval step without gate, as asked of a person. */
export interface ApprovalRequest {
  /** 0-based position in the runbook. */
  index: number;
  /** The runbook's number of steps. */
  total: number;
  note?: string;
  timeoutSeconds: number;
}

export interface ApprovalAnswer {
  approved: boolean;
  /** Who answered. */
  by: string;
}

export interface RunbookContext extends Omit<EvaluationContext, 'dataPlane' | 'from'> {
  dataPlane: SwitchoverDataPlane;
  /** Pre-filled by the caller (id, who, argv, stage, clusterArn, startedAt); the run fills the rest in place. */
  report: ExecutionReport;
  /** How long each switch step waits for DNS and HTTP to show the target Region (--wait-timeout). */
  proof: { timeoutMs: number; intervalMs?: number };
  /** The proof; injectable for tests. Default proveSwitch. */
  prove?: typeof proveSwitch;
  /** Aborted (Ctrl-C): a switch in flight finishes its update and reads back; a wait or approval stops at once. */
  halt?: AbortSignal;
  /** Asks a person to approve a step whose next switch has no approval gate; bounded by the step's timeout. */
  askApproval: (step: ApprovalRequest, apis: string[]) => Promise<ApprovalAnswer>;
  /** Between two reads of the approval gates; default 1000 ms. */
  gatePollMs?: number;
  /** Told of every event, in order, with the report already up to date. */
  onEvent: (event: RunbookEvent) => void;
  /** The report of an earlier run of this runbook to continue (its proven steps are skipped). */
  resume?: ExecutionReport;
}
