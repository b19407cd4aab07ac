import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LambdaFunctionSpec } from '../../src/api-gateway/template';

/** A code package on disk, the way an unpacked serverless-esbuild zip looks: CommonJS in src/. */
const HANDLER = `
let invocations = 0;
exports.handler = async (event, context) => {
  invocations += 1;
  switch (event.rawPath) {
    case '/env':
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          region: process.env.AWS_REGION,
          defaultRegion: process.env.AWS_DEFAULT_REGION,
          functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
          greeting: process.env.GREETING,
          hostOnly: process.env.SANDBOX_TEST_HOST_ONLY ?? null,
          contextName: context.functionName,
          remaining: context.getRemainingTimeInMillis() > 0,
        }),
      };
    case '/count':
      return { statusCode: 200, body: String(invocations) };
    case '/throw':
      throw new TypeError('boom');
    case '/hang':
      return new Promise(() => {});
    case '/plain':
      return { hello: 'world' };
    case '/echo':
      return { statusCode: 201, headers: { 'X-Echo': 'yes' }, cookies: ['a=1', 'b=2'], body: JSON.stringify(event) };
    case '/binary':
      return { statusCode: 200, isBase64Encoded: true, body: Buffer.from([0, 1, 2, 255]).toString('base64') };
    default:
      return { statusCode: 404, body: 'no such test' };
  }
};
`;

const CALLBACK_HANDLER = `
exports.handler = (event, context, callback) => {
  setTimeout(() => callback(null, { statusCode: 200, body: 'called back from ' + process.env.AWS_REGION }), 5);
};
`;

export interface LambdaFixture {
  taskRoot: string;
  spec: (overrides?: Partial<LambdaFunctionSpec>) => LambdaFunctionSpec;
  remove: () => void;
}

export function lambdaFixture(): LambdaFixture {
  const taskRoot = mkdtempSync(path.join(tmpdir(), 'sandbox-lambda-'));
  mkdirSync(path.join(taskRoot, 'src'));
  writeFileSync(path.join(taskRoot, 'src', 'handler.js'), HANDLER);
  writeFileSync(path.join(taskRoot, 'src', 'callback.js'), CALLBACK_HANDLER);
  return {
    taskRoot,
    spec: (overrides = {}) => ({
      logicalId: 'HandlerLambdaFunction',
      functionName: 'fixture-local-handler',
      handler: 'src/handler.handler',
      runtime: 'nodejs22.x',
      memoryMb: 128,
      timeoutSeconds: 5,
      environment: { GREETING: 'hello' },
      codeFile: 'fixture.zip',
      ...overrides,
    }),
    remove: () => rmSync(taskRoot, { recursive: true, force: true }),
  };
}
