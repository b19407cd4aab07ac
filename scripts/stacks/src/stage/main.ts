/** `npm run stage -- add <stage> --domain <domain> ...`: write a real stage into the topology (see add-stage.ts). */
import { ARC_CONTROL_PLANE_REGION } from '@arc-failover/shared';
import { runCommand } from '@arc-failover/shared/command';
import { awsClients } from '@arc-failover/shared/preflight';
import { missingCredentials } from '@arc-failover/shared/serverless';
import { StackCommandError } from '../errors';
import { addStage } from './add-stage';
import { stageAddOptions, stageCommand } from './args';

runCommand(
  stageCommand(async ({ flags, positionals: [stage] }) => {
    const options = stageAddOptions(stage!, flags);
    const problem = await missingCredentials(ARC_CONTROL_PLANE_REGION);
    if (problem) throw new StackCommandError(problem);
    for (const line of await addStage(options, { clients: awsClients() })) console.log(line);
  }),
);
