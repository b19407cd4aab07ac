import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@arc-failover/shared';

interface Manifest {
  name: string;
  exports?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  nx?: { implicitDependencies?: string[] };
}

const TESTING = '@arc-failover/testing';

const manifests: Manifest[] = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }
).workspaces
  .flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(path.join(REPO_ROOT, pattern.slice(0, -2))).map((d) => path.join(pattern.slice(0, -2), d))
      : [pattern],
  )
  .filter((dir) => existsSync(path.join(REPO_ROOT, dir, 'package.json')))
  .map((dir) => JSON.parse(readFileSync(path.join(REPO_ROOT, dir, 'package.json'), 'utf8')) as Manifest);

const projectDeps = (m: Manifest, field: 'dependencies' | 'devDependencies') =>
  Object.keys(m[field] ?? {}).filter((name) => name.startsWith('@arc-failover/'));

/** The first cycle of the graph, as a path of names, or undefined. */
function cycleOf(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, trail: string[]): string[] | undefined => {
    if (state.get(node) === 'open') return [...trail.slice(trail.indexOf(node)), node];
    if (state.get(node) === 'done') return undefined;
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next, [...trail, node]);
      if (cycle) return cycle;
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the workspaces', () => {
  it('each export named entry points only, never "./*"', () => {
    const wildcards = manifests.flatMap((m) =>
      Object.keys(m.exports ?? {})
        .filter((key) => key.includes('*'))
        .map((key) => `${m.name} ${key}`),
    );
    expect(wildcards).toEqual([]);
  });

  it('depend on each other without a cycle, the test support workspace aside', () => {
    const graph = new Map(
      manifests.map((m) => [
        m.name,
        [...projectDeps(m, 'dependencies'), ...projectDeps(m, 'devDependencies')].filter(
          (d) => d !== TESTING,
        ),
      ]),
    );
    expect(cycleOf(graph)).toBeUndefined();
  });

  it('use the test support only as a devDependency, and keep it out of the order lerna deploys in', () => {
    const misuse = manifests.flatMap((m) => [
      ...(projectDeps(m, 'dependencies').includes(TESTING) ? [`${m.name}: ${TESTING} in dependencies`] : []),
      ...(projectDeps(m, 'devDependencies').includes(TESTING) &&
      !m.nx?.implicitDependencies?.includes(`!${TESTING}`)
        ? [`${m.name}: no nx.implicitDependencies "!${TESTING}"`]
        : []),
    ]);
    expect(misuse).toEqual([]);
  });

  it('include a cycle check that finds a cycle', () => {
    expect(
      cycleOf(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
        ]),
      ),
    ).toEqual(['a', 'b', 'c', 'a']);
    expect(
      cycleOf(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toBeUndefined();
  });
});
