import {
  Route53RecoveryClusterClient,
  type Route53RecoveryClusterClientConfig,
} from '@aws-sdk/client-route53-recovery-cluster';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ClusterEmulator, SANDBOX_CREDENTIALS, type StaticCredentials } from '../../src/emulator';

export interface ClientOptions {
  credentials?: StaticCredentials;
  /** Sign for this Region instead of the endpoint's own. */
  signingRegion?: string;
  /** Sign for this service instead of route53-recovery-cluster. */
  signingName?: string;
  requestTimeoutMs?: number;
}

/**
 * The real SDK client against one endpoint of the emulation, as the AWS docs prescribe: endpoint = the
 * endpoint URL, region = the endpoint's Region; one attempt, so that every fault shows through unretried.
 */
export class Clients {
  private readonly made: Route53RecoveryClusterClient[] = [];

  constructor(private readonly emulator: () => ClusterEmulator) {}

  for(region: string, options: ClientOptions = {}): Route53RecoveryClusterClient {
    const endpoint = this.emulator().endpoints.find((e) => e.region === region);
    if (!endpoint) throw new Error(`no endpoint in ${region}`);
    const config: Route53RecoveryClusterClientConfig & { signingName?: string } = {
      endpoint: endpoint.url,
      region: options.signingRegion ?? region,
      credentials: options.credentials ?? SANDBOX_CREDENTIALS,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({
        connectionTimeout: 1000,
        requestTimeout: options.requestTimeoutMs ?? 5000,
        throwOnRequestTimeout: true,
      }),
      ...(options.signingName ? { signingName: options.signingName } : {}),
    };
    const client = new Route53RecoveryClusterClient(config);
    this.made.push(client);
    return client;
  }

  destroyAll(): void {
    for (const client of this.made.splice(0)) client.destroy();
  }
}

/** What a promise rejected with; fails the test if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
