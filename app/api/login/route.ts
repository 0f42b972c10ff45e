import { clearSessionCookieHeader, createSessionValue, safeNextPath, sessionCookieHeader, tokenMatches } from '@/lib/auth/guard';
import { isHttps } from '@/lib/auth/request';
import { apiRoute } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

const MAX_BODY = 8192;

// 303: the browser follows with a GET, so a reload never re-posts the token.
const seeOther = (location: string, cookie?: string) =>
  new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store', ...(cookie ? { 'set-cookie': cookie } : {}) } });

/**
 * POST /api/login (form: `token`, `next`, or `action=logout`) — the login page's form. A right token sets
 * the session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS) and goes on to `next`; a wrong one goes
 * back to /login with an error. The token is compared in constant time and never stored in the cookie.
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
  if (typeof given !== 'string' || !tokenMatches(given, settings.token)) {
    return seeOther(`/login?error=1&next=${encodeURIComponent(next)}`);
  }
  return seeOther(next, sessionCookieHeader(createSessionValue(settings.token, app.now()), secure));
});

/** DELETE /api/login — sign out (clears the session cookie). */
export const DELETE = apiRoute('/api/login', async (request: Request) => {
  return new Response(null, { status: 204, headers: { 'set-cookie': clearSessionCookieHeader(isHttps(request)), 'cache-control': 'no-store' } });
});
