import { renderTimeline } from '../../src/report';
import {
  allApis,
  drainEast,
  instantDryRun,
  moving,
  provenSwitch,
  refusedSwitch,
  skippedReadinessSwitch,
  switchStep,
  unreadableSwitch,
} from './fixtures';
import { axisScale, hasClass, lanes, tags, texts, wellFormedness, type Tag } from './svg';

const markers = (svg: string, kind: string) =>
  tags(svg).filter((t) => t.name === 'g' && hasClass(t, 'marker', kind));
const atMs = (t: Tag) => Number(t.attrs['data-at-ms']);
/** A marker group's line. */
const lineOf = (svg: string, group: Tag) => tags(svg).find((t) => t.name === 'line' && t.at > group.at)!;

describe('the timeline of a proven switch', () => {
  const svg = renderTimeline(provenSwitch());

  it('is one well-formed, self-contained SVG with a title', () => {
    expect(wellFormedness(svg)).toBeUndefined();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toMatch(
      /<title>Timeline: Switch service1, external-api to us-west-2 on stage prod: proven<\/title>/,
    );
    expect(svg).not.toMatch(
      /<script|<foreignObject|@import|@font-face|href=|xlink|https?:\/\/(?!www\.w3\.org\/2000\/svg)/,
    );
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('has one lane per API in plan order: the old Region, a failed answer, then the target', () => {
    const view = lanes(svg);
    expect(view.map((l) => l.api)).toEqual(['service1', 'external-api']);
    for (const lane of view) {
      expect(lane.segments.map((s) => [s.region, s.kind])).toEqual([
        ['us-east-1', 'served'],
        ['', 'no-answer'],
        ['us-west-2', 'served'],
      ]);
    }
    // update at 400 ms; samples every 250 ms: the 1000 ms one failed, the 1250 ms one answered from us-west-2
    expect(view[0]!.segments.map((s) => [s.startMs, s.endMs])).toEqual([
      [0, 1400],
      [1400, 1650],
      [1650, 2110],
    ]);
  });

  it('colours each Region one way, in lanes and legend alike, and names them in the legend', () => {
    const all = tags(svg);
    const fills = new Map<string, Set<string>>();
    for (const rect of all.filter((t) => t.name === 'rect' && hasClass(t, 'segment', 'served'))) {
      const region = rect.attrs['data-region']!;
      fills.set(region, new Set([...(fills.get(region) ?? []), rect.attrs.fill!]));
    }
    expect([...fills.keys()].sort()).toEqual(['us-east-1', 'us-west-2']);
    expect([...fills.values()].every((f) => f.size === 1)).toBe(true);
    expect(fills.get('us-east-1')).not.toEqual(fills.get('us-west-2'));
    const legend = all.filter((t) => t.name === 'g' && hasClass(t, 'legend-region'));
    expect(legend.map((g) => g.attrs['data-region'])).toEqual(['us-east-1', 'us-west-2']);
    for (const g of legend) {
      const swatch = all.find((t) => t.name === 'rect' && t.at > g.at)!;
      expect(new Set([swatch.attrs.fill])).toEqual(fills.get(g.attrs['data-region']!));
    }
    expect(texts(svg)).toEqual(expect.arrayContaining(['us-east-1', 'us-west-2', 'no answer']));
  });

  it('marks the update, and each API’s DNS and HTTP times after it, where the axis puts them', () => {
    const x = axisScale(tags(svg));
    const [update] = markers(svg, 'update');
    expect(atMs(update!)).toBe(400);
    expect(Number(lineOf(svg, update!).attrs.x1)).toBeCloseTo(x(400), 0);
    for (const lane of lanes(svg)) {
      expect(lane.dns.map((t) => [t.attrs['data-ms'], atMs(t)])).toEqual([['1200', 1600]]);
      expect(lane.http.map((t) => [t.attrs['data-ms'], atMs(t)])).toEqual([['1400', 1800]]);
      expect(Number(lane.dns[0]!.attrs.x1)).toBeCloseTo(x(1600), 0);
      expect(Number(lane.http[0]!.attrs.x1)).toBeCloseTo(x(1800), 0);
      // segments meet where their times say
      for (const s of lane.segments) {
        expect(s.x).toBeCloseTo(x(s.startMs), 0);
        expect(s.x + s.width).toBeCloseTo(x(s.endMs), 0);
      }
    }
    expect(texts(svg)).toEqual(expect.arrayContaining(['update', 'DNS 1.2 s', 'HTTP 1.4 s']));
  });

  it('has a time axis in seconds from the start', () => {
    const labels = texts(svg).filter((t) => /^\d+(\.\d+)? s$/.test(t));
    expect(labels[0]).toBe('0.0 s');
    expect(labels.length).toBeGreaterThanOrEqual(3);
    expect(labels.length).toBeLessThanOrEqual(9);
  });
});

describe('the timeline of a switch without proof', () => {
  const svg = renderTimeline(skippedReadinessSwitch());

  it('draws the read back Region after the update as not observed, and says so in the legend', () => {
    const [lane] = lanes(svg);
    expect(lane!.segments.map((s) => [s.region, s.kind, s.startMs])).toEqual([
      ['us-east-1', 'served', 0],
      ['us-west-2', 'not-observed', 40],
    ]);
    const hatched = tags(svg).find((t) => t.name === 'rect' && hasClass(t, 'not-observed'))!;
    expect(hatched.attrs.fill).toMatch(/^url\(#hatch-\d\)$/);
    expect(texts(svg)).toContain('not observed (read back only)');
    expect(lane!.dns).toEqual([]);
    expect(lane!.http).toEqual([]);
    expect(wellFormedness(svg)).toBeUndefined();
  });

  it('takes the Region from the read back, not the plan, when they differ', () => {
    const report = skippedReadinessSwitch();
    const step = report.steps[0]!;
    if (step.kind !== 'switch') throw new Error('a switch step');
    step.readBack![0]!.servingRegion = 'us-east-1';
    expect(lanes(renderTimeline(report))[0]!.segments.map((s) => [s.region, s.kind])).toEqual([
      ['us-east-1', 'served'],
      ['us-east-1', 'not-observed'],
    ]);
  });
});

describe('the timeline of a step that sent no update', () => {
  it('keeps every API on its Region, with no update marker, and marks where the step was refused', () => {
    const svg = renderTimeline(refusedSwitch());
    expect(wellFormedness(svg)).toBeUndefined();
    expect(lanes(svg).map((l) => [l.api, l.segments.map((s) => s.region)])).toEqual([
      ['service1', ['us-east-1']],
      ['service2', ['us-east-1']],
    ]);
    expect(markers(svg, 'update')).toEqual([]);
    expect(markers(svg, 'end').map(atMs)).toEqual([2050]);
    expect(texts(svg)).toContain('refused');
  });

  it('says there is nothing to draw when the states could not even be read', () => {
    const svg = renderTimeline(unreadableSwitch());
    expect(wellFormedness(svg)).toBeUndefined();
    expect(lanes(svg)).toEqual([]);
    expect(texts(svg)).toContain('no API in any switch step');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('draws a report that took no time on a 1 s axis, lanes the full width', () => {
    const svg = renderTimeline(instantDryRun());
    expect(wellFormedness(svg)).toBeUndefined();
    expect(svg).not.toMatch(/NaN|Infinity/);
    const [lane] = lanes(svg);
    expect(lane!.segments).toHaveLength(1);
    expect(lane!.segments[0]!.width).toBeGreaterThan(600);
    expect(texts(svg)).toEqual(expect.arrayContaining(['0.0 s', '1.0 s']));
  });
});

describe('the timeline of a runbook', () => {
  const report = drainEast();
  const svg = renderTimeline(report);

  it('has a lane for every API of any switch step, in order of appearance', () => {
    expect(wellFormedness(svg)).toBeUndefined();
    const view = lanes(svg);
    expect(view.map((l) => l.api)).toEqual(['external-api', 'service1', 'service2']);
    // service1 stays on us-east-1 through the approval and the wait, and moves at step 4's update
    const service1 = view[1]!;
    expect(service1.segments[0]).toMatchObject({ region: 'us-east-1', startMs: 0 });
    expect(service1.segments[0]!.endMs).toBeGreaterThan(53_200);
    expect(service1.segments.at(-1)!.region).toBe('us-west-2');
    // service2 was already there
    expect(view[2]!.segments.map((s) => s.region)).toEqual(['us-west-2']);
  });

  it('marks each step where it started, and each update with its step', () => {
    expect(markers(svg, 'step').map((m) => [m.attrs['data-step'], m.attrs['data-kind'], atMs(m)])).toEqual([
      ['1', 'switch', 10],
      ['2', 'approval', 3000],
      ['3', 'wait', 23_010],
      ['4', 'switch', 53_020],
    ]);
    expect(markers(svg, 'update').map((m) => [m.attrs['data-step'], atMs(m)])).toEqual([
      ['1', 300],
      ['4', 53_200],
    ]);
    expect(texts(svg)).toEqual(
      expect.arrayContaining(['update (step 1)', 'update (step 4)', '2 approval', '3 wait 30 s']),
    );
  });

  it('shades the approval and the wait across all lanes', () => {
    const all = tags(svg);
    const x = axisScale(all);
    const view = lanes(svg);
    const top = view[0]!.y;
    const bottom = view.at(-1)!.y + 24;
    const bands = all.filter((t) => t.name === 'rect' && hasClass(t, 'band'));
    expect(bands.map((b) => [b.attrs.class, b.attrs['data-start-ms'], b.attrs['data-end-ms']])).toEqual([
      ['band approval', '3000', '23000'],
      ['band wait', '23010', '53010'],
    ]);
    for (const band of bands) {
      expect(Number(band.attrs.x)).toBeCloseTo(x(Number(band.attrs['data-start-ms'])), 0);
      expect(Number(band.attrs.x) + Number(band.attrs.width)).toBeCloseTo(
        x(Number(band.attrs['data-end-ms'])),
        0,
      );
      expect(Number(band.attrs.y)).toBeLessThanOrEqual(top);
      expect(Number(band.attrs.y) + Number(band.attrs.height)).toBeGreaterThanOrEqual(bottom);
    }
  });

  it('puts the second switch’s DNS and HTTP ticks after its own update', () => {
    const [service1] = lanes(svg).filter((l) => l.api === 'service1');
    expect(service1!.dns.map(atMs)).toEqual([53_200 + 1100]);
    expect(service1!.http.map(atMs)).toEqual([53_200 + 2100]);
    expect(service1!.http[0]!.attrs['data-step']).toBe('4');
  });
});

describe('the timeline at scale and with awkward names', () => {
  it('gives 49 APIs 49 lanes of one height, the picture growing with them', () => {
    const one = renderTimeline({ ...allApis(1) });
    const many = renderTimeline(allApis(49));
    expect(wellFormedness(many)).toBeUndefined();
    const view = lanes(many);
    expect(view).toHaveLength(49);
    const pitches = new Set(view.slice(1).map((lane, i) => lane.y - view[i]!.y));
    expect(pitches.size).toBe(1);
    const [pitch] = [...pitches];
    const heightOf = (svg: string) => Number(/<svg [^>]*height="(\d+)"/.exec(svg)![1]);
    expect(heightOf(many) - heightOf(one)).toBe(48 * pitch!);
    expect(view.every((l) => l.dns.length === 1 && l.http.length === 1)).toBe(true);
    expect(markers(many, 'update')).toHaveLength(1);
  });

  it('escapes names and errors: an API called <&> "x" keeps the XML whole and reads back as itself', () => {
    const report = provenSwitch();
    const name = `a<b&c>"d'`;
    const step = report.steps[0]!;
    if (step.kind !== 'switch') throw new Error('a switch step');
    step.apis[0] = { ...step.apis[0]!, api: name };
    step.proof!.apis[0] = { ...step.proof!.apis[0]!, api: name };
    Object.assign(report, { kind: 'runbook', runbook: '</svg>' });
    report.stage = 'prod<script>';
    const svg = renderTimeline(report);
    expect(wellFormedness(svg)).toBeUndefined();
    expect(svg).not.toContain('<script');
    expect(svg).toContain(
      '<title>Timeline: Runbook &lt;/svg&gt; on stage prod&lt;script&gt;: proven</title>',
    );
    expect(lanes(svg)[0]!.api).toBe(name);
    expect(texts(svg)).toContain(name);
    expect(lanes(svg)[0]!.dns).toHaveLength(1);
  });

  it('keeps a long API name to its column', () => {
    const report = provenSwitch();
    report.steps = [
      switchStep({ apis: [moving('a-very-long-api-name-that-goes-on-and-on-and-on')], start: 0, finish: 10 }),
    ];
    const svg = renderTimeline(report);
    expect(lanes(svg)[0]!.api).toBe('a-very-long-api-name-that-goes-on-and-on-and-on');
    const label = texts(svg).find((t) => t.startsWith('a-very-long'))!;
    expect(label).toMatch(/…$/);
    expect(label.length).toBeLessThanOrEqual(32);
  });
});
