import type { Bookmark } from '../bookmark';
import type { StaticCredentials } from '../dataplane/client';
import { CliError } from './errors';

/**
 * The sandbox bookmark's static credentials when present (the environment's are then ignored), else the
 * AWS default chain, resolved once before any request so that missing credentials stop us early.
 */
export async function resolveCredentials(bookmark: Bookmark): Promise<StaticCredentials> {
  if (bookmark.sandbox?.credentials) return bookmark.sandbox.credentials;
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
  try {
    return await defaultProvider()();
  } catch (error) {
    throw new CliError(
      `no AWS credentials found (${firstLine(error)}): set AWS_PROFILE to the failover operator's profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
    );
  }
}

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error)
    .split('\n')[0]!
    .replace(/\.$/, '');
}
