import {
  checkReadiness,
  DEFAULT_READINESS,
  ReadinessUnavailable,
  type ReadinessAnswer,
  type ReadinessOptions,
} from '../readiness';
import { readinessTargets, TargetNotReady, type Plan } from '../switchover';
import { CliError } from './errors';

/** The gate's timeouts unless --skip-readiness: what the switchover core checks just before the update. */
export function readinessOptions(skipReadiness: boolean): ReadinessOptions | undefined {
  return skipReadiness ? undefined : DEFAULT_READINESS;
}

export const READINESS_SKIPPED =
  'Readiness: skipped (--skip-readiness, break glass): the target Regions were not checked; recorded in the audit log.';

/** Asks every moving API's target Region now, to show before a confirmation or in a dry run. */
export async function askReadiness(plan: Plan): Promise<ReadinessAnswer[]> {
  try {
    return await checkReadiness(readinessTargets(plan), DEFAULT_READINESS);
  } catch (error) {
    throw readinessFailure(error);
  }
}

/** The readiness answers as the user sees them: one line per target, its own URL, what it answered. */
export function renderReadiness(answers: readonly ReadinessAnswer[]): string[] {
  if (answers.length === 0) return ['Readiness: no API changes Region, nothing to check.'];
  const width = Math.max(...answers.map((a) => a.api.length));
  return [
    "Readiness (each target Region's own URL, not the failover name):",
    ...answers.map(
      (a) =>
        `  ${a.api.padEnd(width)}  ${a.region}  ${a.ready ? 'ready' : 'NOT READY'}: GET ${a.url} answered ${a.answer} after ${a.elapsedMs} ms`,
    ),
  ];
}

/** A target that is not ready, or a bookmark without the facts to check it, as the CLI's one line (exit 1). */
export function readinessFailure(error: unknown): unknown {
  if (error instanceof TargetNotReady) {
    return new CliError(
      `not switching, nothing changed: ${error.message} (fix the target, or break glass with --skip-readiness)`,
    );
  }
  if (error instanceof ReadinessUnavailable) return new CliError(error.message);
  return error;
}
