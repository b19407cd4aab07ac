import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TOPOLOGY_FILE, REPO_ROOT } from '@arc-failover/shared';
import { renderJson } from '../../src/stage/render-json';
import { withStage } from '../../src/stage/topology-text';

/** The text as the project's prettier (its CLI: jest cannot load prettier 3's ES modules) formats it. */
function prettierFormat(text: string): string {
  const cli = path.join(REPO_ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
  const run = spawnSync(
    process.execPath,
    [cli, '--stdin-filepath', path.join(REPO_ROOT, 'shared', 'x.json')],
    {
      input: text,
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

const ARN = (region: string) =>
  `arn:aws:acm:${region}:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666`;
const entry = {
  domain: 'acme.dev',
  hostedZoneId: 'Z111',
  certificateArns: { 'us-east-1': ARN('us-east-1'), 'us-west-2': ARN('us-west-2') },
  arc: { stackName: 'arc-failover-arc-dev', region: 'us-west-2' },
};

describe('writing a stage into the topology text', () => {
  const committed = readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8');

  it('adds a new stage after the others, leaving every other byte as it was, in prettier’s format', async () => {
    const updated = withStage(committed, 'dev', entry);
    const end = committed.lastIndexOf('}', committed.lastIndexOf('}') - 1);
    expect(updated.startsWith(committed.slice(0, end - 5))).toBe(true);
    expect(updated.endsWith('\n  }\n}\n')).toBe(true);
    expect(JSON.parse(updated).stages).toEqual({ ...JSON.parse(committed).stages, dev: entry });
    expect(updated).toContain(
      [
        '    "dev": {',
        '      "domain": "acme.dev",',
        '      "hostedZoneId": "Z111",',
        '      "certificateArns": {',
        `        "us-east-1": "${ARN('us-east-1')}",`,
        `        "us-west-2": "${ARN('us-west-2')}"`,
        '      },',
        '      "arc": { "stackName": "arc-failover-arc-dev", "region": "us-west-2" }',
        '    }',
      ].join('\n'),
    );
    expect(prettierFormat(updated)).toBe(updated);
  });

  it('replaces an existing stage in place', () => {
    const updated = withStage(committed, 'local', entry);
    const before = JSON.parse(committed).stages;
    expect(JSON.parse(updated).stages).toEqual({ ...before, local: entry });
    expect(Object.keys(JSON.parse(updated).stages)).toEqual(['local', 'prod']);
    const prodStart = committed.indexOf('    "prod"');
    expect(updated.endsWith(committed.slice(prodStart - 2))).toBe(true);
  });

  it('adds the first stage to an empty stages object', async () => {
    const text = '{\n  "project": "p",\n  "stages": {}\n}\n';
    const updated = withStage(text, 'dev', { domain: 'acme.dev' });
    expect(updated).toBe(
      '{\n  "project": "p",\n  "stages": {\n    "dev": {\n      "domain": "acme.dev"\n    }\n  }\n}\n',
    );
    expect(prettierFormat(updated)).toBe(updated);
  });

  it('reads strings with escapes and braces without losing its place', () => {
    const text = '{ "stages": { "a": { "note": "a \\"}\\" brace" }, "b": [1, {"c": "]"}] }, "z": 1 }';
    const updated = withStage(text, 'c', { domain: 'x.dev' });
    expect(JSON.parse(updated)).toEqual({
      stages: { a: { note: 'a "}" brace' }, b: [1, { c: ']' }], c: { domain: 'x.dev' } },
      z: 1,
    });
  });

  it('puts an object on one line only while the line fits in 110 characters', () => {
    expect(renderJson({ a: { b: 'c' } }, { expand: true })).toBe('{\n  "a": { "b": "c" }\n}');
    const long = { k: 'x'.repeat(100) };
    expect(renderJson({ a: long }, { expand: true })).toBe(
      `{\n  "a": {\n    "k": "${'x'.repeat(100)}"\n  }\n}`,
    );
  });
});
