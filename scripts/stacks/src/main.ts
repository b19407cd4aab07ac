/**
 * `arc-failover-stack <command>`. In a stack's package (arc/, packages/<api>/): `package`, `deploy` or
 * `remove` that stack in every Region it runs in. At the repository root: `preflight` (credentials, once,
 * before lerna starts any stack) and `remove-all` (every stack, in the reverse of the deploy order). The
 * stage comes from --stage or ARC_FAILOVER_STAGE.
 */
import { realpathSync } from 'node:fs';
import { ARC_CONTROL_PLANE_REGION } from '@arc-failover/shared';
import { missingCredentials } from '@arc-failover/shared/serverless';
import { deployAll, packageAll, removeAll, requireCredentials, StackCommandError } from './commands';
import { deployablePackages } from './deployables';
import { stageTopology, UsageError } from './args';
import { runMain } from './run-main';

const COMMANDS = ['package', 'deploy', 'remove', 'preflight', 'remove-all'] as const;
type StackCommand = (typeof COMMANDS)[number];

runMain(async () => {
  const [command, ...args] = process.argv.slice(2) as [StackCommand, ...string[]];
  if (!COMMANDS.includes(command)) {
    throw new UsageError(
      `usage: arc-failover-stack <${COMMANDS.join('|')}> [--stage <stage>]: package, deploy or remove in a stack's package; preflight or remove-all at the root`,
    );
  }
  if (command === 'preflight') {
    const problem = await missingCredentials(ARC_CONTROL_PLANE_REGION);
    if (problem) throw new StackCommandError(problem);
    return;
  }
  const topology = stageTopology(args, command === 'package' ? { defaultStage: 'local' } : {});
  if (command === 'remove-all') {
    await requireCredentials(topology);
    for (const pkg of deployablePackages(topology).reverse()) await removeAll(pkg, topology);
    return;
  }
  const here = realpathSync(process.cwd());
  const pkg = deployablePackages(topology).find((p) => realpathSync(p.dir) === here);
  if (!pkg) {
    throw new UsageError(`${here} is not a stack of the topology: run this in arc/ or packages/<api>/`);
  }
  const report = (line: string) => console.log(line);
  if (command === 'package') await packageAll(pkg, topology.stage, report);
  if (command === 'deploy') await deployAll(pkg, topology, report);
  if (command === 'remove') {
    await requireCredentials(topology);
    await removeAll(pkg, topology);
  }
});
