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
 * Why not proxy.ts: the proxy is a second pass through Next's pipeline per request (a
 * NextRequest, a copied Headers, a NextResponse.next() merged back). For the JSON API it cost about 1 ms
 * of the ~3.5 ms an idle `next start` took to answer `/api/v1/domains/{host}` on the benchmark machine
 * (bench/README.md), which is the endpoint with the 5 ms p95 target. Pages keep the proxy: they need its
 * per-request CSP nonce and the login redirect. proxy.ts's matcher leaves out /api/, and
 * lib/server/route.test.ts fails when a handler under app/api/ is exported without this wrapper.
 */
import { classifyRoute } from '../auth/guard';
import { tooManyAttemptsResponse } from '../auth/throttle';
import { isHttps, denyUnlessAuthorized } from '../auth/request';
import { securityHeaders, withHeaders } from '../auth/headers';
import { instrument } from '../metrics/instrument';
import type { ChainboardMetrics } from '../metrics/registry';
import type { App } from './app';
import { getApp } from './current';

/** A route handler that is handed the app it runs in. */
export type AppHandler<A extends unknown[]> = (request: Request, app: App, ...rest: A) => Response | Promise<Response>;

export interface ApiRouteOptions {
  /** Observe the handler in chainboard_http_request_duration_seconds (default true). */
  instrument?: boolean;
  /** The app to answer from; default the process's ({@link getApp}). */
  app?: () => App;
  /** Injectable for tests; defaults to the app's registry. */
  metrics?: () => ChainboardMetrics;
  /** Injectable clock for tests (session expiry). */
  now?: () => Date;
}

/** The answer while the app cannot be built (an invalid configuration): fail closed, say why. */
function unavailable(e: unknown): Response {
  const message = e instanceof Error ? e.message : String(e);
  return Response.json({ error: { status: 500, reason: 'InternalError', message } }, { status: 500, headers: { 'cache-control': 'no-store' } });
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
export function apiRoute<A extends unknown[]>(route: string, handler: AppHandler<A>, opts: ApiRouteOptions = {}): (request: Request, ...rest: A) => Promise<Response> {
  const appOf = opts.app ?? getApp;
  const guarded = async (request: Request, ...rest: A): Promise<Response> => {
    let response: Response;
    try {
      const app = appOf();
      response = guard(request, app, opts.now?.()) ?? (await handler(request, app, ...rest));
    } catch (e) {
      if (!isConfigError(e)) throw e;
      response = unavailable(e);
    }
    return withHeaders(response, securityHeaders({ pathname: pathnameOf(request.url), https: isHttps(request) }));
  };
  return opts.instrument === false ? guarded : instrument(route, guarded, opts.metrics ?? (() => appOf().metrics));
}

/**
 * The dashboard auth, with wrong bearer tokens counted as failed sign-ins: the API is no faster a way to
 * guess CHAINBOARD_AUTH_TOKEN than the login form. A client over the limit gets 429 on protected routes
 * without its token being compared, so a right guess and a wrong one look the same until the wait is over.
 * Check, compare and count run with no `await` in between, so a parallel burst cannot slip through.
 */
function guard(request: Request, app: App, now?: Date): Response | undefined {
  const auth = app.config.auth;
  if (auth.mode !== 'token' || !request.headers.has('authorization')) return denyUnlessAuthorized(request, auth, now);
  const cls = classifyRoute(request.method, pathnameOf(request.url));
  if (cls !== 'protected-api' && cls !== 'protected-page') return denyUnlessAuthorized(request, auth, now);
  const throttle = app.loginThrottle;
  const client = throttle.clientOf(request.headers);
  const wait = throttle.retryAfter(client);
  if (wait !== undefined) return tooManyAttemptsResponse(wait);
  const denied = denyUnlessAuthorized(request, auth, now);
  if (denied?.status === 401) throttle.failed(client);
  return denied;
}

// By name: each Next bundle has its own copy of the ConfigError class, so `instanceof` can miss.
const isConfigError = (e: unknown) => e instanceof Error && e.name === 'ConfigError';

export const __test = { pathnameOf };
