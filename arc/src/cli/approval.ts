import { findRunbook, loadTopology, runbookApis, type RoutingControlState } from '@arc-failover/shared';
import { NoApprovalGate, readGates, setGates, gatedApis } from '../approval';
import type { Bookmark } from '../bookmark';
import {
  DataPlane,
  EndpointRejection,
  NoEndpointAnswered,
  type StaticCredentials,
} from '../dataplane/client';
import type { Command } from './args';
import { appendAudit, defaultAuditPath, type AuditEntry } from './audit';
import { CliError, ROUTING_MAY_HAVE_CHANGED, UsageError } from './errors';
import type { Output } from './output';
import { loadBookmark } from './session';

type GateCommand = Extract<Command, { kind: 'approve' | 'revoke' }>;

/**
 * The approver's credentials: the sandbox bookmark's approver keys when present; otherwise the AWS profile
 * named by ARC_APPROVER_PROFILE, or the default chain (AWS_PROFILE, environment keys, SSO...). The
 * operator's sandbox keys are never used for this: the cluster would refuse them (403).
 */
export async function approverCredentials(bookmark: Bookmark): Promise<StaticCredentials> {
  if (bookmark.sandbox) {
    const keys = bookmark.sandbox.approverCredentials;
    if (!keys)
      throw new NoApprovalGate(
        bookmark.stage,
        bookmark.services.map((s) => s.name),
      );
    return keys;
  }
  const profile = process.env.ARC_APPROVER_PROFILE;
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
  try {
    return await defaultProvider(profile ? { profile } : {})();
  } catch (error) {
    throw new CliError(
      `no approver credentials found (${String((error as Error).message).split('\n')[0]}): set ARC_APPROVER_PROFILE (or AWS_PROFILE) to the approver's profile`,
    );
  }
}

/**
 * `approve` / `revoke`: the approval controls of the APIs On / Off, read back, one audit line naming who
 * ran it (OS user, host, access key id). Exit 1 when the bookmark has no gate or the cluster refuses
 * (e.g. 403 for keys the approver policy does not cover); 3 when no endpoint answered a write that may
 * have landed.
 */
export async function gateCommand(command: GateCommand, out: Output, argv: string[]): Promise<void> {
  const { bookmark, file } = loadBookmark(command.options);
  const state: RoutingControlState = command.kind === 'approve' ? 'On' : 'Off';
  const entry: AuditEntry = {
    action: command.kind,
    stage: bookmark.stage,
    argv,
    bookmark: file,
    apis: command.apis,
    outcome: 'failed',
  };
  let accessKeyId: string | undefined;
  try {
    let names: string[];
    try {
      names = gatedApis(bookmark, apisOf(command)).map((api) => api.name);
    } catch (error) {
      if (error instanceof RangeError) throw new UsageError(error.message);
      throw error;
    }
    entry.apis = names;
    const credentials = await approverCredentials(bookmark);
    accessKeyId = credentials.accessKeyId;
    const dataPlane = new DataPlane({
      endpoints: bookmark.endpoints,
      credentials,
      connectTimeoutMs: command.options.connectTimeoutMs,
      timeoutMs: command.options.timeoutMs,
      writeTimeoutMs: command.options.writeTimeoutMs,
    });
    let states: Map<string, RoutingControlState>;
    try {
      states = await setGates(dataPlane, bookmark, names, state);
    } catch (error) {
      // was anything changed? ask again, so the audit line says what the cluster holds
      entry.states = await readGates(dataPlane, bookmark, names).then(
        (read) => Object.fromEntries(read),
        () => undefined,
      );
      throw error;
    } finally {
      dataPlane.close();
    }
    entry.states = Object.fromEntries(states);
    const wrong = [...states].filter(([, s]) => s !== state).map(([api]) => api);
    if (wrong.length > 0) {
      throw new CliError(`read back: the approval gate of ${wrong.join(', ')} is not ${state}`, 1);
    }
    entry.outcome = command.kind === 'approve' ? 'approved' : 'revoked';
    for (const [api, s] of states) {
      out.line(
        `${api}: approval gate ${s}${s === 'On' ? ' (its routing controls may change)' : ' (closed)'}`,
      );
    }
    out.document({ stage: bookmark.stage, action: command.kind, gates: Object.fromEntries(states) });
  } catch (error) {
    const failure = explain(command, error);
    entry.error = failure.message;
    throw failure;
  } finally {
    const warning = appendAudit(
      command.options.auditLog ?? defaultAuditPath(bookmark.stage),
      entry,
      accessKeyId,
    );
    if (warning) out.note(`warning: ${warning}`);
  }
}

function explain(command: GateCommand, error: unknown): Error {
  if (error instanceof CliError) return error;
  if (error instanceof NoApprovalGate) return new CliError(error.message, 1);
  if (error instanceof EndpointRejection) {
    const name = (error.error as { name?: string }).name ?? 'Error';
    const hint =
      name === 'AccessDeniedException'
        ? `: ${command.kind} needs the approver's credentials (the approver policy), not the operator's`
        : '';
    return new CliError(
      `the cluster refused to ${command.kind}, nothing was changed: ${name}: ${error.message}${hint}`,
    );
  }
  if (error instanceof NoEndpointAnswered) {
    return error.mayHaveApplied
      ? new CliError(
          `${error.message}: the gate may have changed, run ${command.kind} again`,
          ROUTING_MAY_HAVE_CHANGED,
        )
      : new CliError(`${error.message}: nothing was changed`);
  }
  return error as Error;
}

/** The API names, 'all', or every API the named runbook switches (its gates are what its steps wait for). */
function apisOf(command: GateCommand): string[] | 'all' {
  const { apis } = command;
  if (apis === 'all' || Array.isArray(apis)) return apis;
  return runbookApis(findRunbook(loadTopology(command.options.stage).runbooks, apis.runbook));
}
