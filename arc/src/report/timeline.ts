import { formatSeconds, reportTitle } from './markdown';
import type {
  ApprovalStepReport,
  ExecutionReport,
  StepOutcome,
  StepReport,
  SwitchStepReport,
  WaitStepReport,
} from './model';

/**
 * The report's timeline as one self-contained SVG (no script, no external font or link): a lane per API of
 * any switch step, coloured by the Region that served it over time, with the updates, the proof's DNS and
 * HTTP times, and the runbook's steps, approvals and waits. Times count from the report's `startedAt`.
 *
 * Where a lane's Region comes from:
 * - before a step's update: the step's plan (`from`, as the switch read the routing controls);
 * - after it: each proof sample's `httpRegion`, held until the next sample (no Region: a grey "no answer");
 * - after it, with no proof samples: the read back's serving Region (else the target), hatched and dimmed as
 *   "not observed": the states say so, nobody saw traffic arrive.
 * An API that did not change, or a step that sent no update, keeps its `from` Region.
 *
 * Lanes are `<g class="lane" data-api>` holding `<rect class="segment …" data-region>` in time order and the
 * `line.marker.dns` / `line.marker.http` ticks; `g.marker.update`, `g.marker.step` (runbooks), `g.marker.end`
 * (where a step failed, was refused or interrupted) and `rect.band.approval` / `rect.band.wait` span every lane.
 * Every element placed in time carries `data-at-ms` or `data-start-ms` (ms from the start).
 */
export function renderTimeline(report: ExecutionReport): string {
  const clock = clockOf(report);
  const lanes = lanesOf(report, clock);
  const regions = regionsOf(report, lanes);
  const colours = coloursFor(regions);
  const rows = Math.max(lanes.length, 1);
  const height = LANES_TOP + rows * LANE_PITCH + AXIS_HEIGHT;
  const lanesBottom = LANES_TOP + rows * LANE_PITCH - LANE_GAP;
  const x = (ms: number) => round(PLOT_LEFT + (clamp(ms, 0, clock.spanMs) / clock.spanMs) * PLOT_WIDTH);
  const heading = reportTitle(report);
  const summary = `started ${report.startedAt}, ${formatSeconds(clock.durationMs)}, ${lanes.length} API${lanes.length === 1 ? '' : 's'}`;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" class="timeline" data-report="${attr(report.id)}" data-duration-ms="${clock.durationMs}">`,
    `<title>${text(`Timeline: ${heading}`)}</title>`,
    `<desc>${text(`${summary}. ${LANE_SOURCES}`)}</desc>`,
    `<style>${STYLE}</style>`,
    '<defs>',
    ...regions.map((region, i) => hatch(`hatch-${i}`, colours.get(region)!)),
    hatch('hatch-legend', '#555555'),
    '</defs>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text class="heading" x="12" y="22">${text(heading)}</text>`,
    `<text class="sub" x="12" y="40">${text(summary)}</text>`,
    ...legend(regions, colours, new Set(lanes.flatMap((lane) => lane.segments.map((s) => s.kind)))),
  ];

  if (lanes.length === 0) {
    out.push(`<text class="sub" x="${PLOT_LEFT}" y="${LANES_TOP + 16}">no API in any switch step</text>`);
  }
  lanes.forEach((lane, i) => out.push(...drawLane(lane, LANES_TOP + i * LANE_PITCH, regions, colours, x)));

  for (const step of report.steps) {
    const start = clock.at(step.startedAt);
    if ((step.kind !== 'approval' && step.kind !== 'wait') || start === undefined) continue;
    const end = bandEnd(step, start, clock);
    out.push(
      `<rect class="band ${step.kind}" data-step="${step.index + 1}" data-start-ms="${start}" data-end-ms="${end}" x="${x(start)}" y="${LANES_TOP - 4}" width="${Math.max(round(x(end) - x(start)), 1)}" height="${lanesBottom - LANES_TOP + 8}"${BAND_FILL[step.kind]}><title>${text(`step ${step.index + 1}: ${bandLabel(step)}, ${formatSeconds(start)} to ${formatSeconds(end)}`)}</title></rect>`,
    );
  }
  const markers = headerMarkers(report, clock, x);
  for (const m of placeLabels(markers)) {
    out.push(
      `<g class="marker ${m.kind}" data-step="${m.step}"${m.kind === 'step' ? ` data-kind="${m.stepKind}"` : ''} data-at-ms="${m.atMs}">`,
      `<line x1="${m.x}" x2="${m.x}" y1="${m.row - 9}" y2="${lanesBottom + 4}"${MARKER_STROKE[m.kind]}/>`,
      sideLabel(m.cls, m.x, m.row, m.label),
      '</g>',
    );
  }
  out.push(...axis(clock, lanesBottom + 8, x), '</svg>');
  return `${out.join('\n')}\n`;
}

const WIDTH = 960;
const PLOT_LEFT = 210;
const PLOT_WIDTH = WIDTH - PLOT_LEFT - 40;
/** Baselines of the label rows above the lanes, for the step and update markers. */
const LABEL_ROWS = [75, 87, 99];
const LANES_TOP = 108;
const LANE_HEIGHT = 24;
const LANE_GAP = 4;
const LANE_PITCH = LANE_HEIGHT + LANE_GAP;
const AXIS_HEIGHT = 44;
/** The scale of a report that took no time at all: everything sits at 0 s of a 1 s axis. */
const EMPTY_SPAN_MS = 1000;
const NO_ANSWER = '#9e9e9e';
/** Colour-blind-safe (Okabe-Ito without its grey and black). */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#882255'];
const INK = '#1a1a1a';
const STOPPED: readonly StepOutcome[] = ['failed', 'refused', 'interrupted'];
const LABEL_SIZE = 9;
const BAND_FILL = {
  approval: ' fill="#6a3d9a" fill-opacity="0.18" stroke="#6a3d9a" stroke-opacity="0.6"',
  wait: ' fill="#7f7f7f" fill-opacity="0.22" stroke="#555555" stroke-opacity="0.6"',
} as const;
const MARKER_STROKE = {
  update: ` stroke="${INK}" stroke-width="1.5"`,
  step: ' stroke="#555555" stroke-width="1" stroke-dasharray="4 3"',
  end: ' stroke="#b2182b" stroke-width="1.5" stroke-dasharray="2 2"',
  dns: ` stroke="${INK}" stroke-width="2"`,
  http: ` stroke="${INK}" stroke-width="2" stroke-dasharray="2 1"`,
} as const;
/** Type only: every shape's fill and stroke is an attribute, so a renderer that ignores CSS still draws them. */
const STYLE = [
  "text{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;fill:#1a1a1a}",
  '.heading{font-size:15px;font-weight:600}',
  '.sub,.legend{font-size:11px;fill:#444444}',
  '.api{font-size:11px}',
  `.label{font-size:${LABEL_SIZE}px}`,
  '.axis{font-size:10px;fill:#444444}',
].join('');
const LANE_SOURCES =
  'Each lane is the Region that served the API: before an update as the switch read it, after it as the proof samples answered (grey: no answer), hatched where only the read back says so.';

interface Clock {
  /** ms since the report's start, or undefined for an absent or unreadable time. */
  at(iso: string | undefined): number | undefined;
  durationMs: number;
  /** What the axis spans: the duration, or 1 s when the report took none. */
  spanMs: number;
}

type SegmentKind = 'served' | 'no-answer' | 'not-observed';

interface Segment {
  region?: string;
  kind: SegmentKind;
  startMs: number;
  endMs: number;
}

interface Tick {
  kind: 'dns' | 'http';
  step: number;
  /** Since the step's update (the proof's own figure). */
  ms: number;
  /** Since the report's start. */
  atMs: number;
}

interface Lane {
  api: string;
  segments: Segment[];
  ticks: Tick[];
}

function clockOf(report: ExecutionReport): Clock {
  const epoch = (iso: string | undefined) => (iso === undefined ? NaN : Date.parse(iso));
  const start = epoch(report.startedAt);
  const origin = Number.isFinite(start)
    ? start
    : Math.min(...report.steps.map((s) => epoch(s.startedAt)).filter(Number.isFinite));
  const at = (iso: string | undefined) => {
    const ms = epoch(iso);
    return Number.isFinite(ms) && Number.isFinite(origin) ? Math.max(0, ms - origin) : undefined;
  };
  const ends: (number | undefined)[] = [at(report.finishedAt)];
  for (const step of report.steps) {
    const started = at(step.startedAt);
    ends.push(started, at(step.finishedAt));
    if (step.kind === 'wait' && started !== undefined) ends.push(started + step.seconds * 1000);
    if (step.kind === 'approval' && started !== undefined) ends.push(started + (step.waitedMs ?? 0));
    if (step.kind !== 'switch') continue;
    const update = at(step.updateSentAt);
    ends.push(update);
    if (update === undefined || !step.proof) continue;
    ends.push(update + step.proof.waitedMs);
    for (const p of step.proof.apis) {
      ends.push(update + (p.dnsMs ?? 0), update + (p.httpMs ?? 0), ...p.samples.map((s) => update + s.atMs));
    }
  }
  const durationMs = Math.max(0, ...ends.filter((e): e is number => e !== undefined && Number.isFinite(e)));
  return { at, durationMs, spanMs: durationMs > 0 ? durationMs : EMPTY_SPAN_MS };
}

function switchSteps(report: ExecutionReport): SwitchStepReport[] {
  return report.steps.filter((s): s is SwitchStepReport => s.kind === 'switch');
}

function lanesOf(report: ExecutionReport, clock: Clock): Lane[] {
  const steps = switchSteps(report);
  const names = [...new Set(steps.flatMap((s) => s.apis.map((a) => a.api)))];
  return names.map((api) => {
    const points: { atMs: number; region?: string; kind: SegmentKind }[] = [];
    const ticks: Tick[] = [];
    const push = (atMs: number, region: string | undefined, kind: SegmentKind) => {
      // the first point opens the lane at 0; the others never go back in time
      const floor = points.at(-1)?.atMs ?? 0;
      points.push({ atMs: points.length === 0 ? 0 : clamp(atMs, floor, clock.spanMs), region, kind });
    };
    for (const step of steps) {
      const plan = step.apis.find((a) => a.api === api);
      if (!plan) continue;
      const update = clock.at(step.updateSentAt);
      push(clock.at(step.startedAt) ?? update ?? points.at(-1)?.atMs ?? 0, plan.from, 'served');
      if (update === undefined || !plan.changes) continue;
      const proof = step.proof?.apis.find((p) => p.api === api);
      if (proof && proof.samples.length > 0) {
        for (const sample of [...proof.samples].sort((a, b) => a.atMs - b.atMs)) {
          const region = sample.httpRegion || undefined;
          push(update + Math.max(0, sample.atMs), region, region ? 'served' : 'no-answer');
        }
      } else {
        const readBack = step.readBack?.find((r) => r.name === api)?.servingRegion;
        const batch = step.batches.find((b) => b.apis.includes(api));
        // with no read back and its batch not taken by the cluster, nothing suggests it moved
        if (readBack !== undefined || !batch || batch.applied)
          push(update, readBack ?? plan.to, 'not-observed');
      }
      for (const kind of ['dns', 'http'] as const) {
        const ms = kind === 'dns' ? proof?.dnsMs : proof?.httpMs;
        if (ms !== undefined) ticks.push({ kind, step: step.index + 1, ms, atMs: update + ms });
      }
    }
    return { api, segments: segmentsOf(points, clock.spanMs), ticks };
  });
}

/** Consecutive points of one Region and kind make one segment; each lasts until the next point. */
function segmentsOf(
  points: { atMs: number; region?: string; kind: SegmentKind }[],
  endMs: number,
): Segment[] {
  const segments: Segment[] = [];
  points.forEach((point, i) => {
    const end = points[i + 1]?.atMs ?? endMs;
    const last = segments.at(-1);
    if (last && last.region === point.region && last.kind === point.kind) last.endMs = end;
    else if (end > point.atMs)
      segments.push({ region: point.region, kind: point.kind, startMs: point.atMs, endMs: end });
  });
  return segments;
}

function drawLane(
  lane: Lane,
  y: number,
  regions: string[],
  colours: Map<string, string>,
  x: (ms: number) => number,
): string[] {
  const out = [
    `<g class="lane" data-api="${attr(lane.api)}" data-regions="${attr(lane.segments.map((s) => s.region ?? '-').join(' '))}">`,
    `<title>${text(lane.api)}</title>`,
    `<text class="api" x="${PLOT_LEFT - 8}" y="${y + LANE_HEIGHT / 2 + 4}" text-anchor="end">${text(shorten(lane.api, 32))}</text>`,
  ];
  for (const s of lane.segments) {
    const fill =
      s.kind === 'no-answer'
        ? `fill="${NO_ANSWER}"`
        : s.kind === 'not-observed'
          ? `fill="url(#hatch-${regions.indexOf(s.region!)})" opacity="0.6"`
          : `fill="${colours.get(s.region!)}"`;
    const what =
      s.kind === 'no-answer'
        ? 'no answer'
        : `${s.region}${s.kind === 'not-observed' ? ' (not observed, read back only)' : ''}`;
    out.push(
      `<rect class="segment ${s.kind}" data-region="${attr(s.region ?? '')}" data-start-ms="${s.startMs}" data-end-ms="${s.endMs}" x="${x(s.startMs)}" y="${y}" width="${round(x(s.endMs) - x(s.startMs))}" height="${LANE_HEIGHT}" ${fill}><title>${text(`${lane.api}: ${what}, ${formatSeconds(s.startMs)} to ${formatSeconds(s.endMs)}`)}</title></rect>`,
    );
  }
  for (const tick of lane.ticks) {
    const tx = x(tick.atMs);
    const mid = y + LANE_HEIGHT / 2;
    const [top, bottom, baseline] =
      tick.kind === 'dns' ? [y, mid, y + 9] : [mid, y + LANE_HEIGHT, y + LANE_HEIGHT - 3];
    out.push(
      `<line class="marker ${tick.kind}" data-api="${attr(lane.api)}" data-step="${tick.step}" data-ms="${tick.ms}" data-at-ms="${tick.atMs}" x1="${tx}" x2="${tx}" y1="${top}" y2="${bottom}"${MARKER_STROKE[tick.kind]}/>`,
      sideLabel(
        `label ${tick.kind}`,
        tx,
        baseline,
        `${tick.kind === 'dns' ? 'DNS' : 'HTTP'} ${formatSeconds(tick.ms)}`,
      ),
    );
  }
  out.push('</g>');
  return out;
}

/** A small label beside a line at x, on a pale ground: to its right, or its left when it would run off. */
function sideLabel(cls: string, x: number, y: number, label: string): string {
  const { left, right } = labelExtent(x, label);
  const flipped = right <= x;
  return [
    `<rect x="${round(left - 1)}" y="${y - 8}" width="${round(right - left + 2)}" height="10" fill="#ffffff" fill-opacity="0.85"/>`,
    `<text class="${cls}" x="${round(flipped ? x - 3 : x + 3)}" y="${y}"${flipped ? ' text-anchor="end"' : ''}>${text(label)}</text>`,
  ].join('');
}

/** Where a label beside a line at x goes, left and right. */
function labelExtent(x: number, label: string): { left: number; right: number } {
  const width = textWidth(label, LABEL_SIZE);
  return x + 3 + width > WIDTH - 4
    ? { left: x - 3 - width, right: x - 3 }
    : { left: x + 3, right: x + 3 + width };
}

interface HeaderMarker {
  /** A step's start, its update, or where a failed, refused or interrupted step stopped. */
  kind: 'step' | 'update' | 'end';
  step: number;
  stepKind: StepReport['kind'];
  atMs: number;
  x: number;
  label: string;
  cls: string;
}

/** The runbook's step starts (an approval's or a wait's label names its band) and every update. */
function headerMarkers(report: ExecutionReport, clock: Clock, x: (ms: number) => number): HeaderMarker[] {
  const runbook = report.kind === 'runbook';
  const markers: HeaderMarker[] = [];
  for (const step of report.steps) {
    const common = { step: step.index + 1, stepKind: step.kind };
    const start = clock.at(step.startedAt);
    if (runbook && start !== undefined) {
      const band = step.kind === 'switch' ? '' : ` band ${step.kind}`;
      markers.push({
        ...common,
        kind: 'step',
        atMs: start,
        x: x(start),
        label: `${step.index + 1} ${stepLabel(step)}`,
        cls: `label step${band}`,
      });
    }
    const finished = clock.at(step.finishedAt);
    if (STOPPED.includes(step.outcome) && finished !== undefined) {
      markers.push({
        ...common,
        kind: 'end',
        atMs: finished,
        x: x(finished),
        label: runbook ? `step ${step.index + 1} ${step.outcome}` : step.outcome,
        cls: 'label end',
      });
    }
    const update = step.kind === 'switch' ? clock.at(step.updateSentAt) : undefined;
    if (update === undefined) continue;
    markers.push({
      ...common,
      kind: 'update',
      atMs: update,
      x: x(update),
      label: runbook ? `update (step ${step.index + 1})` : 'update',
      cls: 'label update',
    });
  }
  return markers;
}

/** Each label on the first row where it overlaps none before it (else the row that frees up first). */
function placeLabels(markers: HeaderMarker[]): (HeaderMarker & { row: number })[] {
  const ends = LABEL_ROWS.map(() => -Infinity);
  return [...markers]
    .sort((a, b) => a.x - b.x)
    .map((m) => {
      const { left, right } = labelExtent(m.x, m.label);
      let row = ends.findIndex((end) => end + 4 <= left);
      if (row < 0) row = ends.indexOf(Math.min(...ends));
      ends[row] = right;
      return { ...m, row: LABEL_ROWS[row]! };
    });
}

function hatch(id: string, colour: string): string {
  return `<pattern id="${id}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="${colour}" stroke-width="3"/></pattern>`;
}

/** Every Region a lane shows or a plan names, sorted: the legend's order. */
function regionsOf(report: ExecutionReport, lanes: Lane[]): string[] {
  const named = switchSteps(report).flatMap((s) => s.apis.flatMap((a) => [a.from, a.to]));
  const shown = lanes.flatMap((lane) => lane.segments.flatMap((s) => (s.region ? [s.region] : [])));
  return [...new Set([...named, ...shown])].sort();
}

/**
 * A colour per Region in the sorted order of the report's Regions: two Regions always get the palette's two
 * most distinct colours (blue, orange), so the same pair looks the same in every report.
 */
function coloursFor(regions: string[]): Map<string, string> {
  return new Map(regions.map((region, i) => [region, PALETTE[i % PALETTE.length]!]));
}

function legend(regions: string[], colours: Map<string, string>, used: Set<SegmentKind>): string[] {
  const items = regions.map((region) => ({
    attrs: `class="legend-region" data-region="${attr(region)}"`,
    swatch: `fill="${colours.get(region)}"`,
    label: region,
  }));
  if (used.has('no-answer')) {
    items.push({ attrs: 'class="legend-no-answer"', swatch: `fill="${NO_ANSWER}"`, label: 'no answer' });
  }
  if (used.has('not-observed')) {
    items.push({
      attrs: 'class="legend-not-observed"',
      swatch: 'fill="url(#hatch-legend)" opacity="0.6"',
      label: 'not observed (read back only)',
    });
  }
  const out = ['<g class="legend">'];
  let x = 12;
  for (const item of items) {
    out.push(
      `<g ${item.attrs}><rect x="${x}" y="51" width="14" height="10" ${item.swatch} stroke="#555555" stroke-width="0.5"/><text class="legend" x="${x + 19}" y="60">${text(item.label)}</text></g>`,
    );
    x += 19 + textWidth(item.label, 11) + 16;
  }
  out.push('</g>');
  return out;
}

function axis(clock: Clock, y: number, x: (ms: number) => number): string[] {
  const step = tickStep(clock.spanMs);
  const decimals = step >= 1000 ? 0 : step >= 100 ? 1 : step >= 10 ? 2 : 3;
  const out = [
    '<g class="axis">',
    `<line x1="${PLOT_LEFT}" x2="${PLOT_LEFT + PLOT_WIDTH}" y1="${y}" y2="${y}" stroke="#555555"/>`,
  ];
  for (let i = 0; i * step <= clock.spanMs; i++) {
    const tx = x(i * step);
    out.push(
      `<line class="tick" data-ms="${i * step}" x1="${tx}" x2="${tx}" y1="${y}" y2="${y + 5}" stroke="#555555"/>`,
      `<text class="axis" x="${tx}" y="${y + 17}" text-anchor="middle">${((i * step) / 1000).toFixed(decimals)} s</text>`,
    );
  }
  out.push(
    `<text class="axis" x="${PLOT_LEFT + PLOT_WIDTH}" y="${y + 32}" text-anchor="end">seconds from the start</text>`,
    '</g>',
  );
  return out;
}

/** 1, 2 or 5 times a power of ten (ms): at most 8 intervals. */
function tickStep(spanMs: number): number {
  for (let power = 1; ; power *= 10) {
    for (const m of [1, 2, 5]) if (spanMs / (m * power) <= 8) return m * power;
  }
}

function bandEnd(step: ApprovalStepReport | WaitStepReport, start: number, clock: Clock): number {
  const finished = clock.at(step.finishedAt);
  if (finished !== undefined) return Math.max(finished, start);
  if (step.kind === 'wait') return start + step.seconds * 1000;
  // an approval still waiting when the report was written: until the end
  return start + (step.waitedMs ?? clock.durationMs - start);
}

function bandLabel(step: ApprovalStepReport | WaitStepReport): string {
  return step.kind === 'approval' ? 'approval' : `wait ${formatSeconds(step.seconds * 1000)}`;
}

function stepLabel(step: StepReport): string {
  const base = step.kind === 'switch' ? `switch to ${step.target}` : bandLabel(step);
  return STOPPED.includes(step.outcome) ? `${base} (${step.outcome})` : base;
}

function textWidth(value: string, size: number): number {
  return Math.ceil(value.length * size * 0.58);
}

function shorten(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Text content: XML's specials escaped, and the control characters XML 1.0 cannot hold at all dropped. */
function text(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
  );
}

/** An attribute value in double quotes. */
function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}
