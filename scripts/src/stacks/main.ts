/**
 * `npm run package|deploy|remove` inside a stack's package (arc/, packages/<api>/): the stack in every
 * Region it runs in, for the stage given by --stage or ARC_FAILOVER_STAGE.
 */
import { realpathSync } from 'node:fs';
import { deployAll, packageAll, removeAll, requireCredentials } from './commands';
import { deployablePackages } from './deployables';
import { stageTopology, UsageError } from './args';
import { runMain } from './run-main';

const COMMANDS = ['package', 'deploy', 'remove'] as const;

runMain(async () => {
  const [command, ...args] = process.argv.slice(2);
  if (!COMMANDS.includes(command as never)) {
    throw new UsageError(
      `usage: main.ts <${COMMANDS.join('|')}> [--stage <stage>], run in a stack's package`,
    );
  }
  const topology = stageTopology(args, command === 'package' ? { defaultStage: 'local' } : {});
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
