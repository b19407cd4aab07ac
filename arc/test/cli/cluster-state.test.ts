import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bookmark } from '../../src/bookmark';
import { readStates } from '../../src/cli/cluster-state';
import { DataPlane } from '../../src/dataplane/client';
import { bookmarkFor } from '@arc-failover/testing';

const OPERATOR = 'arn:aws:iam::111122223333:user/failover-operator';
const STALE = 'arn:aws:route53-recovery-control::111122223333:controlpanel/p-old/routingcontrol/rc-old';

/**
 * One cluster endpoint on loopback that behaves as AWS does for a caller whose policy names only the
 * current routing controls: GetRoutingControlState answers for those and is denied for any other ARN.
 */
function endpointGranting(granted: Set<string>, deniedAs = 'AccessDeniedException'): Promise<Server> {
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const { RoutingControlArn: arn } = JSON.parse(body) as { RoutingControlArn: string };
      const [status, answer] = granted.has(arn)
        ? [200, { RoutingControlArn: arn, RoutingControlName: 'rc', RoutingControlState: 'On' }]
        : [
            403,
            {
              __type: deniedAs,
              message: `User: ${OPERATOR} is not authorized to perform: route53-recovery-cluster:GetRoutingControlState on resource: ${arn}`,
            },
          ];
      response
        .writeHead(status, { 'content-type': 'application/x-amz-json-1.0' })
        .end(JSON.stringify(answer));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('reading the states with a bookmarked ARN the operator policy does not name', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise((done) => server.close(done));
  });

  /** readStates' one line, against a bookmark whose service1 us-east-1 control is stale. */
  async function readFailure(bookmark: Bookmark, deniedAs?: string): Promise<string> {
    const current = new Set(bookmark.services.flatMap((s) => Object.values(s.routingControls)));
    const server = await endpointGranting(current, deniedAs);
    servers.push(server);
    const stale = structuredClone(bookmark);
    stale.services[1]!.routingControls['us-east-1'] = STALE;
    const dataPlane = new DataPlane({
      endpoints: [{ region: 'us-east-1', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }],
      credentials: { accessKeyId: 'AKIDOPERATOR', secretAccessKey: 'secret' },
      timeoutMs: 5000,
    });
    try {
      await readStates(dataPlane, stale);
    } catch (error) {
      return (error as Error).message;
    } finally {
      dataPlane.close();
    }
    throw new Error('expected the read to fail');
  }

  const denied = `the us-east-1 endpoint refused to read the routing control states (AccessDeniedException, HTTP 403): User: ${OPERATOR} is not authorized to perform: route53-recovery-cluster:GetRoutingControlState on resource: ${STALE}; check the credentials (AWS_PROFILE, or the sandbox bookmark's) and their route53-recovery-cluster permissions`;

  it('names the credentials and, as the other cause, a stale bookmark with how to write it again', async () => {
    expect(await readFailure(bookmarkFor())).toBe(
      `${denied}, or, if the bookmark is stale, write it again with "npm run switch -- sync --stage test"`,
    );
  });

  it("says how to rewrite a sandbox's bookmark", async () => {
    const sandbox = {
      ...bookmarkFor(),
      sandbox: { credentials: { accessKeyId: 'a', secretAccessKey: 's' } },
    };
    expect(await readFailure(sandbox)).toBe(
      `${denied}, or, if the bookmark is stale, restart the sandbox ("npm start") to write it again`,
    );
  });

  it('blames only the credentials when their signature is refused', async () => {
    const message = await readFailure(bookmarkFor(), 'InvalidSignatureException');
    expect(message).toMatch(
      /\(InvalidSignatureException, HTTP 403\): .*route53-recovery-cluster permissions$/,
    );
  });
});
