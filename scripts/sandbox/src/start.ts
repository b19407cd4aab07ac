import type { Topology } from '@arc-failover/shared';
import { buildApis } from './api-gateway/build';
import { putEverythingOnPrimary } from './arc-cluster/first-deploy';
import { Sandbox, type SandboxOptions } from './sandbox';

export type StartOptions = Omit<SandboxOptions, 'packaged'> & {
  /** Leave every routing control Off, as right after a first deploy, instead of putting each API on its primary. */
  leaveOff?: boolean;
  buildDir?: string;
};

export interface StartedSandbox {
  sandbox: Sandbox;
  /** APIs packaged by this start (the others came from the build cache). */
  rebuilt: string[];
  buildMs: number;
  /** From the end of the build until everything listens and every API is on its primary. */
  startMs: number;
  /** e.g. "external-api us-east-1, service1 us-east-1, service2 us-west-2"; undefined with leaveOff. */
  primaries?: string;
}

/**
 * `npm start` without the printing: packages what changed, starts everything, then does what an operator
 * does after a first deploy (every control is Off): puts every API on its primary through the data plane.
 */
export async function startSandbox(options: StartOptions & { topology: Topology }): Promise<StartedSandbox> {
  const buildStarted = performance.now();
  const { packaged, rebuilt } = await buildApis({
    topology: options.topology,
    buildDir: options.buildDir,
    log: (line) => options.log('build', line),
  });
  const started = performance.now();
  const sandbox = await Sandbox.start({ ...options, packaged });
  let primaries: string | undefined;
  try {
    if (!options.leaveOff) primaries = await putEverythingOnPrimary(sandbox.bookmark());
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  return {
    sandbox,
    rebuilt,
    buildMs: started - buildStarted,
    startMs: performance.now() - started,
    primaries,
  };
}
