/**
 * Route selection of an API Gateway HTTP API: a request goes to the most specific matching route. Literal
 * path segments beat path variables, path variables beat a greedy `{name+}`, a route for the request's
 * method beats `ANY`, and `$default` catches the rest.
 */

interface Segment {
  literal?: string;
  variable?: string;
  greedy?: boolean;
}

export interface CompiledRoute<T> {
  route: T;
  method: string;
  segments: Segment[] | undefined;
}

export interface RouteMatch<T> {
  route: T;
  /** Decoded, as API Gateway passes them to the integration. */
  pathParameters: Record<string, string>;
}

export function compileRoutes<T extends { routeKey: string }>(routes: T[]): CompiledRoute<T>[] {
  return routes.map((route) => {
    if (route.routeKey === '$default') return { route, method: 'ANY', segments: undefined };
    const match = /^([A-Z]+) (\/\S*)$/.exec(route.routeKey);
    if (!match) throw new Error(`route key "${route.routeKey}" is not "<METHOD> /<path>" or $default`);
    const segments = match[2]!
      .split('/')
      .slice(1)
      .map((part): Segment => {
        const variable = /^\{([A-Za-z0-9_.-]+)(\+)?\}$/.exec(part);
        return variable ? { variable: variable[1], greedy: Boolean(variable[2]) } : { literal: part };
      });
    return { route, method: match[1]!, segments };
  });
}

export function matchRoute<T>(
  routes: CompiledRoute<T>[],
  method: string,
  rawPath: string,
): RouteMatch<T> | undefined {
  const parts = rawPath.split('/').slice(1);
  let best: { compiled: CompiledRoute<T>; pathParameters: Record<string, string> } | undefined;
  for (const compiled of routes) {
    if (compiled.method !== 'ANY' && compiled.method !== method) continue;
    const pathParameters = compiled.segments ? bind(compiled.segments, parts) : {};
    if (!pathParameters) continue;
    if (!best || compare(compiled, best.compiled) < 0) best = { compiled, pathParameters };
  }
  return best && { route: best.compiled.route, pathParameters: best.pathParameters };
}

function bind(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if (segment.greedy) {
      const rest = parts.slice(index).join('/');
      if (rest === '') return undefined;
      parameters[segment.variable!] = decode(rest);
      return parameters;
    }
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.variable !== undefined) {
      if (part === '') return undefined;
      parameters[segment.variable] = decode(part);
    } else if (segment.literal !== part) {
      return undefined;
    }
  }
  return segments.length === parts.length ? parameters : undefined;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Negative when a is more specific than b. */
function compare<T>(a: CompiledRoute<T>, b: CompiledRoute<T>): number {
  if (!a.segments || !b.segments) return a.segments ? -1 : b.segments ? 1 : 0;
  const rank = (s: Segment | undefined) =>
    s === undefined ? 3 : s.literal !== undefined ? 0 : s.greedy ? 2 : 1;
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const difference = rank(a.segments[i]) - rank(b.segments[i]);
    if (difference !== 0) return difference;
  }
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
}
