/**
 * `npm run remove -- --stage <stage>`: every stack of the stage, in the reverse of the deploy order (the
 * APIs, each in both its Regions, then the ARC stack, which takes the failover records' health checks).
 */
import { removeAll, requireCredentials } from './stacks/commands';
import { deployablePackages } from './stacks/deployables';
import { stageTopology } from './stacks/args';
import { runMain } from './stacks/run-main';

runMain(async () => {
  const topology = stageTopology(process.argv.slice(2));
  await requireCredentials(topology);
  for (const pkg of deployablePackages(topology).reverse()) await removeAll(pkg, topology);
});
