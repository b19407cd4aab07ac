import path from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadTopology } from '@arc-failover/shared';
import { REPO_ROOT } from '../src/deployables';

describe('the handler of each API', () => {
  const region = process.env.AWS_REGION;
  afterEach(() => {
    if (region === undefined) delete process.env.AWS_REGION;
    else process.env.AWS_REGION = region;
  });

  it.each(loadTopology('prod').all.map((api) => [api.name]))(
    '%s answers GET / with its name and the Region it runs in',
    async (api) => {
      process.env.AWS_REGION = 'eu-central-1';
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { handler } = require(path.join(REPO_ROOT, 'packages', api, 'src', 'handler.ts')) as {
        handler: () => Promise<APIGatewayProxyStructuredResultV2>;
      };
      const reply = await handler();
      expect(reply.statusCode).toBe(200);
      expect(reply.headers).toMatchObject({ 'content-type': 'application/json' });
      expect(JSON.parse(reply.body!)).toEqual({ service: api, region: 'eu-central-1' });
    },
  );
});
