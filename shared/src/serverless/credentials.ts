import { CloudFormationClient } from '@aws-sdk/client-cloudformation';

/**
 * Why a deploy could not authenticate, or undefined when the default AWS credential chain (environment,
 * AWS_PROFILE and the shared files, SSO, container or instance roles) yields credentials. Local only: it
 * proves credentials exist, not that they are allowed to deploy.
 */
export async function missingCredentials(region: string): Promise<string | undefined> {
  const client = new CloudFormationClient({ region });
  try {
    await client.config.credentials();
    return undefined;
  } catch (error) {
    return `no AWS credentials found (${(error as Error).message.split('\n')[0]}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and try again`;
  } finally {
    client.destroy();
  }
}
