import { generatedTopology } from '@arc-failover/testing';
import { loadTopology, parseTopology } from '../src/topology';
import { findRunbook, runbookApis, targetRegionOf } from '../src/runbooks';

/** The generated topology (external-api, service1 us-east-1 primary, service2 us-west-2 primary) with runbooks. */
const withRunbooks = (runbooks: unknown) =>
  parseTopology({ ...generatedTopology(2), runbooks }, 'prod', 'topology.json');

const refusal = (runbooks: unknown) => {
  try {
    withRunbooks(runbooks);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the runbooks to be refused');
};

describe('runbooks in the topology', () => {
  it('ship evacuate-us-east-1 (services before the entry) and return-to-primary (the reverse)', () => {
    const { runbooks } = loadTopology('prod');
    const evacuate = runbooks.find((r) => r.name === 'evacuate-us-east-1')!;
    const switches = evacuate.steps.filter((s) => s.kind === 'switch');
    expect(switches).toEqual([
      { kind: 'switch', apis: ['service1', 'service2'], to: 'us-west-2' },
      { kind: 'switch', apis: ['external-api'], to: 'us-west-2' },
    ]);
    const back = runbooks.find((r) => r.name === 'return-to-primary')!;
    expect(back.steps.filter((s) => s.kind === 'switch')).toEqual([
      { kind: 'switch', apis: ['external-api'], to: 'primary' },
      { kind: 'switch', apis: ['service1', 'service2'], to: 'primary' },
    ]);
    // every API ends off us-east-1
    const topology = loadTopology('prod');
    for (const step of switches) {
      for (const name of step.apis) {
        expect(
          targetRegionOf(
            topology.all.find((a) => a.name === name)!,
            step.to,
          ),
        ).not.toBe('us-east-1');
      }
    }
  });

  it('reads steps of each kind', () => {
    const t = withRunbooks({
      drill: {
        steps: [
          { switch: ['service1'], to: 'secondary' },
          { wait: 5 },
          { approval: true, timeoutSeconds: 60 },
          { switch: ['external-api', 'service2'], to: 'us-west-2' },
        ],
      },
    });
    expect(t.runbooks[0]!.steps).toEqual([
      { kind: 'switch', apis: ['service1'], to: 'secondary' },
      { kind: 'wait', seconds: 5 },
      { kind: 'approval', timeoutSeconds: 60 },
      { kind: 'switch', apis: ['external-api', 'service2'], to: 'us-west-2' },
    ]);
    expect(withRunbooks(undefined).runbooks).toEqual([]);
  });

  it.each([
    [
      'an unknown API',
      { rb: { steps: [{ switch: ['service9'], to: 'primary' }] } },
      'topology.json: runbooks.rb.steps[0].switch[0]: unknown API "service9" (known: external-api, service1, service2)',
    ],
    [
      'an empty step',
      { rb: { steps: [{ switch: ['service1'], to: 'primary' }, {}] } },
      'topology.json: runbooks.rb.steps[1]: an empty step: give { switch: [apis], to }, { approval: "note" } or { wait: seconds }',
    ],
    [
      'a switch of no API',
      { rb: { steps: [{ switch: [], to: 'primary' }] } },
      'topology.json: runbooks.rb.steps[0].switch: an empty step: name the APIs to switch',
    ],
    [
      'no steps',
      { rb: { steps: [] } },
      'topology.json: runbooks.rb.steps: must be a non-empty list of steps ({ switch, to }, { approval }, { wait })',
    ],
    [
      'an API switched twice to different Regions',
      {
        rb: {
          steps: [
            { switch: ['service1'], to: 'secondary' },
            { switch: ['service1'], to: 'us-east-1' },
          ],
        },
      },
      'topology.json: runbooks.rb.steps[1]: service1 is switched to us-east-1 here and to us-west-2 in steps[0]: a runbook moves an API to one Region',
    ],
    [
      'an approval with no switch after it',
      { rb: { steps: [{ switch: ['service1'], to: 'primary' }, { approval: 'done?' }] } },
      'topology.json: runbooks.rb.steps[1]: an approval with no switch after it: nothing for it to approve',
    ],
    [
      'a Region the API does not run in',
      { rb: { steps: [{ switch: ['service1'], to: 'eu-west-1' }] } },
      'topology.json: runbooks.rb.steps[0].to' +
        ': service1 does not run in eu-west-1 (its Regions: us-east-1 primary, us-west-2 secondary)',
    ],
    [
      'an unknown kind of step',
      { rb: { steps: [{ lambda: 'x' }] } },
      'topology.json: runbooks.rb.steps[0]: unknown step (keys: lambda): give switch, approval or wait',
    ],
    [
      'a bad name',
      { R: { steps: [{ switch: ['service1'], to: 'primary' }] } },
      'topology.json: runbooks.R: "R" is not a runbook name (lower-case letters, digits and dashes, 2 to 64 long)',
    ],
  ])('refuses %s in one line naming the key', (_what, runbooks, message) => {
    expect(refusal(runbooks)).toBe(message);
  });

  it('keeps an API switched twice to the same Region', () => {
    const t = withRunbooks({
      rb: {
        steps: [
          { switch: ['service1'], to: 'secondary' },
          { switch: ['service1'], to: 'us-west-2' },
        ],
      },
    });
    expect(t.runbooks[0]!.steps).toHaveLength(2);
  });
});

describe('finding a runbook and its APIs', () => {
  const { runbooks } = loadTopology('prod');

  it('names every API a runbook switches, in the order its steps first name them', () => {
    expect(runbookApis(findRunbook(runbooks, 'evacuate-us-east-1'))).toEqual([
      'service1',
      'service2',
      'external-api',
    ]);
    expect(runbookApis(findRunbook(runbooks, 'return-to-primary'))).toEqual([
      'external-api',
      'service1',
      'service2',
    ]);
  });

  it('refuses an unknown name in one line that lists the known ones', () => {
    expect(() => findRunbook(runbooks, 'evacuate')).toThrow(
      new RangeError(
        'unknown runbook "evacuate" (known: evacuate-us-east-1, return-to-primary; see npm run switch -- runbook list)',
      ),
    );
  });
});
