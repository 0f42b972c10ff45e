import 'server-only';
/**
 * The guard applied to a Fetch API `Request`. Every API handler is wrapped in lib/server/route.ts
 * (`apiRoute`), which calls `denyUnlessAuthorized`; proxy.ts guards pages.
 */
import { guardRequest, SESSION_COOKIE, type AuthSettings, type GuardDecision } from './guard';

/** One cookie's value from a Cookie header (first occurrence), undecoded. */
export function cookieValue(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/**
 * Was the request made over HTTPS, directly or through a TLS-terminating proxy (Traefik sets
 * X-Forwarded-Proto)? Decides the cookie's Secure flag and HSTS.
 */
export function isHttps(request: Request): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === 'https';
  return new URL(request.url).protocol === 'https:';
}

/** The guard's decision for this request under the app's auth settings. */
export function authorize(request: Request, settings: AuthSettings, now: Date = new Date()): GuardDecision {
  const url = new URL(request.url);
  return guardRequest(
    {
      method: request.method,
      pathname: url.pathname,
      search: url.search,
      authorization: request.headers.get('authorization'),
      sessionCookie: cookieValue(request.headers.get('cookie'), SESSION_COOKIE),
      secFetchSite: request.headers.get('sec-fetch-site'),
    },
    settings,
    now,
  );
}

/** `undefined` when allowed; else the response to send (401/500 JSON). Redirects become 401 here: APIs do not redirect. */
export function denyUnlessAuthorized(request: Request, settings: AuthSettings, now: Date = new Date()): Response | undefined {
  const d = authorize(request, settings, now);
  if (d.action === 'allow') return undefined;
  if (d.action === 'deny') return new Response(JSON.stringify(d.body), { status: d.status, headers: d.headers });
  return new Response(JSON.stringify({ error: { status: 401, reason: 'Unauthorized', message: 'sign in at /login' } }), {
    status: 401,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'www-authenticate': 'Bearer realm="chainboard"' },
  });
}
