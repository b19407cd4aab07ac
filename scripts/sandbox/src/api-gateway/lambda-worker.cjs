// One Lambda execution environment: loads a function's bundle in its own thread (with its own
// process.env) and runs one invocation at a time, as the Node.js runtime does.
const { parentPort, workerData } = require('node:worker_threads');
const { existsSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const { taskRoot, handler, functionName, memoryMb } = workerData;

async function loadHandler() {
  const dot = handler.lastIndexOf('.');
  const modulePath = path.resolve(taskRoot, handler.slice(0, dot));
  const exportName = handler.slice(dot + 1);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => modulePath + ext).find((f) => existsSync(f));
  if (!file)
    throw new Error(`Runtime.ImportModuleError: cannot find module ${handler.slice(0, dot)} in ${taskRoot}`);
  const module = await import(pathToFileURL(file).href);
  const fn = module[exportName] ?? module.default?.[exportName];
  if (typeof fn !== 'function') throw new Error(`Runtime.HandlerNotFound: ${handler} is not a function`);
  return fn;
}

function run(fn, event, context) {
  // Callback-style handlers (event, context, callback) are still allowed on nodejs22.x.
  if (fn.length >= 3) {
    return new Promise((resolve, reject) => {
      const returned = fn(event, context, (error, result) => (error ? reject(error) : resolve(result)));
      if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    });
  }
  return fn(event, context);
}

const ready = loadHandler();
ready.then(
  () => parentPort.postMessage({ type: 'ready' }),
  (error) => parentPort.postMessage({ type: 'init-error', message: String(error && error.message) }),
);

parentPort.on('message', async ({ id, event, requestId, deadline, invokedFunctionArn }) => {
  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const result = await run(await ready, event, context);
    // Lambda returns the result serialized as JSON; undefined becomes null.
    parentPort.postMessage({
      type: 'result',
      id,
      payload: JSON.stringify(result === undefined ? null : result),
    });
  } catch (error) {
    const errorType = (error && error.name) || 'Error';
    const errorMessage = error instanceof Error ? error.message : String(error);
    parentPort.postMessage({ type: 'error', id, errorType, errorMessage });
  }
});
