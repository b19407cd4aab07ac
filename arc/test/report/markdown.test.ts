import { renderMarkdown } from '../../src/report';
import {
  allApis,
  drainEast,
  provenSwitch,
  refusedSwitch,
  skippedReadinessSwitch,
  unreadableSwitch,
} from './fixtures';

const SVG = '20261201T230512Z-switch-0f3a9c1e.svg';
const headings = (md: string) => md.split('\n').filter((l) => l.startsWith('#'));
/** The section under a heading, up to the next heading of the same or a higher level. */
function section(md: string, heading: string): string {
  const lines = md.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no heading ${heading} in:\n${headings(md).join('\n')}`);
  const level = /^#+/.exec(heading)![0].length;
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && /^#+/.exec(l)![0].length <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}
/** A table's rows as cells, split on unescaped pipes. */
function rows(md: string): string[][] {
  return md
    .split('\n')
    .filter((l) => l.startsWith('| '))
    .map((l) =>
      l
        .slice(2, -2)
        .split(/(?<!\\) \| /)
        .map((c) => c.trim()),
    );
}

describe('the Markdown of a proven switch', () => {
  const md = renderMarkdown(provenSwitch(), SVG);

  it('says what, where and how it ended in the title; who, when and the command line below', () => {
    expect(md.split('\n')[0]).toBe('# Switch service1, external-api to us-west-2 on stage prod: proven');
    expect(md).toContain('- **Who:** oncall on bastion-1 (access key `AKIAIOSFODNN7EXAMPLE`)');
    expect(md).toContain('- **Started:** 2026-12-01T23:05:12.000Z');
    expect(md).toContain('- **Duration:** 2.1 s');
    expect(md).toContain(
      '- **Command line:** `switch --api service1 --api external-api --to secondary --wait`',
    );
  });

  it('embeds the timeline by its file name', () => {
    expect(md.split('\n')).toContain(`![timeline](${SVG})`);
  });

  it('has one section for the step, with plan, readiness, update, endpoints, read back and proof', () => {
    expect(headings(md)).toEqual([
      '# Switch service1, external-api to us-west-2 on stage prod: proven',
      '## Switch to us-west-2 — proven',
      '### Plan',
      '### Readiness',
      '### Update',
      '### Endpoints',
      '### Read back',
      '### Proof',
      '## Outcome',
    ]);
  });

  it('lists the plan and the readiness answers with their URLs and times', () => {
    expect(rows(section(md, '### Plan'))).toEqual([
      ['API', 'hostname', 'from → to', 'role', 'change'],
      ['---', '---', '---', '---', '---'],
      ['service1', '`service1.api.example.com`', 'us-east-1 → us-west-2', 'secondary', 'yes'],
      ['external-api', '`external-api.api.example.com`', 'us-east-1 → us-west-2', 'secondary', 'yes'],
    ]);
    expect(rows(section(md, '### Readiness')).slice(2)).toEqual([
      [
        'service1',
        'us-west-2',
        '`https://service1-us-west-2.execute-api.us-west-2.amazonaws.com/health`',
        'HTTP 200',
        'ready',
        '80',
      ],
      [
        'external-api',
        'us-west-2',
        '`https://external-api-us-west-2.execute-api.us-west-2.amazonaws.com/health`',
        'HTTP 200',
        'ready',
        '81',
      ],
    ]);
  });

  it('says which endpoint took the update and which failed on the way', () => {
    const update = section(md, '### Update');
    expect(update).toContain('Update sent at 2026-12-01T23:05:12.400Z: one UpdateRoutingControlStates call');
    expect(rows(update).slice(2)).toEqual([['1/1', 'service1, external-api', '4', 'us-west-2']]);
    const [read] = rows(section(md, '### Endpoints')).slice(2);
    expect(read![0]).toBe('read');
    expect(read![1]).toMatch(/^us-west-2 `https:\/\/abcd1234\.route53-recovery-cluster\.us-west-2/);
    expect(read![2]).toMatch(/^us-east-1 `https:.*`: timeout \(no answer within 1000 ms\)$/);
  });

  it('shows the read back and the proof: time to DNS and HTTP, the name server, the last answers', () => {
    expect(rows(section(md, '### Read back'))[2]).toEqual([
      'service1',
      'us-east-1 Off (primary), us-west-2 On (secondary)',
      'us-west-2 (secondary)',
    ]);
    const proof = section(md, '### Proof');
    expect(proof).toContain('Proven: ');
    expect(proof).toContain('within 1.4 s of the update (timeout 30 s)');
    expect(rows(proof)[2]).toEqual([
      'service1',
      'us-west-2',
      '1.2 s',
      '1.4 s',
      '`ns-1234.awsdns-26.org`',
      'A 198.51.100.7 (us-west-2)',
      '`https://service1.api.example.com/`',
      'answered from us-west-2',
    ]);
  });

  it('ends with the outcome', () => {
    expect(section(md, '## Outcome').trim()).toBe('**proven** (exit code 0)');
  });
});

describe('the Markdown of other runs', () => {
  it('says readiness was skipped on the break-glass path, and that nobody observed the move', () => {
    const md = renderMarkdown(skippedReadinessSwitch(), SVG);
    expect(md).toContain('- **Readiness:** skipped (--skip-readiness, break glass)');
    expect(section(md, '### Readiness').trim()).toBe('Readiness skipped (--skip-readiness, break glass).');
    expect(section(md, '### Proof').trim()).toBe(
      'No proof: where traffic goes is as read back, not observed.',
    );
  });

  it('shows the answer that refused a switch, and that nothing was sent', () => {
    const md = renderMarkdown(refusedSwitch(), SVG);
    expect(md.split('\n')[0]).toBe('# Switch service1, service2 to us-west-2 on stage prod: refused');
    expect(rows(section(md, '### Readiness'))[3]).toEqual([
      'service2',
      'us-west-2',
      '`https://service2-us-west-2.execute-api.us-west-2.amazonaws.com/health`',
      'HTTP 503',
      '**not ready**',
      '2012',
    ]);
    expect(section(md, '### Update').trim()).toBe(
      'No update sent (one UpdateRoutingControlStates call planned).',
    );
    expect(section(md, '## Outcome')).toContain(
      'Error: `service2 is not ready in us-west-2: GET https://service2-us-west-2.execute-api.us-west-2.amazonaws.com/health answered HTTP 503 after 2012 ms`',
    );
  });

  it('escapes pipes in table cells so a reason cannot add a column', () => {
    const md = renderMarkdown(unreadableSwitch(), SVG);
    const endpoints = rows(section(md, '### Endpoints'));
    expect(endpoints.every((r) => r.length === 4)).toBe(true);
    expect(endpoints[2]![2]).toContain('refused (ECONNREFUSED \\| reset)');
    expect(section(md, '### Plan').trim()).toBe('No plan: the step stopped before it could read the states.');
  });

  it('escapes an API name that looks like HTML or Markdown', () => {
    const report = provenSwitch();
    const step = report.steps[0]!;
    if (step.kind !== 'switch') throw new Error('a switch step');
    step.apis[0] = { ...step.apis[0]!, api: '<b>a|b*</b>' };
    const md = renderMarkdown(report, SVG);
    expect(md).not.toContain('<b>');
    expect(rows(section(md, '### Plan'))[2]![0]).toBe('\\<b\\>a\\|b\\*\\</b\\>');
  });

  it('gives a runbook its evaluation, then a section per step in order: switch, approval, wait, switch', () => {
    const md = renderMarkdown(drainEast(), 'drain.svg');
    expect(headings(md).filter((h) => h.startsWith('## '))).toEqual([
      '## Evaluation',
      '## Step 1: switch to us-west-2 — proven',
      '## Step 2: approval — done',
      '## Step 3: wait 30 s — done',
      '## Step 4: switch to us-west-2 — proven',
      '## Outcome',
    ]);
    expect(md.split('\n')[0]).toBe('# Runbook drain-east on stage prod: proven');
    expect(rows(section(md, '## Evaluation'))[2]).toEqual([
      'bookmark',
      'ok',
      'written 2026-11-30T10:00:00Z, 3 APIs',
    ]);
    const approval = section(md, '## Step 2: approval — done');
    expect(approval).toContain("- **Via:** the cluster's approval gate");
    expect(approval).toContain('- **Approved by:** lead@example.com');
    expect(approval).toContain('- **Waited:** 20 s');
    expect(section(md, '## Step 3: wait 30 s — done')).toContain('Waits 30 s before the next step.');
    expect(rows(section(md, '## Step 4: switch to us-west-2 — proven'))[3]).toEqual([
      'service2',
      '`service2.api.example.com`',
      'us-west-2 → us-west-2',
      'secondary',
      'no (already in place)',
    ]);
  });

  it('says which APIs a proof did not see within the timeout', () => {
    const report = provenSwitch();
    const step = report.steps[0]!;
    if (step.kind !== 'switch') throw new Error('a switch step');
    step.proof!.proven = false;
    delete step.proof!.apis[1]!.httpMs;
    const proof = section(renderMarkdown(report, SVG), '### Proof');
    expect(proof).toContain('**Not proven within 30 s**');
    expect(rows(proof)[3]!.slice(0, 4)).toEqual([
      'external-api',
      'us-west-2',
      '1.2 s',
      '**not within 30 s**',
    ]);
  });

  it('lists all 49 APIs of --all', () => {
    const md = renderMarkdown(allApis(), SVG);
    expect(md.split('\n')[0]).toBe('# Switch 49 APIs to us-west-2 on stage prod: proven');
    expect(rows(section(md, '### Plan'))).toHaveLength(2 + 49);
    expect(rows(section(md, '### Proof'))).toHaveLength(2 + 49);
  });
});
