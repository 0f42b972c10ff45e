import 'server-only';
/**
 * The production server's fast path: `GET|HEAD /api/v1/domains/{host}`, `/api/v1/overview`,
 * `/api/healthz` and `/api/readyz` answered straight from Node's `http` request, without Next's router.
 *
 * Why: the read endpoints are what monitors, badges and the dashboard poll, and the domain one has a 5 ms
 * p95 target under load. Chainboard's own work for it is ~0.1 ms (a lookup in the analysis and a cached
 * JSON string); a route handler behind `next start` costs 1.5-3.5 ms of Next's per-request pipeline on the
 * 2-core benchmark machine (routing, request contexts, web streams to the socket), which with ten clients
 * queues into p95s of 9-27 ms. The kubelet's probes are here so that they never wait behind page
 * rendering, which the production server queues (lib/server/front.ts): a liveness probe that times out
 * while pages render would get a busy but healthy Pod restarted.
 *
 * Same answers by construction: it calls the request handlers of lib/server/handlers.ts and
 * lib/server/liveness.ts through `apiRoute`, exactly as the route modules under app/api/ do, so auth
 * (readyz and healthz stay public), security headers, validation, status codes, bodies and the request
 * metric are theirs (lib/server/fast-path.test.ts compares both ways byte for byte). Anything unusual -
 * another method, a path it does not own, an absolute-form request target, a malformed percent-encoding -
 * is declined (`false`): the rest of the production server decides (lib/server/front.ts).
 */
import type { App } from './app';
import { domainResponse, overviewResponse, readyResponse } from './handlers';
import { healthResponse } from './liveness';
import { answer, pathOf, webRequest, type NodeHandler } from './node-http';
import { apiRoute } from './route';

/** The fast path: a request listener that declines (`false`) what it does not serve. */
export type FastHandler = NodeHandler;

const DOMAIN = /^\/api\/v1\/domains\/([^/]+)$/;

type Route = (request: Request) => Promise<Response>;

/** The routes, wrapped as the route modules wrap them, answering from `app`. */
function appRoutes(app: () => App) {
  return {
    overview: apiRoute('/api/v1/overview', (request, a) => overviewResponse(a, request), { app }),
    domain: apiRoute('/api/v1/domains/[host]', (request, a, host: string) => domainResponse(a, host, request), { app }),
    healthz: apiRoute('/api/healthz', () => healthResponse(), { app, instrument: false }),
    readyz: apiRoute('/api/readyz', (_request, a) => readyResponse(a), { app, instrument: false }),
  };
}

/** The route this path belongs to, or undefined to decline the request. */
function routeFor(routes: ReturnType<typeof appRoutes>, pathname: string): Route | undefined {
  switch (pathname) {
    case '/api/v1/overview':
      return routes.overview;
    case '/api/healthz':
      return routes.healthz;
    case '/api/readyz':
      return routes.readyz;
  }
  const m = DOMAIN.exec(pathname);
  if (!m) return undefined;
  let host: string;
  try {
    // Next decodes dynamic segments the same way; a malformed escape is the preflight's 400, not ours.
    host = decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
  return (request) => routes.domain(request, host);
}

/** The app's fast path, as a request listener that declines what it does not serve. */
export function createFastPath(app: () => App): FastHandler {
  const routes = appRoutes(app);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const target = req.url ?? '';
    // Origin-form only (`/path?query`); an absolute-form or `*` target is declined.
    if (!target.startsWith('/')) return false;
    const route = routeFor(routes, pathOf(target));
    if (!route) return false;
    answer(req, res, route(webRequest(req, target)));
    return true;
  };
}
