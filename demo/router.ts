/**
 * The demo API server's route table: a method and a path pattern lead to a handler. Patterns are
 * slash-separated segments; `:name` captures one segment into `params.name`, and a final `*` matches
 * one or more further segments. Routes are tried in order, so a more specific route goes first.
 */

/** One entry of the table. `method` is an HTTP method, or `*` for any. */
export interface Route<H> {
  method: string;
  pattern: string;
  handler: H;
}

/** The outcome of {@link Router.match}: a handler with its captured segments, or why there is none. */
export type RouteMatch<H> =
  | { kind: 'found'; handler: H; params: Record<string, string> }
  /** The path is served, but not for this method; `allowed` lists the methods that are. */
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

interface Compiled<H> {
  method: string;
  segments: string[];
  rest: boolean;
  handler: H;
}

/** Captures of `segments` against a compiled pattern, or undefined when the path does not fit it. */
function capture(route: Compiled<unknown>, segments: readonly string[]): Record<string, string> | undefined {
  const n = route.segments.length;
  if (route.rest ? segments.length <= n : segments.length !== n) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const want = route.segments[i]!;
    const got = segments[i]!;
    if (want.startsWith(':')) params[want.slice(1)] = got;
    else if (want !== got) return undefined;
  }
  return params;
}

/** A route table, matched against a path already split into segments (the caller decides decoding). */
export class Router<H> {
  private readonly routes: Compiled<H>[];

  constructor(routes: readonly Route<H>[]) {
    this.routes = routes.map((r) => {
      const segments = r.pattern.split('/').filter(Boolean);
      const rest = segments.at(-1) === '*';
      return { method: r.method, segments: rest ? segments.slice(0, -1) : segments, rest, handler: r.handler };
    });
  }

  /** The first route whose pattern fits `segments` and whose method is `method` (or `*`). */
  match(method: string, segments: readonly string[]): RouteMatch<H> {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = capture(route, segments);
      if (!params) continue;
      if (route.method === '*' || route.method === method) return { kind: 'found', handler: route.handler, params };
      allowed.push(route.method);
    }
    return allowed.length ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}
