/**
 * Security headers of every response the proxy sees, as a pure builder.
 *
 * Pages get a nonce-based Content Security Policy: Next (App Router, dynamic rendering) reads the nonce
 * from the request's CSP header and puts it on its own scripts, so `script-src` needs no
 * `'unsafe-inline'`. `'strict-dynamic'` lets those scripts load the route chunks they import.
 * `style-src` keeps `'unsafe-inline'`: server-rendered React writes `style="..."` attributes (the chain
 * diagram positions its nodes that way), nonces cannot cover attributes, and styles cannot run code.
 *
 * @see https://developer.mozilla.org/docs/Web/HTTP/CSP
 * @see https://nextjs.org/docs/app/guides/content-security-policy
 */

export interface SecurityHeaderOptions {
  pathname: string;
  /** Per-request nonce for pages; absent for API routes (they serve JSON, SVG or text, never script). */
  nonce?: string;
  /** `next dev`: React needs `eval` for its debugging aids. */
  dev?: boolean;
  /** Served over HTTPS (directly or behind a TLS-terminating proxy): adds HSTS and upgrade-insecure-requests. */
  https?: boolean;
}

/** Browser features the dashboard never uses are switched off; the clipboard is for the Share button. */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), clipboard-read=(), clipboard-write=(self)';

/** The CSP of a page with this nonce. */
export function pageCsp(nonce: string, opts: { dev?: boolean; https?: boolean } = {}): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Only over HTTPS: on plain http://127.0.0.1 it would rewrite our own asset URLs to https and break them.
    ...(opts.https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/** The CSP of a non-page response (JSON, SVG, metrics): it may run and load nothing. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

const isShare = (p: string) => p.startsWith('/share/') || p.startsWith('/api/v1/share/');
const isBadge = (p: string) => /^\/api\/v1\/(domains\/[^/]+\/badge|share\/[^/]+\/(badge|uptime))\.svg$/.test(p);

/** A fresh nonce: 128 random bits, base64. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Set `headers` on `response` (proxy.ts for pages, lib/server/route.ts for the API). A response whose headers
 * are immutable (Response.redirect, a fetched response) is copied first instead of throwing.
 */
export function withHeaders(response: Response, headers: Record<string, string>): Response {
  try {
    for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    for (const [k, v] of Object.entries(headers)) copy.headers.set(k, v);
    return copy;
  }
}

/** All security headers of one response, lower-case names. */
export function securityHeaders(opts: SecurityHeaderOptions): Record<string, string> {
  const h: Record<string, string> = {
    'content-security-policy': opts.nonce ? pageCsp(opts.nonce, opts) : API_CSP,
    // A share link is a credential in the URL: never send it anywhere as a Referer.
    'referrer-policy': isShare(opts.pathname) ? 'no-referrer' : 'strict-origin-when-cross-origin',
    'x-content-type-options': 'nosniff',
    // For browsers without CSP frame-ancestors.
    'x-frame-options': 'DENY',
    'permissions-policy': PERMISSIONS_POLICY,
    'cross-origin-opener-policy': 'same-origin',
    // Badges are made to be embedded on other sites; nothing else is.
    'cross-origin-resource-policy': isBadge(opts.pathname) ? 'cross-origin' : 'same-origin',
  };
  if (opts.https) h['strict-transport-security'] = 'max-age=31536000';
  if (isShare(opts.pathname)) h['x-robots-tag'] = 'noindex, nofollow';
  return h;
}
