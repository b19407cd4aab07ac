import { readFileSync } from 'node:fs';
import { DEFAULT_TOPOLOGY_FILE, loadTopology, type Topology } from '@arc-failover/shared';
import { UsageError } from '@arc-failover/shared/command';

/** The environment variable naming the stage when no --stage is given (handy with `lerna run`). */
export const STAGE_ENV = 'ARC_FAILOVER_STAGE';

/** The --stage flag of a stack command; with no default, the stage must be named. */
export function STAGE_FLAG(what: string, defaultStage?: string) {
  return {
    stage: {
      type: 'string',
      short: 's',
      value: '<stage>',
      description: `the stage to ${what}`,
      shownDefault: `$${STAGE_ENV}${defaultStage ? `, else ${defaultStage}` : ''}`,
    },
  } as const;
}

/**
 * The topology of the stage named by --stage or ARC_FAILOVER_STAGE. Deploy and remove name their stage
 * explicitly; packaging defaults to the sandbox stage, `local`.
 */
export function stageTopology(flag: string | undefined, defaultStage?: string): Topology {
  const stage = flag ?? process.env[STAGE_ENV] ?? defaultStage;
  if (!stage) throw new UsageError(`name the stage: --stage <stage> (or ${STAGE_ENV}=<stage>)`);
  return loadTopology(stage);
}

/**
 * The topology of ARC_FAILOVER_STAGE, else of its first stage: for the root's checks, which run before
 * lerna gets the command line's --stage and read only what every stage shares (the APIs).
 */
export function anyStageTopology(): Topology {
  const named = process.env[STAGE_ENV];
  if (named) return loadTopology(named);
  let first: string | undefined;
  try {
    const file = process.env.ARC_FAILOVER_TOPOLOGY ?? DEFAULT_TOPOLOGY_FILE;
    first = Object.keys((JSON.parse(readFileSync(file, 'utf8')) as { stages?: object }).stages ?? {})[0];
  } catch {
    // loadTopology says what is wrong with the file.
  }
  return loadTopology(first ?? 'local');
}
