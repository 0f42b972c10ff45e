/**
 * Runs before every page (Next 16's `proxy.ts`, formerly middleware; Node.js runtime): the optional
 * dashboard auth (lib/auth/guard.ts), the 403 of refused share links, and the security headers of every
 * page (lib/auth/headers.ts), with a fresh CSP nonce per page request.
 *
 * Not for /api/*: route handlers do the same auth and headers in lib/server/route.ts (`apiRoute`), which
 * saves the API a second pass through Next's pipeline (about 1 ms per request; see that file).
 *
 * @see https://nextjs.org/docs/app/api-reference/file-conventions/proxy
 */
import { NextResponse, type NextRequest } from 'next/server';
import { guardRequest, SESSION_COOKIE } from '@/lib/auth/guard';
import { createNonce, pageCsp, securityHeaders, withHeaders } from '@/lib/auth/headers';
import { isHttps } from '@/lib/auth/request';
import { shareDeniedHtml, sameOriginReloadHtml } from '@/lib/share/html';
import { shareSecret } from '@/lib/share/config';
import { getApp } from '@/lib/server/current';
import { describeRefusal, verifyShareToken } from '@/lib/share/token';

const SHARE_PAGE = /^\/share\/([^/]+)$/;

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const { config } = getApp();
  const now = new Date();
  const https = isHttps(request);
  const dev = process.env.NODE_ENV === 'development';
  const isApi = pathname === '/api' || pathname.startsWith('/api/');
  const nonce = isApi ? undefined : createNonce();
  const headers = securityHeaders({ pathname, nonce, dev, https });
  const html = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };

  const decision = guardRequest(
    {
      method: request.method,
      pathname,
      search,
      authorization: request.headers.get('authorization'),
      sessionCookie: request.cookies.get(SESSION_COOKIE)?.value,
      secFetchSite: request.headers.get('sec-fetch-site'),
    },
    config.auth,
    now,
  );
  if (decision.action === 'redirect') return withHeaders(NextResponse.redirect(new URL(decision.location, request.url), 303), headers);
  if (decision.action === 'reload') return withHeaders(new NextResponse(sameOriginReloadHtml(decision.location), { status: 200, headers: html }), headers);
  if (decision.action === 'deny') return withHeaders(new NextResponse(JSON.stringify(decision.body), { status: decision.status, headers: decision.headers }), headers);

  // A refused share link gets its 403 here: a page cannot set its own status code.
  const share = SHARE_PAGE.exec(pathname);
  if (share && (request.method === 'GET' || request.method === 'HEAD')) {
    let token = share[1]!;
    try {
      token = decodeURIComponent(token);
    } catch {
      /* left as is: verification calls it malformed */
    }
    const v = verifyShareToken(token, shareSecret(config.share.settings), now, { revoked: config.share.revoked });
    if (v.status !== 'ok') {
      return withHeaders(new NextResponse(shareDeniedHtml(describeRefusal(v)), { status: 403, headers: html }), headers);
    }
  }

  const requestHeaders = new Headers(request.headers);
  // Next reads the nonce from the request's CSP header and puts it on its scripts (x-nonce is for our own
  // server components, e.g. a <Script nonce>). Incoming values are always overwritten or removed.
  requestHeaders.delete('x-nonce');
  requestHeaders.delete('content-security-policy');
  if (nonce) {
    requestHeaders.set('x-nonce', nonce);
    requestHeaders.set('content-security-policy', pageCsp(nonce, { dev, https }));
  }
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), headers);
}

export const config = {
  matcher: [
    // Every page, prefetches and RSC requests included; not Next's immutable build assets, and not /api/
    // (apiRoute guards those: lib/server/route.test.ts checks that every handler there is wrapped).
    '/((?!_next/static/|_next/image|favicon\\.ico|api/).*)',
  ],
};
