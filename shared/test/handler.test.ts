import { handler as service1 } from '../../packages/service1/src/handler';
import { handler as external } from '../../packages/external-api/src/handler';

describe('the Region reply handlers', () => {
  const saved = process.env.AWS_REGION;
  afterEach(() => {
    process.env.AWS_REGION = saved;
  });

  it('answers with the service name and the Region it runs in', async () => {
    process.env.AWS_REGION = 'us-west-2';
    const reply = (await service1()) as { statusCode: number; headers: Record<string, string>; body: string };
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(JSON.parse(reply.body)).toEqual({ service: 'service1', region: 'us-west-2' });
  });

  it('reads the Region at request time, not at load time', async () => {
    process.env.AWS_REGION = 'eu-west-1';
    const reply = (await external()) as { body: string };
    expect(JSON.parse(reply.body)).toEqual({ service: 'external-api', region: 'eu-west-1' });
  });
});
