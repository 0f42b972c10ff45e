import 'server-only';
/**
 * The read API's fast path: `GET|HEAD /api/v1/domains/{host}` and `GET|HEAD /api/v1/overview` answered
 * straight from Node's `http` request, without Next's router.
 *
 * Why: those are the endpoints monitors, badges and the dashboard poll, and the domain one has a 5 ms p95
 * target under load. Chainboard's own work for it is ~0.1 ms (a lookup in the analysis and a cached JSON
 * string); a route handler behind `next start` costs 1.5-3.5 ms of Next's per-request pipeline on the
 * 2-core benchmark machine (routing, request contexts, web streams to the socket), which with ten clients
 * queues into p95s of 9-27 ms. bin/chainboard-server.mjs, the production server, offers each request to
 * the app's fast path first and gives everything else to Next.
 *
 * Same answers by construction: it calls the request handlers of lib/server/handlers.ts through
 * `apiRoute`, exactly as the route modules under app/api/ do, so auth, security headers, validation,
 * status codes, bodies and the request metric are theirs (lib/server/fast-path.test.ts compares both ways
 * byte for byte). Anything unusual - another method, a path it does not own, an absolute-form request
 * target, a malformed percent-encoding - is left to Next (`false`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzip } from 'node:zlib';
import type { App } from './app';
import { domainResponse, overviewResponse } from './handlers';
import { apiRoute } from './route';

/** Node's request and response; `true` when this handler answers the request. */
export type FastHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Bodies from this size on are gzipped for clients that accept it (as Next's own compression does). */
const GZIP_MIN_BYTES = 1024;
/** The origin of the Web Requests built here: fixed, never the client's Host header. The server speaks HTTP. */
const ORIGIN = 'http://chainboard.local';

const DOMAIN = /^\/api\/v1\/domains\/([^/]+)$/;

type Route = (request: Request) => Promise<Response>;

/** The two routes, wrapped as the route modules wrap them, answering from `app`. */
function appRoutes(app: () => App) {
  return {
    overview: apiRoute('/api/v1/overview', (request, a) => overviewResponse(a, request), { app }),
    domain: apiRoute('/api/v1/domains/[host]', (_request, a, host: string) => domainResponse(a, host), { app }),
  };
}

/** The route this path belongs to, or undefined to leave the request to Next. */
function routeFor(routes: ReturnType<typeof appRoutes>, pathname: string): Route | undefined {
  if (pathname === '/api/v1/overview') return (request) => routes.overview(request);
  const m = DOMAIN.exec(pathname);
  if (!m) return undefined;
  let host: string;
  try {
    // Next decodes dynamic segments the same way; a malformed escape is Next's 400, not ours.
    host = decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
  return (request) => routes.domain(request, host);
}

function webHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

function acceptsGzip(req: IncomingMessage): boolean {
  const ae = req.headers['accept-encoding'];
  if (typeof ae !== 'string') return false;
  // gzip, unless it is explicitly refused with q=0.
  return ae.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function gzipped(body: Buffer): Promise<Buffer> {
  // zlib's async API compresses on libuv's thread pool, off the event loop.
  return new Promise((resolve, reject) => gzip(body, (e, out) => (e ? reject(e) : resolve(out))));
}

async function send(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  let body: Buffer = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const setCookies = response.headers.getSetCookie();
  if (setCookies.length > 0) headers['set-cookie'] = setCookies;
  if (body.length >= GZIP_MIN_BYTES && !headers['content-encoding']) {
    headers.vary = headers.vary ? `${headers.vary}, Accept-Encoding` : 'Accept-Encoding';
    if (acceptsGzip(req)) {
      body = await gzipped(body);
      headers['content-encoding'] = 'gzip';
    }
  }
  headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function fail(res: ServerResponse, e: unknown): void {
  console.error('chainboard: fast path:', e);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { status: 500, reason: 'InternalError', message: 'the server failed to answer; see its log' } });
  res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The app's fast path, as a request listener that declines what it does not serve. */
export function createFastPath(app: () => App): FastHandler {
  const routes = appRoutes(app);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const target = req.url ?? '';
    // Origin-form only (`/path?query`); an absolute-form or `*` target goes to Next.
    if (!target.startsWith('/')) return false;
    const q = target.indexOf('?');
    const pathname = q < 0 ? target : target.slice(0, q);
    const route = routeFor(routes, pathname);
    if (!route) return false;
    const request = new Request(`${ORIGIN}${target}`, { method: req.method, headers: webHeaders(req) });
    route(request).then(
      (response) => send(req, res, response).catch((e: unknown) => fail(res, e)),
      (e: unknown) => fail(res, e),
    );
    return true;
  };
}
