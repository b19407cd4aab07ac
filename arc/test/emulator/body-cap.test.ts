import http from 'node:http';
import { json } from 'node:stream/consumers';
import {
  GetRoutingControlStateCommand,
  Route53RecoveryClusterClient,
} from '@aws-sdk/client-route53-recovery-cluster';
import { loadTopology } from '@arc-failover/shared';
import { postClaiming, postStreaming } from '@arc-failover/testing';
import { ClusterEmulator, SANDBOX_CREDENTIALS } from '../../src/emulator';
import { MAX_REQUEST_BYTES } from '../../src/emulator/endpoint';

const MB = 1024 * 1024;
const UNSIGNED = {
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': 'ToggleCustomerAPI.UpdateRoutingControlStates',
};

/** A cluster endpoint refuses an oversized body before reading it or checking its signature. */
describe('the size cap of a cluster endpoint’s requests', () => {
  let emulator: ClusterEmulator;
  let url: string;
  let region: string;
  beforeAll(async () => {
    emulator = await ClusterEmulator.start({ topology: loadTopology('local'), waitPeriodMs: 0 });
    ({ url, region } = emulator.endpoints[0]!);
  });
  afterAll(() => emulator.close());

  const expectTooLarge = (answer: Awaited<ReturnType<typeof postClaiming>>) => {
    expect(answer).toMatchObject({ status: 413, closed: true });
    expect(answer.headers['x-amzn-errortype']).toBe('RequestEntityTooLargeException');
    expect(JSON.parse(answer.body)).toEqual({
      __type: 'RequestEntityTooLargeException',
      message: `Request Entity Too Large: the request body is over ${MAX_REQUEST_BYTES} bytes`,
    });
    expect(answer.ms).toBeLessThan(3000);
  };

  it('answers a content-length of 5 GiB with 413 RequestEntityTooLargeException at once, and closes', async () => {
    expectTooLarge(
      await postClaiming({ url, headers: UNSIGNED, claimedBytes: 5 * 1024 * MB, timeoutMs: 5000 }),
    );
  });

  it('stops reading a chunked 200 MB body past the cap: memory stays put and the endpoint still answers', async () => {
    const before = process.memoryUsage().rss;
    const answer = await postStreaming({ url, headers: UNSIGNED, totalBytes: 200 * MB, timeoutMs: 10_000 });
    const grownMb = (process.memoryUsage().rss - before) / MB;
    expectTooLarge(answer);
    expect(grownMb).toBeLessThan(50);

    const sdk = new Route53RecoveryClusterClient({
      region,
      endpoint: url,
      credentials: SANDBOX_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      const arn = emulator.routingControlArn('service1', 'us-east-1');
      const state = await sdk.send(new GetRoutingControlStateCommand({ RoutingControlArn: arn }));
      expect(state.RoutingControlState).toBe('Off');
    } finally {
      sdk.destroy();
    }
  });

  it('reads a body at the cap whole, then refuses it unsigned, as it did before', async () => {
    const answer = await new Promise<{ status: number; type: string }>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent: false, headers: UNSIGNED }, (response) => {
        void json(response).then((body) =>
          resolve({ status: response.statusCode!, type: (body as { __type: string }).__type }),
        );
      });
      req.on('error', reject);
      req.end(Buffer.alloc(MAX_REQUEST_BYTES, 0x20));
    });
    expect(answer).toEqual({ status: 403, type: 'MissingAuthenticationTokenException' });
  });
});
