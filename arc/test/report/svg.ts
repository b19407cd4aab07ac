/** Just enough XML reading for the timeline's tests: tags in order, their attributes, and tag balance. */
export interface Tag {
  name: string;
  attrs: Record<string, string>;
  closing: boolean;
  selfClosing: boolean;
  /** Offset in the document. */
  at: number;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function unescapeXml(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, name: string) =>
    name.startsWith('#') ? String.fromCharCode(Number(name.slice(1))) : ENTITIES[name]!,
  );
}

export function tags(svg: string): Tag[] {
  return [...svg.matchAll(/<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g)].map((m) => ({
    name: m[2]!,
    closing: m[1] === '/',
    selfClosing: m[4] === '/',
    attrs: Object.fromEntries(
      [...m[3]!.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, unescapeXml(a[2]!)]),
    ),
    at: m.index,
  }));
}

/**
 * Well-formed as far as a renderer cares: every `<` opens a tag this reader understands, tags nest and
 * close in order, one root, and every `&` starts an entity.
 */
export function wellFormedness(svg: string): string | undefined {
  const all = tags(svg);
  const opens = (svg.match(/</g) ?? []).length;
  if (opens !== all.length) return `${opens - all.length} "<" outside a well-formed tag`;
  const bad = /&(?!(amp|lt|gt|quot|apos|#\d+);)/.exec(svg);
  if (bad) return `a bare & at ${bad.index}: ${svg.slice(bad.index, bad.index + 20)}`;
  const stack: string[] = [];
  let roots = 0;
  for (const tag of all) {
    if (tag.closing) {
      const open = stack.pop();
      if (open !== tag.name) return `</${tag.name}> closes <${open}> at ${tag.at}`;
    } else {
      if (stack.length === 0) roots++;
      if (!tag.selfClosing) stack.push(tag.name);
    }
  }
  if (stack.length > 0) return `unclosed <${stack.join('>, <')}>`;
  return roots === 1 ? undefined : `${roots} root elements`;
}

export const hasClass = (tag: Tag, ...names: string[]) =>
  names.every((n) => (tag.attrs.class ?? '').split(/\s+/).includes(n));

/** The tags between an opening tag and its closing one. */
export function inside(all: Tag[], open: Tag): Tag[] {
  const start = all.indexOf(open);
  let depth = 0;
  for (let i = start; i < all.length; i++) {
    const tag = all[i]!;
    if (tag.selfClosing) continue;
    depth += tag.closing ? -1 : 1;
    if (depth === 0) return all.slice(start + 1, i);
  }
  throw new Error(`<${open.name}> at ${open.at} is not closed`);
}

/** x as the axis maps ms: fitted from its first and last tick. */
export function axisScale(all: Tag[]): (ms: number) => number {
  const ticks = all.filter((t) => t.name === 'line' && hasClass(t, 'tick'));
  const first = ticks[0]!;
  const last = ticks.at(-1)!;
  const [m0, x0, m1, x1] = [first, last].flatMap((t) => [Number(t.attrs['data-ms']), Number(t.attrs.x1)]);
  return (ms: number) => x0! + ((ms - m0!) * (x1! - x0!)) / (m1! - m0!);
}

export interface LaneView {
  api: string;
  y: number;
  segments: { region: string; kind: string; startMs: number; endMs: number; x: number; width: number }[];
  dns: Tag[];
  http: Tag[];
}

export function lanes(svg: string): LaneView[] {
  const all = tags(svg);
  return all
    .filter((t) => t.name === 'g' && hasClass(t, 'lane'))
    .map((lane) => {
      const children = inside(all, lane);
      const rects = children.filter((t) => t.name === 'rect' && hasClass(t, 'segment'));
      return {
        api: lane.attrs['data-api']!,
        y: Number(rects[0]?.attrs.y),
        segments: rects.map((r) => ({
          region: r.attrs['data-region']!,
          kind: (r.attrs.class ?? '').replace('segment ', ''),
          startMs: Number(r.attrs['data-start-ms']),
          endMs: Number(r.attrs['data-end-ms']),
          x: Number(r.attrs.x),
          width: Number(r.attrs.width),
        })),
        dns: children.filter((t) => t.name === 'line' && hasClass(t, 'marker', 'dns')),
        http: children.filter((t) => t.name === 'line' && hasClass(t, 'marker', 'http')),
      };
    });
}

/** The text of every <text> element, unescaped. */
export function texts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => unescapeXml(m[1]!));
}
