import { clearSessionCookieHeader, createSessionValue, safeNextPath, sessionCookieHeader, tokenMatches } from '@/lib/auth/guard';
import { isHttps } from '@/lib/auth/request';
import { tooManyAttemptsResponse } from '@/lib/auth/throttle';
import { apiRoute } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

const MAX_BODY = 8192;

// 303: the browser follows with a GET, so a reload never re-posts the token.
const seeOther = (location: string, cookie?: string) =>
  new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store', ...(cookie ? { 'set-cookie': cookie } : {}) } });

// A form post from a browser (a navigation) is best answered with the login page and a message; anything
// else (a script) with the plain status it can act on.
function isNavigation(request: Request): boolean {
  const mode = request.headers.get('sec-fetch-mode');
  return mode ? mode === 'navigate' : /\btext\/html\b/.test(request.headers.get('accept') ?? '');
}

function tooManyAttempts(request: Request, next: string, seconds: number): Response {
  if (!isNavigation(request)) return tooManyAttemptsResponse(seconds);
  const headers = { 'retry-after': String(seconds), 'cache-control': 'no-store', location: `/login?error=throttled&next=${encodeURIComponent(next)}` };
  return new Response(null, { status: 303, headers });
}

/**
 * POST /api/login (form: `token`, `next`, or `action=logout`) — the login page's form. A right token sets
 * the session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS) and goes on to `next`; a wrong one goes
 * back to /login with an error. The token is compared in constant time and never stored in the cookie.
 *
 * Failed attempts are throttled per client address (lib/auth/throttle.ts): over the limit, the token is not
 * compared at all and the answer is 429 with Retry-After, or for a browser a 303 back to
 * `/login?error=throttled` with the same Retry-After. Right tokens never count.
 */
export const POST = apiRoute('/api/login', async (request: Request, app) => {
  const secure = isHttps(request);
  const type = request.headers.get('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) {
    return new Response('send the login form', { status: 415, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY) return new Response('too large', { status: 413 });
  const form = await request.formData();
  const next = safeNextPath(String(form.get('next') ?? '/'));
  if (form.get('action') === 'logout') return seeOther('/login?signedOut=1', clearSessionCookieHeader(secure));

  const settings = app.config.auth;
  if (settings.mode === 'off') return seeOther(next);
  if (settings.mode === 'misconfigured') return seeOther(`/login?error=misconfigured&next=${encodeURIComponent(next)}`);
  const given = form.get('token');
  // From the check to the count nothing awaits, so parallel posts cannot all pass before one failure counts.
  const throttle = app.loginThrottle;
  const client = throttle.clientOf(request.headers);
  const wait = throttle.retryAfter(client);
  if (wait !== undefined) return tooManyAttempts(request, next, wait);
  if (typeof given !== 'string' || !tokenMatches(given, settings.token)) {
    throttle.failed(client);
    return seeOther(`/login?error=1&next=${encodeURIComponent(next)}`);
  }
  return seeOther(next, sessionCookieHeader(createSessionValue(settings.token, app.now()), secure));
});

/** DELETE /api/login — sign out (clears the session cookie). */
export const DELETE = apiRoute('/api/login', async (request: Request) => {
  return new Response(null, { status: 204, headers: { 'set-cookie': clearSessionCookieHeader(isHttps(request)), 'cache-control': 'no-store' } });
});
