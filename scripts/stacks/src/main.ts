/**
 * `arc-failover-stack <command>`. In a stack's package (arc/, packages/<api>/): `package`, `deploy` or
 * `remove` that stack in every Region it runs in. At the repository root: `preflight` (the read-only deploy
 * checks of every stack of the stage), `deploy-all` (the preflight, then `lerna run deploy`) and
 * `remove-all` (every stack, in the reverse of the deploy order). The stage comes from --stage or
 * ARC_FAILOVER_STAGE.
 */
import { realpathSync } from 'node:fs';
import { deployAll, packageAll, removeAll, requireCredentials } from './commands';
import { lernaDeploy } from './deploy-stage';
import { deployablePackages } from './deployables';
import { stageTopology, UsageError } from './args';
import { stagePreflight } from './preflight';
import { runMain } from './run-main';

const COMMANDS = ['package', 'deploy', 'remove', 'preflight', 'deploy-all', 'remove-all'] as const;
type StackCommand = (typeof COMMANDS)[number];

runMain(async () => {
  const [command, ...args] = process.argv.slice(2) as [StackCommand, ...string[]];
  if (!COMMANDS.includes(command)) {
    throw new UsageError(
      `usage: arc-failover-stack <${COMMANDS.join('|')}> [--stage <stage>]: package, deploy or remove in a stack's package; preflight, deploy-all or remove-all at the root`,
    );
  }
  const topology = stageTopology(args, command === 'package' ? { defaultStage: 'local' } : {});
  if (command === 'preflight' || command === 'deploy-all') {
    console.log(await stagePreflight(topology));
    if (command === 'deploy-all') await lernaDeploy(topology);
    return;
  }
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
