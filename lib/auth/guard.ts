/**
 * Chainboard's own optional access control, as pure functions: which routes are public, and whether a
 * request carries the dashboard token (bearer header) or a session cookie made from it.
 *
 * With `CHAINBOARD_AUTH_TOKEN` unset everything is open (run it behind the cluster's auth, e.g. Traefik
 * forwardAuth: deploy/optional/forward-auth.yaml). With it set, everything but the public routes needs
 * `Authorization: Bearer <token>` or the `chainboard_session` cookie that the login page sets.
 *
 * Public: signed share pages (`/share/{token}`), their JSON (`/api/v1/share/{token}`, which the page
 * polls), the signed badges (`/api/v1/share/{token}/badge.svg` and `uptime.svg`), the probes (`/api/healthz`,
 * `/api/readyz`), the login page and its POST, and Next's static assets. A share
 * link is itself the credential for its one domain; the share page checks it (lib/share/token.ts).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ApiErrorBody } from '../api/types';

/** Shortest accepted dashboard token. Shorter is refused (fail closed), not silently accepted. */
export const MIN_AUTH_TOKEN_LENGTH = 16;
/** Name of the session cookie the login page sets. */
export const SESSION_COOKIE = 'chainboard_session';
/** How long a login lasts: 12 hours, one on-call shift. */
export const SESSION_MAX_AGE_SECONDS = 12 * 3600;

const SESSION_CONTEXT = 'chainboard.session.v1';

export type AuthSettings = { mode: 'off' } | { mode: 'token'; token: string } | { mode: 'misconfigured'; reason: string };

/** Parse `CHAINBOARD_AUTH_TOKEN` (lib/server/config.ts reads the environment). */
export function authSettings(env: Record<string, string | undefined>): AuthSettings {
  const token = env.CHAINBOARD_AUTH_TOKEN;
  if (!token) return { mode: 'off' };
  if (token.length < MIN_AUTH_TOKEN_LENGTH) {
    return { mode: 'misconfigured', reason: `CHAINBOARD_AUTH_TOKEN is shorter than ${MIN_AUTH_TOKEN_LENGTH} characters; refusing to serve protected routes` };
  }
  return { mode: 'token', token };
}

/**
 * The kinds of route the guard tells apart.
 * - `static`: Next's build output and icons; no data.
 * - `public-page` / `public-api`: open to anyone (share pages, signed badge, probes).
 * - `login`: the login page and its POST.
 * - `protected-page` / `protected-api`: everything else.
 */
export type RouteClass = 'static' | 'public-page' | 'public-api' | 'login' | 'protected-page' | 'protected-api';

const SEGMENT = '[^/]+';
// App-level metadata files (app/icon.svg, app/favicon.ico...): the same for everyone, and the share page
// and the login page show them before any sign-in.
const STATIC_FILES = /^\/(favicon\.ico|robots\.txt|(icon|apple-icon)[0-9]*(\.[a-z]+)?)$/;
const PUBLIC_READ: readonly { re: RegExp; cls: RouteClass }[] = [
  { re: new RegExp(`^/share/${SEGMENT}$`), cls: 'public-page' },
  { re: new RegExp(`^/api/v1/share/${SEGMENT}$`), cls: 'public-api' },
  { re: new RegExp(`^/api/v1/share/${SEGMENT}/(badge|uptime)\\.svg$`), cls: 'public-api' },
  { re: /^\/api\/(healthz|readyz)$/, cls: 'public-api' },
];

/** Classify a request by method and (already normalised) pathname. */
export function classifyRoute(method: string, pathname: string): RouteClass {
  const m = method.toUpperCase();
  if (pathname.startsWith('/_next/static/') || pathname === '/_next/image' || STATIC_FILES.test(pathname)) return 'static';
  if (pathname === '/login' || pathname === '/api/login') return 'login';
  if (m === 'GET' || m === 'HEAD') {
    for (const p of PUBLIC_READ) if (p.re.test(pathname)) return p.cls;
  }
  return pathname === '/api' || pathname.startsWith('/api/') ? 'protected-api' : 'protected-page';
}

/** Constant-time comparison of a presented token with the configured one (hashed first, so lengths match). */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  // The explicit length check is for clarity; both digests are 32 bytes.
  return a.length === b.length && timingSafeEqual(a, b);
}

function sessionMac(token: string, issuedAt: string): Buffer {
  return createHmac('sha256', token).update(`${SESSION_CONTEXT}\0${issuedAt}`).digest();
}

/**
 * The session cookie's value: `<issued-at seconds>.<base64url HMAC(token, issued-at)>`. It proves a login
 * with the token without containing it, and dies when the token is rotated or after 12 hours.
 */
export function createSessionValue(token: string, now: Date): string {
  const iat = String(Math.floor(now.getTime() / 1000));
  return `${iat}.${sessionMac(token, iat).toString('base64url')}`;
}

/** Is this a session value made with `token`, at most 12 hours old (and not from the future)? */
export function verifySessionValue(value: string | undefined, token: string, now: Date): boolean {
  if (!value) return false;
  const m = /^([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m) return false;
  const [, iat, mac] = m as unknown as [string, string, string];
  const given = Buffer.from(mac, 'base64url');
  // Only the canonical spelling: the last base64url character carries 2 unused bits.
  if (given.toString('base64url') !== mac) return false;
  if (given.length !== 32 || !timingSafeEqual(given, sessionMac(token, iat))) return false;
  const age = now.getTime() / 1000 - Number(iat);
  // A minute of tolerance for clock steps; never longer than the cookie's own Max-Age.
  return age >= -60 && age <= SESSION_MAX_AGE_SECONDS;
}

/** The bearer token of an Authorization header, if it is one. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}

/**
 * A post-login destination that stays on this site: a path starting with one `/` (not `//`, not `/\`),
 * no control characters; anything else becomes `/`.
 */
export function safeNextPath(raw: string | null | undefined): string {
  if (!raw || raw.length > 2048) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return '/';
  return raw;
}

export interface GuardRequest {
  method: string;
  /** Normalised pathname (as `request.nextUrl.pathname`). */
  pathname: string;
  /** The query string with its `?`, or empty. */
  search?: string;
  authorization?: string | null;
  /** The value of the session cookie, if sent. */
  sessionCookie?: string;
  /** The `Sec-Fetch-Site` request header: tells a cross-site navigation (a link in a chat) apart. */
  secFetchSite?: string | null;
}

export type GuardDecision =
  | { action: 'allow'; why: 'static' | 'public' | 'login' | 'auth-off' | 'bearer' | 'session' }
  /** Send the browser to the login page, then back to `location`'s `next`. */
  | { action: 'redirect'; location: string }
  /**
   * A cross-site navigation arrives without the SameSite=Strict cookie even when the user is logged in:
   * reload the same URL from our own origin (then the cookie is sent) before concluding "not logged in".
   */
  | { action: 'reload'; location: string }
  | { action: 'deny'; status: 401 | 500; body: ApiErrorBody; headers: Record<string, string> };

/**
 * Decide what to do with a request. Pure: settings and clock are passed in.
 *
 * Bearer tokens are accepted everywhere (scripts, Prometheus); the cookie is what browsers use.
 */
export function guardRequest(req: GuardRequest, settings: AuthSettings, now: Date): GuardDecision {
  const cls = classifyRoute(req.method, req.pathname);
  if (cls === 'static') return { action: 'allow', why: 'static' };
  if (cls === 'public-page' || cls === 'public-api') return { action: 'allow', why: 'public' };
  if (cls === 'login') return { action: 'allow', why: 'login' };
  if (settings.mode === 'off') return { action: 'allow', why: 'auth-off' };
  if (settings.mode === 'misconfigured') {
    return {
      action: 'deny',
      status: 500,
      body: { error: { status: 500, reason: 'Forbidden', message: settings.reason } },
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    };
  }
  const bearer = bearerToken(req.authorization);
  if (bearer !== undefined && tokenMatches(bearer, settings.token)) return { action: 'allow', why: 'bearer' };
  if (verifySessionValue(req.sessionCookie, settings.token, now)) return { action: 'allow', why: 'session' };

  const m = req.method.toUpperCase();
  const here = `${req.pathname}${req.search ?? ''}`;
  if (cls === 'protected-page' && (m === 'GET' || m === 'HEAD') && bearer === undefined) {
    if (req.secFetchSite === 'cross-site' && !req.sessionCookie) return { action: 'reload', location: here };
    return { action: 'redirect', location: `/login?next=${encodeURIComponent(here)}` };
  }
  return {
    action: 'deny',
    status: 401,
    body: {
      error: {
        status: 401,
        reason: 'Unauthorized',
        message: bearer !== undefined ? 'the bearer token is not valid' : 'sign in at /login or send Authorization: Bearer <CHAINBOARD_AUTH_TOKEN>',
      },
    },
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'www-authenticate': 'Bearer realm="chainboard"' },
  };
}

/** The Set-Cookie value for a new session. `secure` when the dashboard is served over HTTPS. */
export function sessionCookieHeader(value: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${SESSION_MAX_AGE_SECONDS}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** The Set-Cookie value that ends a session. */
export function clearSessionCookieHeader(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
