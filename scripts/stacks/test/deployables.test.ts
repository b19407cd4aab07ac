import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadTopology } from '@arc-failover/shared';
import { deployablePackages, REPO_ROOT } from '../src/deployables';

const topology = loadTopology('prod');

describe('the deployable packages', () => {
  it('deploy the ARC stack first, then every API, each to its primary Region first', () => {
    expect(deployablePackages(topology).map((p) => [path.relative(REPO_ROOT, p.dir), ...p.regions])).toEqual([
      ['arc', 'us-west-2'],
      ['packages/external-api', 'us-east-1', 'us-west-2'],
      ['packages/service1', 'us-east-1', 'us-west-2'],
      ['packages/service2', 'us-west-2', 'us-east-1'],
    ]);
  });

  it.each(deployablePackages(topology).map((p) => [p.name, p] as const))(
    '%s: a serverless config and package, deploy and remove scripts',
    (_name, pkg) => {
      expect(existsSync(path.join(pkg.dir, 'serverless.ts'))).toBe(true);
      const manifest = JSON.parse(readFileSync(path.join(pkg.dir, 'package.json'), 'utf8'));
      expect(manifest.scripts).toMatchObject({
        package: 'arc-failover-stack package',
        deploy: 'arc-failover-stack deploy',
        remove: 'arc-failover-stack remove',
      });
      // the bin is reached through a declared dependency, not a path into another workspace
      expect({ ...manifest.dependencies, ...manifest.devDependencies }).toHaveProperty(
        '@arc-failover/stacks',
      );
    },
  );

  it.each(topology.all.map((api) => [api.name]))(
    '%s depends on the arc package, so `lerna run deploy` deploys the ARC stack before it',
    (api) => {
      const manifest = JSON.parse(
        readFileSync(path.join(REPO_ROOT, 'packages', api, 'package.json'), 'utf8'),
      );
      expect(manifest.dependencies).toHaveProperty('@arc-failover/arc');
    },
  );
});
