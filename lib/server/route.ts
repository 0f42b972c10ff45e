import 'server-only';
/**
 * `apiRoute`: what every handler under app/api/ is wrapped in. It does for the API what proxy.ts does for
 * pages, inside the route handler:
 *
 * - the dashboard auth (lib/auth/guard.ts through `denyUnlessAuthorized`): 401/500 JSON when refused;
 * - the security headers of a non-page response (lib/auth/headers.ts: CSP `default-src 'none'`, nosniff,
 *   frame and resource policies, HSTS over HTTPS, no-referrer on share URLs);
 * - the request-duration metric (lib/metrics/instrument.ts), unless `instrument: false`.
 *
 * Why not proxy.ts, as before: the proxy is a second pass through Next's pipeline per request (a
 * NextRequest, a copied Headers, a NextResponse.next() merged back). For the JSON API it cost about 1 ms
 * of the ~3.5 ms an idle `next start` took to answer `/api/v1/domains/{host}` on the benchmark machine
 * (bench/README.md), which is the endpoint with the 5 ms p95 target. Pages keep the proxy: they need its
 * per-request CSP nonce and the login redirect. proxy.ts's matcher leaves out /api/, and
 * lib/api/route.test.ts fails when a handler under app/api/ is exported without this wrapper.
 */
import { isHttps, denyUnlessAuthorized } from '@/lib/auth/request';
import { securityHeaders, withHeaders } from '@/lib/auth/headers';
import { instrument } from '@/lib/metrics/instrument';
import type { ChainboardMetrics } from '@/lib/metrics/registry';

type Handler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

export interface ApiRouteOptions {
  /** Observe the handler in chainboard_http_request_duration_seconds (default true). */
  instrument?: boolean;
  /** Injectable for tests; defaults to the process's registry. */
  metrics?: () => ChainboardMetrics;
  /** Injectable clock for tests (session expiry). */
  now?: () => Date;
}

/** The request's path, without building a URL object when the request line already is one. */
function pathnameOf(url: string): string {
  // Next gives route handlers an absolute URL; the path starts after the third slash.
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  const end = url.search(/[?#]/);
  return url.slice(start, end < 0 ? undefined : end);
}

/**
 * Wrap an API route handler with auth, security headers and the metric.
 * @param route the route PATTERN (`/api/v1/domains/[host]`): the metric's label, one series per route.
 */
export function apiRoute<A extends unknown[]>(route: string, handler: Handler<A>, opts: ApiRouteOptions = {}): (request: Request, ...rest: A) => Promise<Response> {
  const guarded = async (request: Request, ...rest: A): Promise<Response> => {
    const response = denyUnlessAuthorized(request, opts.now?.()) ?? (await handler(request, ...rest));
    return withHeaders(response, securityHeaders({ pathname: pathnameOf(request.url), https: isHttps(request) }));
  };
  return opts.instrument === false ? guarded : instrument(route, guarded, opts.metrics);
}

export const __test = { pathnameOf };
