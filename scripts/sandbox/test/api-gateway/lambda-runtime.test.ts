import { LambdaFunction } from '../../src/api-gateway/lambda-runtime';
import { lambdaFixture, type LambdaFixture } from '../helpers/lambda-fixture';

describe('Lambda functions in worker threads', () => {
  let fixture: LambdaFixture;
  const started: LambdaFunction[] = [];
  const logs: string[] = [];

  const start = (region: string, overrides = {}) => {
    const fn = new LambdaFunction({
      spec: fixture.spec(overrides),
      region,
      accountId: '111122223333',
      taskRoot: fixture.taskRoot,
      log: (line) => logs.push(line),
    });
    started.push(fn);
    return fn;
  };
  const bodyOf = (result: unknown) =>
    JSON.parse((result as { body: string }).body) as Record<string, unknown>;

  beforeAll(() => {
    fixture = lambdaFixture();
    process.env.SANDBOX_TEST_HOST_ONLY = 'leaked';
  });
  afterAll(async () => {
    await Promise.all(started.map((fn) => fn.close()));
    delete process.env.SANDBOX_TEST_HOST_ONLY;
    fixture.remove();
  });

  it("gives each deployment its own Region in AWS_REGION, and none of the host's environment", async () => {
    const east = start('us-east-1');
    const west = start('us-west-2');
    const [a, b] = await Promise.all([east.invoke({ rawPath: '/env' }), west.invoke({ rawPath: '/env' })]);
    expect(bodyOf(a)).toEqual({
      region: 'us-east-1',
      defaultRegion: 'us-east-1',
      functionName: 'fixture-local-handler',
      greeting: 'hello',
      hostOnly: null,
      contextName: 'fixture-local-handler',
      remaining: true,
    });
    expect(bodyOf(b)).toMatchObject({ region: 'us-west-2', defaultRegion: 'us-west-2' });
    expect(east.arn).toBe('arn:aws:lambda:us-east-1:111122223333:function:fixture-local-handler');
  });

  it('keeps the execution environment warm between invocations', async () => {
    const fn = start('us-east-1');
    await fn.invoke({ rawPath: '/count' });
    expect(await fn.invoke({ rawPath: '/count' })).toMatchObject({ body: '2' });
  });

  it('reports a thrown error as a function error, and serves the next invocation', async () => {
    const fn = start('us-east-1');
    await expect(fn.invoke({ rawPath: '/throw' })).rejects.toMatchObject({
      errorType: 'TypeError',
      message: 'TypeError: boom',
    });
    expect(await fn.invoke({ rawPath: '/count' })).toMatchObject({ statusCode: 200 });
  });

  it('stops an invocation at the function timeout and starts a fresh environment for the next', async () => {
    const fn = start('us-east-1', { timeoutSeconds: 0.2 });
    await fn.invoke({ rawPath: '/count' });
    await expect(fn.invoke({ rawPath: '/hang' })).rejects.toMatchObject({ errorType: 'Sandbox.Timedout' });
    // A new environment: module state starts over.
    expect(await fn.invoke({ rawPath: '/count' })).toMatchObject({ body: '1' });
    expect(logs).toContain('Task timed out after 0.20 seconds');
  });

  it('runs one invocation at a time, in order', async () => {
    const fn = start('us-east-1');
    const results = await Promise.all(Array.from({ length: 5 }, () => fn.invoke({ rawPath: '/count' })));
    expect(results.map((r) => (r as { body: string }).body)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('runs callback-style handlers', async () => {
    const fn = start('eu-west-1', { handler: 'src/callback.handler' });
    expect(await fn.invoke({})).toEqual({ statusCode: 200, body: 'called back from eu-west-1' });
  });

  it('fails every invocation of a handler that cannot be found, naming it', async () => {
    const fn = start('us-east-1', { handler: 'src/missing.handler' });
    await expect(fn.invoke({})).rejects.toThrow('Runtime.ImportModuleError: cannot find module src/missing');
  });
});
