import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProcess, runProjectCommand, DEFAULT_TOPOLOGY_FILE } from '@arc-failover/shared';
import { TSX } from '@arc-failover/testing';
import { REPO_ROOT } from '../src/deployables';
import { withDirectoryLock } from '../src/lock';
import { packageStack } from '../src/package';
import { SLS } from '../src/sls';

const MAIN = path.join(REPO_ROOT, 'scripts', 'stacks', 'src', 'main.ts');
const STACK_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'arc-failover-stack');
const SERVICE1 = path.join(REPO_ROOT, 'packages', 'service1');
const SERVICE2 = path.join(REPO_ROOT, 'packages', 'service2');

// Each test runs the real CLI or osls as a child process: seconds each on a busy two-core machine.
jest.setTimeout(60_000);

let scratch: string;
beforeAll(() => (scratch = mkdtempSync(path.join(tmpdir(), 'arc-failover-commands-'))));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A shell with no AWS credentials anywhere: no variables, an empty HOME (no ~/.aws), and the instance
 * metadata service off (the SDK would otherwise ask it, over the network).
 */
const noCredentials = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  HOME: scratch,
  AWS_CONFIG_FILE: path.join(scratch, 'absent-config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, 'absent-credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
  ...extra,
});

/** A project command as its own process; what it printed and how it ended. */
async function run(script: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const { exitCode, stdout, stderr } = await runProcess(process.execPath, [TSX, script, ...args], {
    cwd,
    env,
  });
  return { exitCode, stdout, stderr };
}

/** The stack bin as a package's npm script (and lerna) runs it: from node_modules/.bin, in `cwd`. */
async function stack(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const { exitCode, stdout, stderr } = await runProcess(STACK_BIN, args, { cwd, env });
  return { exitCode, stdout, stderr };
}

/** The repository's topology with its services changed, written to a file of its own. */
function topologyFile(name: string, services: (list: { name: string }[]) => { name: string }[]): string {
  const topology = JSON.parse(readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8'));
  topology.services = services(topology.services);
  // the shipped runbooks name every API: they are not what these tests are about
  delete topology.runbooks;
  const file = path.join(scratch, name);
  writeFileSync(file, JSON.stringify(topology));
  return file;
}

const NO_CREDENTIALS =
  'error: no AWS credentials found (Could not load credentials from any providers): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and try again\n';

describe('deploy and remove', () => {
  it('refuse in one line, before touching anything, when there are no AWS credentials', async () => {
    const before = readdirSync(SERVICE1);
    const deploy = await run(MAIN, ['deploy', '--stage', 'prod'], SERVICE1, noCredentials());
    expect(deploy).toEqual({ exitCode: 1, stdout: '', stderr: NO_CREDENTIALS });
    expect(readdirSync(SERVICE1)).toEqual(before);

    const remove = await run(MAIN, ['remove-all', '--stage', 'prod'], REPO_ROOT, noCredentials());
    expect(remove).toEqual({ exitCode: 1, stdout: '', stderr: NO_CREDENTIALS });
  });

  it.each(['deploy', 'remove'])(
    'sls %s run by hand stops in one line, before packaging or any AWS call, when there are no credentials',
    async (command) => {
      // The machine's own environment, less anything that could carry AWS credentials (noCredentials),
      // and without silencing the AWS SDK's notice about Node versions: the plugin must do that itself.
      const env = noCredentials();
      const { before, after, run } = await withDirectoryLock(SERVICE1, async () => {
        const before = readdirSync(SERVICE1);
        const run = await runProcess(process.execPath, [SLS, command, '--stage', 'local'], {
          cwd: SERVICE1,
          env,
        });
        return { before, after: readdirSync(SERVICE1), run };
      });
      expect(run.exitCode).toBe(1);
      // osls prints the error on stdout, its progress and environment footer on stderr.
      expect(run.stdout).toBe(
        `Error:\nno AWS credentials to ${command} service1 (stage local, us-east-1): set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass --aws-profile\n`,
      );
      expect(run.stderr).not.toMatch(/Error|^\s+at /m);
      expect(run.stderr).not.toMatch(/NodeVersionSupportWarning/);
      expect(after).toEqual(before);
    },
  );

  it.each([
    ['no stage', [], {}, 2, 'error: name the stage: --stage <stage> (or ARC_FAILOVER_STAGE=<stage>)'],
    [
      'an unknown stage',
      [],
      { ARC_FAILOVER_STAGE: 'staging' },
      1,
      'error: topology.json: stages.staging: unknown stage (known: local, prod)',
    ],
    [
      'an unknown option',
      ['--stage', 'prod', '--region', 'us-east-1'],
      {},
      2,
      'error: unknown flag --region (see arc-failover-stack deploy --help)',
    ],
  ])('refuse %s in one line', async (_case, args, env, exitCode, message) => {
    const run = await stack(['deploy', ...args], SERVICE1, noCredentials(env));
    expect(run).toEqual({ exitCode, stdout: '', stderr: `${message}\n` });
  });

  it('refuse to run outside a stack package', async () => {
    const { exitCode, stderr } = await run(
      MAIN,
      ['deploy', '--stage', 'prod'],
      path.join(REPO_ROOT, 'scripts'),
      noCredentials(),
    );
    expect(exitCode).toBe(1);
    expect(stderr).toBe(
      `error: ${path.join(REPO_ROOT, 'scripts')} is not a stack of the topology: run this in arc/ or packages/<api>/\n`,
    );
  });
});

describe('a topology and packages that do not match', () => {
  const NO_PACKAGE =
    'error: service3 is in the topology but has no package: create packages/service3 (copy packages/service2 and rename it), or remove service3 from the topology\n';
  const NOT_IN_TOPOLOGY =
    'error: packages/service2 is not an API of the topology: add service2 to its services, or remove packages/service2\n';

  it.each([
    ['package', ['package'], SERVICE1],
    ['deploy', ['deploy', '--stage', 'prod'], SERVICE1],
    ['remove', ['remove', '--stage', 'prod'], SERVICE1],
    ['remove-all', ['remove-all', '--stage', 'prod'], REPO_ROOT],
    ['preflight', ['preflight', '--stage', 'prod'], REPO_ROOT],
    ['deploy-all', ['deploy-all', '--stage', 'prod'], REPO_ROOT],
    ['check', ['check'], REPO_ROOT],
  ])('%s names the service with no package, in one line, exit 1', async (_name, args, cwd) => {
    const file = topologyFile('with-service3.json', (services) => [
      ...services,
      { ...services[0]!, name: 'service3' },
    ]);
    const run = await stack(args, cwd, noCredentials({ ARC_FAILOVER_TOPOLOGY: file }));
    expect(run).toEqual({ exitCode: 1, stdout: '', stderr: NO_PACKAGE });
  });

  it.each([
    ['package in it', ['package'], SERVICE2],
    ['check at the root', ['check'], REPO_ROOT],
  ])('%s names a package directory the topology lacks, in one line, exit 1', async (_name, args, cwd) => {
    const file = topologyFile('without-service2.json', (services) =>
      services.filter((s) => s.name !== 'service2'),
    );
    const run = await stack(args, cwd, noCredentials({ ARC_FAILOVER_TOPOLOGY: file }));
    expect(run).toEqual({ exitCode: 1, stdout: '', stderr: NOT_IN_TOPOLOGY });
  });

  it('npm run package stops at that line before lerna starts any stack (lerna alone exits 130)', async () => {
    const file = topologyFile('without-service2.json', (services) =>
      services.filter((s) => s.name !== 'service2'),
    );
    const run = await runProjectCommand('package', [], { env: { ARC_FAILOVER_TOPOLOGY: file } });
    expect([run.exitCode, run.stdout, run.stderr]).toEqual([1, '', NOT_IN_TOPOLOGY]);
  });
});

describe('package', () => {
  it('packages a stack for both its Regions, primary first, offline and with no credentials', async () => {
    const topology = JSON.parse(readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8'));
    topology.stages.ci = {
      ...topology.stages.prod,
      arc: { stackName: 'arc-failover-arc-ci', region: 'us-west-2' },
    };
    const file = path.join(scratch, 'topology.json');
    writeFileSync(file, JSON.stringify(topology));
    const output = path.join(SERVICE2, 'dist', 'ci');
    try {
      const { exitCode, stdout } = await run(
        MAIN,
        ['package', '--stage', 'ci'],
        SERVICE2,
        noCredentials({ ARC_FAILOVER_TOPOLOGY: file }),
      );
      expect(exitCode).toBe(0);
      expect(stdout).toMatch(
        /^packaged service2 \(ci, us-west-2\) into packages\/service2\/dist\/ci\/us-west-2 in [\d.]+ s\npackaged service2 \(ci, us-east-1\) into packages\/service2\/dist\/ci\/us-east-1 in [\d.]+ s\n$/,
      );
      for (const region of ['us-west-2', 'us-east-1']) {
        const state = JSON.parse(readFileSync(path.join(output, region, 'serverless-state.json'), 'utf8'));
        expect(state.service.provider).toMatchObject({ region, stackName: 'arc-failover-service2-ci' });
        const template = readFileSync(
          path.join(output, region, 'cloudformation-template-update-stack.json'),
          'utf8',
        );
        expect(JSON.parse(template).Resources.HttpApi.Properties.Name).toBe('ci-service2');
        expect(existsSync(path.join(output, region, 'service2.zip'))).toBe(true);
      }
    } finally {
      rmSync(output, { recursive: true, force: true });
    }
  });

  it("fails with osls's one-line reason for a Region the API does not run in", async () => {
    await expect(
      packageStack(SERVICE1, { stage: 'prod', region: 'eu-west-1', outputDir: path.join(scratch, 'eu') }),
    ).rejects.toThrow(
      /^sls package --stage prod --region eu-west-1 --package \S+ in packages\/service1 failed: service1 does not run in eu-west-1 \(its Regions: us-east-1 primary, us-west-2 secondary\)$/,
    );
  });
});
