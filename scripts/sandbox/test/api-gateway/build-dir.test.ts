import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cleanBuildDir } from '../../src/api-gateway/build';

describe('the sandbox build folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sandbox-build-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const make = (...parts: string[]) => {
    mkdirSync(path.join(dir, ...parts), { recursive: true });
    writeFileSync(path.join(dir, ...parts, 'template.json'), '{}');
  };
  const has = (...parts: string[]) => existsSync(path.join(dir, ...parts));

  it('drops the scratch folders of killed builds and the builds of APIs the topology no longer has', () => {
    make('service1', 'aaaa1111');
    make('service1', 'bbbb2222.4000001.tmp');
    make('service1', 'cccc3333.4000002.tmp');
    make('service9', 'dddd4444');
    cleanBuildDir(dir, new Set(['service1', 'service2']), (pid) => pid === 4000002);
    expect([
      has('service1', 'aaaa1111'),
      has('service1', 'bbbb2222.4000001.tmp'),
      has('service1', 'cccc3333.4000002.tmp'),
      has('service9'),
    ]).toEqual([true, false, true, false]);
  });

  it('is fine with no build folder yet', () => {
    expect(() => cleanBuildDir(path.join(dir, 'absent'), new Set(['service1']))).not.toThrow();
  });
});
