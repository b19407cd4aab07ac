/** `npm run stage -- add <stage> --domain <domain> ...`: write a real stage into the topology (see add-stage.ts). */
import { ARC_CONTROL_PLANE_REGION } from '@arc-failover/shared';
import { awsClients } from '@arc-failover/shared/preflight';
import { missingCredentials } from '@arc-failover/shared/serverless';
import { StackCommandError } from '../errors';
import { runMain } from '../run-main';
import { addStage } from './add-stage';
import { parseStageArgs, USAGE } from './args';

runMain(async () => {
  const options = parseStageArgs(process.argv.slice(2));
  if (options === 'help') return console.log(USAGE);
  const problem = await missingCredentials(ARC_CONTROL_PLANE_REGION);
  if (problem) throw new StackCommandError(problem);
  for (const line of await addStage(options, { clients: awsClients() })) console.log(line);
});
