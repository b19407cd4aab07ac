import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { LambdaFunctionSpec } from './template';

const WORKER_FILE = path.join(__dirname, 'lambda-worker.cjs');

/** One function deployed in one Region: its spec, where its unpacked code is, and where its logs go. */
export interface LambdaDeployment {
  spec: LambdaFunctionSpec;
  region: string;
  accountId: string;
  /** The unpacked code package (LAMBDA_TASK_ROOT). */
  taskRoot: string;
  /** Receives each line the function writes to stdout or stderr. */
  log: (line: string) => void;
}

/** An invocation that failed the way Lambda reports it: a function error, a timeout, a crash. */
export class LambdaInvocationError extends Error {
  override name = 'LambdaInvocationError';
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(`${errorType}: ${message}`);
  }
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; message: string }
  | { type: 'result'; id: number; payload: string }
  | { type: 'error'; id: number; errorType: string; errorMessage: string };

interface Invocation {
  id: number;
  event: unknown;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The environment the Node.js Lambda runtime gives a function, and nothing of the host's: the function
 * sees its own Region in AWS_REGION, as it would when deployed there.
 */
export function lambdaEnvironment(deployment: LambdaDeployment): Record<string, string> {
  const { spec, region, taskRoot } = deployment;
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: path.dirname(WORKER_FILE),
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    ...spec.environment,
  };
}

/**
 * A Lambda function running in a worker thread: one invocation at a time (the others queue, as they
 * would for a function with reserved concurrency 1), the function's timeout enforced, and a fresh
 * execution environment after a timeout or a crash.
 */
export class LambdaFunction {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private current: (Invocation & { timer: NodeJS.Timeout }) | undefined;
  private readonly queue: Invocation[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly deployment: LambdaDeployment) {}

  get arn(): string {
    const { region, accountId, spec } = this.deployment;
    return `arn:aws:lambda:${region}:${accountId}:function:${spec.functionName}`;
  }

  /** Starts an execution environment ahead of the first request; resolves once the handler is loaded. */
  warm(): Promise<void> {
    this.ensureWorker();
    return this.ready!;
  }

  invoke(event: unknown): Promise<unknown> {
    if (this.closed)
      return Promise.reject(new LambdaInvocationError('Sandbox.Closed', 'the sandbox is stopping'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, event, resolve, reject });
      this.next();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const failed = new LambdaInvocationError('Sandbox.Closed', 'the sandbox is stopping');
    for (const invocation of this.queue.splice(0)) invocation.reject(failed);
    this.finish(undefined, failed);
    await this.stopWorker();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const { spec, taskRoot } = this.deployment;
    const worker = new Worker(WORKER_FILE, {
      env: lambdaEnvironment(this.deployment),
      workerData: {
        taskRoot,
        handler: spec.handler,
        functionName: spec.functionName,
        memoryMb: spec.memoryMb,
      },
      resourceLimits: { maxOldGenerationSizeMb: spec.memoryMb },
      stdout: true,
      stderr: true,
    });
    this.forwardLines(worker.stdout);
    this.forwardLines(worker.stderr);
    this.worker = worker;
    this.ready = new Promise((resolve) => {
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'init-error') {
          this.deployment.log(`INIT failed: ${message.message}`);
          resolve();
        } else if (this.worker !== worker || this.current?.id !== message.id) {
          // A late answer from an environment that was already replaced: nobody waits for it.
        } else if (message.type === 'result') this.finish(JSON.parse(message.payload));
        else this.finish(undefined, new LambdaInvocationError(message.errorType, message.errorMessage));
      });
    });
    worker.on('error', (error) => {
      this.deployment.log(`execution environment crashed: ${error.message}`);
      this.discardWorker(worker, new LambdaInvocationError('Runtime.ExitError', error.message));
    });
    worker.on('exit', (code) => {
      this.discardWorker(worker, new LambdaInvocationError('Runtime.ExitError', `exited with code ${code}`));
    });
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    this.ready = Promise.race([this.ready, exited]);
    return worker;
  }

  private next(): void {
    if (this.current || this.closed) return;
    const invocation = this.queue.shift();
    if (!invocation) return;
    const { spec } = this.deployment;
    const timeoutMs = spec.timeoutSeconds * 1000;
    const timer = setTimeout(() => {
      this.deployment.log(`Task timed out after ${spec.timeoutSeconds.toFixed(2)} seconds`);
      const error = new LambdaInvocationError(
        'Sandbox.Timedout',
        `Task timed out after ${spec.timeoutSeconds} seconds`,
      );
      // The environment is stuck mid-invocation: replace it before the next invocation runs.
      void this.stopWorker();
      this.finish(undefined, error);
    }, timeoutMs);
    this.current = { ...invocation, timer };
    const worker = this.ensureWorker();
    worker.postMessage({
      id: invocation.id,
      event: invocation.event,
      requestId: randomUUID(),
      deadline: Date.now() + timeoutMs,
      invokedFunctionArn: this.arn,
    });
  }

  private finish(result: unknown, error?: Error): void {
    const current = this.current;
    if (!current) return;
    clearTimeout(current.timer);
    this.current = undefined;
    if (error) current.reject(error);
    else current.resolve(result);
    this.next();
  }

  /** A dead environment fails its invocation; the next one starts a fresh environment (a cold start). */
  private discardWorker(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.ready = undefined;
    this.finish(undefined, error);
  }

  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private forwardLines(stream: Readable): void {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) this.deployment.log(line);
    });
    stream.on('end', () => {
      if (partial) this.deployment.log(partial);
    });
  }
}
