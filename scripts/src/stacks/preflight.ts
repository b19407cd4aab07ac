/** `npm run deploy` checks for AWS credentials once, before lerna starts any stack. */
import { ARC_CONTROL_PLANE_REGION } from '@arc-failover/shared/regions';
import { missingCredentials } from '@arc-failover/shared/serverless/credentials';
import { StackCommandError } from './commands';
import { runMain } from './run-main';

runMain(async () => {
  const problem = await missingCredentials(ARC_CONTROL_PLANE_REGION);
  if (problem) throw new StackCommandError(problem);
});
