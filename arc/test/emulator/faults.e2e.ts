import {
  GetRoutingControlStateCommand,
  ListRoutingControlsCommand,
  Route53RecoveryClusterClient,
  UpdateRoutingControlStatesCommand,
} from '@aws-sdk/client-route53-recovery-cluster';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ARC_CLUSTER_ENDPOINT_REGIONS } from '@arc-failover/shared';
import { readBookmark } from '../../src/bookmark';
import { ClusterEmulator, type EndpointFault } from '../../src/emulator';
import { Clients, rejectionOf } from './client';
import { testTopology } from './topology';

const topology = testTopology();
let emulator: ClusterEmulator;
const clients = new Clients(() => emulator);

beforeEach(async () => {
  emulator = await ClusterEmulator.start({ topology, waitPeriodMs: 0 });
});
afterEach(async () => {
  clients.destroyAll();
  await emulator.close();
});

const portOf = (url: string) => Number(new URL(url).port);

/** How a plain TCP connection to a port ends: 'open' if something accepts it. */
function tcpProbe(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/**
 * How a call failed: the connection error's code, or the error's name. Under Jest a socket error comes from
 * another realm than the SDK's Error, so the SDK wraps it and only its message keeps the code.
 */
function outcome(error: Error & { code?: unknown }): string {
  const refused = /\bECONNREFUSED\b/.test(String(error.code ?? error.message));
  return refused ? 'ECONNREFUSED' : error.name;
}

function list(region: string, requestTimeoutMs?: number) {
  return clients.for(region, { requestTimeoutMs }).send(new ListRoutingControlsCommand({}));
}

describe('fault injection per endpoint', () => {
  it('refuse: nothing listens on the port; the SDK gets ECONNREFUSED; "none" opens the same URL again', async () => {
    const url = emulator.endpoints[0]!.url;
    await emulator.setFault('us-east-1', 'refuse');
    expect(await tcpProbe(portOf(url))).toBe('ECONNREFUSED');
    expect(outcome(await rejectionOf(list('us-east-1')))).toBe('ECONNREFUSED');
    await expect(list('us-west-2')).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });

    await emulator.setFault('us-east-1', 'none');
    expect(emulator.endpoints[0]!.url).toBe(url);
    await expect(list('us-east-1')).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
    expect(emulator.requestCounts()['us-east-1']).toBe(1);
  });

  it('hang: the endpoint takes the request and never answers, so the client’s own timeout fires; nothing changes', async () => {
    await emulator.setFault('eu-west-1', 'hang');
    const orders = emulator.routingControlArn('orders', 'us-east-1');
    const started = Date.now();
    const error = await rejectionOf(
      clients.for('eu-west-1', { requestTimeoutMs: 300 }).send(
        new UpdateRoutingControlStatesCommand({
          UpdateRoutingControlStateEntries: [{ RoutingControlArn: orders, RoutingControlState: 'On' }],
        }),
      ),
    );
    const waited = Date.now() - started;
    expect(error.name).toBe('TimeoutError');
    expect(error.message).toContain('exceeded the configured 300 ms requestTimeout');
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(3000);
    expect(emulator.requestCounts()['eu-west-1']).toBe(1);
    expect(emulator.stateOf(orders)).toBe('Off');
    expect(await tcpProbe(portOf(emulator.endpoints[2]!.url))).toBe('open');

    await emulator.setFault('eu-west-1', 'none');
    await expect(list('eu-west-1')).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
  });

  it('hang-after-update: an update is applied and never answered; reads are answered', async () => {
    await emulator.setFault('us-west-2', 'hang-after-update');
    const orders = emulator.routingControlArn('orders', 'us-east-1');
    const client = clients.for('us-west-2', { requestTimeoutMs: 300 });
    const error = await rejectionOf(
      client.send(
        new UpdateRoutingControlStatesCommand({
          UpdateRoutingControlStateEntries: [{ RoutingControlArn: orders, RoutingControlState: 'On' }],
        }),
      ),
    );
    expect(error.name).toBe('TimeoutError');
    expect(emulator.stateOf(orders)).toBe('On');
    const read = await client.send(new GetRoutingControlStateCommand({ RoutingControlArn: orders }));
    expect(read.RoutingControlState).toBe('On');
    expect(emulator.operationCounts()).toMatchObject({
      UpdateRoutingControlStates: 1,
      GetRoutingControlState: 1,
    });
  });

  it('keeps every other endpoint answering while four of five fail in each way', async () => {
    await emulator.setFault('us-east-1', 'refuse');
    await emulator.setFault('us-west-2', 'hang');
    await emulator.setFault('eu-west-1', 'unavailable');
    await emulator.setFault('ap-northeast-1', 'throttle');
    const answered = await clients.for('ap-southeast-2').send(
      new GetRoutingControlStateCommand({
        RoutingControlArn: emulator.routingControlArn('edge', 'us-east-1'),
      }),
    );
    expect(answered.RoutingControlState).toBe('Off');
    const outcomes = await Promise.all(
      ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1'].map((region) =>
        rejectionOf(list(region, 300)).then((e) => [region, outcome(e)]),
      ),
    );
    expect(Object.fromEntries(outcomes)).toEqual({
      'us-east-1': 'ECONNREFUSED',
      'us-west-2': 'TimeoutError',
      'eu-west-1': 'EndpointTemporarilyUnavailableException',
      'ap-northeast-1': 'ThrottlingException',
    });
    expect(emulator.requestCounts()).toEqual({
      'us-east-1': 0,
      'us-west-2': 1,
      'eu-west-1': 1,
      'ap-northeast-1': 1,
      'ap-southeast-2': 1,
    });
  });

  it('rejects an unknown Region or fault, and any fault once closed', async () => {
    await expect(emulator.setFault('sa-east-1', 'hang')).rejects.toThrow(
      'no cluster endpoint in sa-east-1 (endpoints: us-east-1, us-west-2, eu-west-1, ap-northeast-1, ap-southeast-2)',
    );
    await expect(emulator.setFault('us-east-1', 'slow' as EndpointFault)).rejects.toThrow(
      'unknown endpoint fault "slow" (known: none, refuse, hang, hang-after-update, unavailable, throttle, internal-error)',
    );
    await emulator.close();
    await expect(emulator.setFault('us-east-1', 'none')).rejects.toThrow(
      'the cluster endpoint in us-east-1 is closed',
    );
    expect(await tcpProbe(portOf(emulator.endpoints[0]!.url))).toBe('ECONNREFUSED');
  });
});

describe('starting and closing', () => {
  it('close() ends hanging connections too and leaves none of the five ports listening', async () => {
    await emulator.setFault('us-west-2', 'hang');
    await emulator.setFault('eu-west-1', 'refuse');
    const hanging = new Promise<string>((resolve) => {
      const req = request(`${emulator.endpoints[1]!.url}/`, { method: 'POST' }, () => resolve('answered'));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.end('{}');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(emulator.requestCounts()['us-west-2']).toBe(1);
    await emulator.close();
    expect(await hanging).toBe('ECONNRESET');
    const probes = await Promise.all(emulator.endpoints.map((e) => tcpProbe(portOf(e.url))));
    expect(probes).toEqual(ARC_CLUSTER_ENDPOINT_REGIONS.map(() => 'ECONNREFUSED'));
  });

  it('listens on the ports it is given, in endpoint-Region order', async () => {
    const ports = emulator.endpoints.map((e) => portOf(e.url));
    await emulator.close();
    emulator = await ClusterEmulator.start({ topology, ports, waitPeriodMs: 0 });
    expect(emulator.endpoints).toEqual(
      ARC_CLUSTER_ENDPOINT_REGIONS.map((region, i) => ({ region, url: `http://127.0.0.1:${ports[i]}/v1` })),
    );
  });

  it('fails to start when a port is taken, leaving none of its other ports listening', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const takenPort = (taken.address() as { port: number }).port;
    const free = emulator.endpoints.map((e) => portOf(e.url));
    await emulator.close();
    try {
      await expect(
        ClusterEmulator.start({ topology, ports: [free[0]!, free[1]!, takenPort, free[3]!, free[4]!] }),
      ).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(await Promise.all([free[0]!, free[1]!].map(tcpProbe))).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('refuses a ports list that is not one port per endpoint Region', async () => {
    await expect(ClusterEmulator.start({ topology, ports: [0, 0] })).rejects.toThrow(
      'ports: give 5 ports, one per endpoint Region (us-east-1, us-west-2, eu-west-1, ap-northeast-1, ap-southeast-2), or none',
    );
  });
});

describe('the standalone entry (tsx arc/src/emulator/main.ts)', () => {
  const repoRoot = path.resolve(__dirname, '../../..');
  const main = path.join(repoRoot, 'arc/src/emulator/main.ts');
  let child: ChildProcess | undefined;
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'arc-emulator-main-'));
  });
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  function run(args: string[]) {
    const proc = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ARC_BOOKMARK: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const printed = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (stdout.includes(text)) resolve();
          else if (proc.exitCode !== null) reject(new Error(`exited ${proc.exitCode}: ${stderr}`));
          else setTimeout(check, 25);
        };
        check();
      });
    return { proc, exited, printed, output: () => ({ stdout, stderr }) };
  }

  it('writes the bookmark, serves the SDK on the printed endpoints, and stops on Ctrl-C leaving nothing listening', async () => {
    const file = path.join(dir, 'local.json');
    const emulatorProcess = run([
      '--stage',
      'local',
      '--ports',
      '0,0,0,0,0',
      '--wait-period-ms',
      '0',
      '--bookmark',
      file,
    ]);
    await emulatorProcess.printed('Ctrl-C to stop');
    const bookmark = readBookmark(file);
    const { stdout } = emulatorProcess.output();
    expect(stdout).toContain(`bookmark: ${file}`);
    for (const endpoint of bookmark.endpoints) expect(stdout).toContain(endpoint.url);
    expect(stdout).toContain('aws route53-recovery-cluster list-routing-controls --endpoint-url');

    const endpoint = bookmark.endpoints[3]!;
    const client = new Route53RecoveryClusterClient({
      endpoint: endpoint.url,
      region: endpoint.region,
      credentials: bookmark.sandbox!.credentials,
      maxAttempts: 1,
    });
    try {
      const primary = bookmark.services[0]!.routingControls[bookmark.services[0]!.primaryRegion]!;
      await client.send(
        new UpdateRoutingControlStatesCommand({
          UpdateRoutingControlStateEntries: [{ RoutingControlArn: primary, RoutingControlState: 'On' }],
        }),
      );
      const got = await client.send(new GetRoutingControlStateCommand({ RoutingControlArn: primary }));
      expect(got.RoutingControlState).toBe('On');
    } finally {
      client.destroy();
    }

    emulatorProcess.proc.kill('SIGINT');
    expect(await emulatorProcess.exited).toBe(0);
    const probes = await Promise.all(bookmark.endpoints.map((e) => tcpProbe(portOf(e.url))));
    expect(probes.every((p) => p === 'ECONNREFUSED')).toBe(true);
  });

  it('answers bad flags with one line on stderr and exit code 2', async () => {
    const bad = run(['--ports', '1,2']);
    expect(await bad.exited).toBe(2);
    const { stderr, stdout } = bad.output();
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      'error: --ports: give 5 comma-separated ports, for us-east-1, us-west-2, eu-west-1, ap-northeast-1, ap-southeast-2 in that order (0 = any free port)',
    ]);
  });
});
