/**
 * `arc-failover-stack <command>`. In a stack's package (arc/, packages/<api>/): `package`, `deploy` or
 * `remove` that stack in every Region it runs in. At the repository root: `preflight` (the topology's
 * packages and AWS credentials, once, before lerna starts any stack), `check` (the packages only, offline)
 * and `remove-all` (every stack, in the reverse of the deploy order).
 */
import { ARC_CONTROL_PLANE_REGION } from '@arc-failover/shared';
import { defineCommand, runCommand, subcommand } from '@arc-failover/shared/command';
import { missingCredentials } from '@arc-failover/shared/serverless';
import { deployAll, packageAll, removeAll, requireCredentials, StackCommandError } from './commands';
import { checkPackages, deployablePackages, packageHere } from './deployables';
import { anyStageTopology, STAGE_FLAG, stageTopology } from './args';

const report = (line: string) => console.log(line);

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
          'before a deploy: every API of the topology has its package, and AWS credentials are at hand',
        flags: {},
      },
      async () => {
        checkPackages(anyStageTopology());
        const problem = await missingCredentials(ARC_CONTROL_PLANE_REGION);
        if (problem) throw new StackCommandError(problem);
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
