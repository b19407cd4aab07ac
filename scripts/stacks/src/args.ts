import { parseArgs } from 'node:util';
import { loadTopology, type Topology } from '@arc-failover/shared';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The environment variable naming the stage when no --stage is given (handy with `lerna run`). */
export const STAGE_ENV = 'ARC_FAILOVER_STAGE';

/**
 * The topology of the stage named by --stage or ARC_FAILOVER_STAGE. Deploy and remove name their stage
 * explicitly; packaging defaults to the sandbox stage, `local`.
 */
export function stageTopology(args: string[], { defaultStage }: { defaultStage?: string } = {}): Topology {
  let values: { stage?: string };
  try {
    ({ values } = parseArgs({ args, options: { stage: { type: 'string', short: 's' } }, strict: true }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}: the only option is --stage <stage>`);
  }
  const stage = values.stage ?? process.env[STAGE_ENV] ?? defaultStage;
  if (!stage) throw new UsageError(`name the stage: --stage <stage> (or ${STAGE_ENV}=<stage>)`);
  return loadTopology(stage);
}
