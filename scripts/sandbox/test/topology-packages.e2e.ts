import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_TOPOLOGY_FILE } from '@arc-failover/shared';
import { runCommand } from '@arc-failover/testing';

// Each case is the real command as its own process; it stops before packaging or listening on anything.
jest.setTimeout(30_000);

let scratch: string;
let topologyFile: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'arc-failover-topology-packages-'));
  const topology = JSON.parse(readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8'));
  topology.services.push({ ...topology.services[0], name: 'service3' });
  topologyFile = path.join(scratch, 'topology.json');
  writeFileSync(topologyFile, JSON.stringify(topology));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const NO_PACKAGE =
  'error: service3 is in the topology but has no package: create packages/service3 (copy packages/service2 and rename it), or remove service3 from the topology\n';

describe('a service in the topology with no package directory', () => {
  it.each([
    ['npm start', 'start', ['--port', '0', '--dns-port', '0', '--admin-port', '0', '--arc-ports', '0']],
    ['npm run demo, starting its own sandbox', 'demo', []],
  ])('%s names it in one line and exits 1, before building anything', async (_name, command, args) => {
    const bookmark = path.join(scratch, 'no-sandbox.json');
    const run = await runCommand(command, [...args, '--bookmark', bookmark], {
      ARC_FAILOVER_TOPOLOGY: topologyFile,
    });
    expect([run.exitCode, run.stderr]).toEqual([1, NO_PACKAGE]);
  });
});
