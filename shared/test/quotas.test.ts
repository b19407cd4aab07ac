import {
  arcStackCounts,
  clusterLoad,
  clusterOverQuota,
  MAX_APIS_PER_CLUSTER,
  stackOverQuota,
} from '../src/quotas';
import { parseTopology, TopologyError } from '../src/topology';
import { generatedTopology } from '@arc-failover/testing';

const CLUSTER = 'arn:aws:route53-recovery-control::111122223333:cluster/4b5e7c9d-1a2b-4c3d-8e9f-0a1b2c3d4e5f';

function refusal(doc: unknown, stage = 'prod'): string {
  try {
    parseTopology(doc, stage);
  } catch (error) {
    expect(error).toBeInstanceOf(TopologyError);
    expect((error as Error).message).not.toContain('\n');
    return (error as Error).message;
  }
  throw new Error('expected a TopologyError');
}

describe("ARC's quotas per cluster", () => {
  it('takes 49 APIs (the entry and 48 services), with the default control panel the 50th', () => {
    expect(MAX_APIS_PER_CLUSTER).toBe(49);
    expect(parseTopology(generatedTopology(48), 'prod').all).toHaveLength(49);
  });

  it('refuses 50 APIs in one line naming the key', () => {
    expect(refusal(generatedTopology(49))).toBe(
      "topology: services: 50 APIs need 51 control panels with the cluster's DefaultControlPanel; ARC allows 50 per cluster, so at most 49 APIs: remove services or split them over two topologies",
    );
  });

  it('counts together the APIs of the stages sharing one cluster through arc.clusterArn', () => {
    const seven = Object.fromEntries(
      Array.from({ length: 7 }, (_, i) => [`stage${i + 1}`, { clusterArn: CLUSTER }]),
    );
    expect(parseTopology(generatedTopology(6, seven), 'stage1').all).toHaveLength(7);
    expect(refusal(generatedTopology(7, seven), 'stage1')).toBe(
      "topology: stages.stage7.arc.clusterArn: stages stage1, stage2, stage3, stage4, stage5, stage6, stage7 share this cluster, 7 × 8 APIs: 56 APIs need 57 control panels with the cluster's DefaultControlPanel; ARC allows 50 per cluster, so at most 49 APIs: give a stage its own cluster (drop its clusterArn)",
    );
  });

  it('does not count together stages with their own clusters', () => {
    const own = { prod: {}, staging: {}, dev: { clusterArn: CLUSTER } };
    expect(parseTopology(generatedTopology(48, own), 'dev').all).toHaveLength(49);
    expect(
      refusal(generatedTopology(24, { prod: { clusterArn: CLUSTER }, dev: { clusterArn: CLUSTER } })),
    ).toMatch(
      /^topology: stages\.dev\.arc\.clusterArn: stages prod, dev share this cluster, 2 × 25 APIs: 50 APIs need 51 control panels/,
    );
  });

  it.each([
    [{ controlPanels: 50, routingControls: 300 }, undefined],
    [{ controlPanels: 51, routingControls: 100 }, /51 control panels .* ARC allows 50 per cluster/],
    [{ controlPanels: 50, routingControls: 301 }, /301 routing controls; ARC allows 300 per cluster/],
  ])('judges a cluster load of %j', (load, expected) => {
    const problem = clusterOverQuota(load);
    if (expected) expect(problem).toMatch(expected);
    else expect(problem).toBeUndefined();
  });

  it('loads a cluster with one panel per API, the default one, and two routing controls per API', () => {
    expect(clusterLoad(49)).toEqual({ controlPanels: 50, routingControls: 98 });
  });

  it('counts one more routing control per API with the approval gate, and still fits 49 APIs', () => {
    expect(clusterLoad(49, 49)).toEqual({ controlPanels: 50, routingControls: 147 });
    expect(clusterOverQuota(clusterLoad(49, 49))).toBeUndefined();
    expect(clusterOverQuota(clusterLoad(49, 203))).toMatch(/301 routing controls/);
  });
});

describe("CloudFormation's quotas on the ARC stack", () => {
  it('counts the approval gate: 2 more resources per API, policies in parts, the approver output', () => {
    // 49 × 8 + 3 operator parts + 2 approver parts + break glass + cluster + osls's 2
    expect(arcStackCounts(49, true, true)).toEqual({ resources: 401, outputs: 54 });
    expect(arcStackCounts(49, true, false)).toEqual({ resources: 299, outputs: 53 });
  });

  it.each([
    [{ resources: 500, outputs: 200 }, undefined],
    [
      { resources: 501, outputs: 10 },
      'the ARC stack would have 501 resources; CloudFormation allows 500 per stack',
    ],
    [
      { resources: 10, outputs: 201 },
      'the ARC stack would have 201 outputs; CloudFormation allows 200 per stack',
    ],
  ])('judges a stack of %j', (counts, expected) => {
    expect(stackOverQuota(counts)).toBe(expected);
  });

  it('keeps the ARC stack of 49 APIs well inside them', () => {
    expect(arcStackCounts(49, true)).toEqual({ resources: 299, outputs: 53 });
    expect(stackOverQuota(arcStackCounts(49, true))).toBeUndefined();
  });
});

describe('ARC names', () => {
  const long = (n: number) => 'a'.repeat(n);

  it('takes a control panel name of 64 characters and refuses 65, naming the API', () => {
    // <project 32>-<stage 16>-<api>: 50 characters before the API name.
    const doc = (api: number) => {
      const d = generatedTopology(
        1,
        { [`s${long(15)}`]: {} },
        { project: long(32), name: () => `b${long(api - 1)}` },
      );
      return d;
    };
    expect(() => parseTopology(doc(14), `s${long(15)}`)).not.toThrow();
    expect(refusal(doc(15), `s${long(15)}`)).toBe(
      `topology: services[0].name: the control panel name "${long(32)}-s${long(15)}-b${long(14)}" (stage s${long(15)}) is 65 characters; ARC allows 64: shorten the project, the stage or the API name`,
    );
  });

  it('refuses a cluster name over 64 characters, unless the stage uses an existing cluster', () => {
    const stage = `s${long(31)}`;
    expect(refusal(generatedTopology(1, { [stage]: {} }, { project: long(32) }), stage)).toBe(
      `topology: stages.${stage}: the cluster name "${long(32)}-${stage}" (stage ${stage}) is 65 characters; ARC allows 64: shorten the project or the stage name`,
    );
    expect(
      refusal(generatedTopology(1, { [stage]: { clusterArn: CLUSTER } }, { project: long(32) }), stage),
    ).toMatch(/^topology: entry\.name: the control panel name /);
  });
});
