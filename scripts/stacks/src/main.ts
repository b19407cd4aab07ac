/**
 * `arc-failover-stack <command>`. In a stack's package (arc/, packages/<api>/): `package`, `deploy` or
 * `remove` that stack in every Region it runs in. At the repository root: `preflight` (the topology's
 * packages, then the read-only deploy checks of every stack of the stage), `deploy-all` (the preflight,
 * then `lerna run deploy` for the stage), `check` (the packages only, offline) and `remove-all` (every
 * stack, in the reverse of the deploy order).
 */
import type { Topology } from '@arc-failover/shared';
import { defineCommand, runCommand, subcommand } from '@arc-failover/shared/command';
import { deployAll, packageAll, removeAll, requireCredentials } from './commands';
import { lernaDeploy } from './deploy-stage';
import { stagePreflight } from './preflight';
import { checkPackages, deployablePackages, packageHere } from './deployables';
import { anyStageTopology, STAGE_FLAG, stageTopology } from './args';

const report = (line: string) => console.log(line);

/** Before a deploy of the stage: its packages match the topology, then the read-only checks of its stacks. */
async function preflight(topology: Topology): Promise<void> {
  checkPackages(topology);
  report(await stagePreflight(topology));
}

const inPackage = (what: string) =>
  `${what} this stack (run in arc/ or packages/<api>/) in every Region it runs in`;

const stacksCommand = defineCommand({
  invocation: 'arc-failover-stack',
  summary: `Packages, deploys and removes the stacks of a stage with osls: package, deploy and remove in a stack's
package (npm run package|deploy|remove runs them through lerna); preflight, check and remove-all at the root.
The stage comes from --stage or ARC_FAILOVER_STAGE.`,
  flags: {},
  subcommands: [
    subcommand(
      'package',
      { summary: `${inPackage('package')}, offline`, flags: STAGE_FLAG('package', 'local') },
      async ({ flags }) => {
        const topology = stageTopology(flags.stage, 'local');
        await packageAll(packageHere(topology), topology.stage, report);
      },
    ),
    subcommand('deploy', { summary: inPackage('deploy'), flags: STAGE_FLAG('deploy') }, async ({ flags }) => {
      const topology = stageTopology(flags.stage);
      await deployAll(packageHere(topology), topology, report);
    }),
    subcommand('remove', { summary: inPackage('remove'), flags: STAGE_FLAG('remove') }, async ({ flags }) => {
      const topology = stageTopology(flags.stage);
      const pkg = packageHere(topology);
      await requireCredentials(topology);
      await removeAll(pkg, topology);
    }),
    subcommand(
      'preflight',
      {
        summary:
          'before a deploy: every API of the topology has its package, then the read-only checks of every stack of the stage (credentials, hosted zone, certificates, cluster, stack states)',
        flags: STAGE_FLAG('check before deploying'),
      },
      async ({ flags }) => {
        await preflight(stageTopology(flags.stage));
      },
    ),
    subcommand(
      'deploy-all',
      {
        summary: 'npm run deploy: the preflight, then every stack of the stage through lerna, arc first',
        flags: STAGE_FLAG('deploy'),
      },
      async ({ flags }) => {
        const topology = stageTopology(flags.stage);
        await preflight(topology);
        await lernaDeploy(topology);
      },
    ),
    subcommand(
      'check',
      {
        summary: 'before packaging: every API of the topology has its package, and every package is in it',
        flags: {},
      },
      () => checkPackages(anyStageTopology()),
    ),
    subcommand(
      'remove-all',
      {
        summary: 'every stack of the stage, in the reverse of the deploy order',
        flags: STAGE_FLAG('remove'),
      },
      async ({ flags }) => {
        const topology = stageTopology(flags.stage);
        const packages = deployablePackages(topology).reverse();
        await requireCredentials(topology);
        for (const pkg of packages) await removeAll(pkg, topology);
      },
    ),
  ],
});

runCommand(stacksCommand);
