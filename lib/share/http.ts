/**
 * Small HTTP helpers of the share routes: SVG responses with an ETag and conditional GET, and the
 * reason a badge names. No I/O.
 */
import { createHash } from 'node:crypto';
import { API_CSP } from '../auth/headers';
import type { Health, Severity } from '../model/chain';

/**
 * Badges change whenever the cluster does: caches (GitHub's camo, browsers) must revalidate each time,
 * and the ETag makes that revalidation a cheap 304.
 */
export const BADGE_CACHE_CONTROL = 'no-cache, max-age=0';

/** A strong ETag of a body: the first 27 characters of its base64url SHA-256 (162 bits). */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** Does an If-None-Match header match this ETag (`*`, a list, weak or strong forms)? */
export function matchesEtag(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * An `image/svg+xml` response with ETag and cache headers; a 304 without body when the client's copy is
 * current (only for 200s: an error badge is never "not modified").
 */
export function svgResponse(svg: string, init: { status?: number; ifNoneMatch?: string | null; cacheControl?: string } = {}): Response {
  const status = init.status ?? 200;
  const etag = etagOf(svg);
  const headers: Record<string, string> = {
    'content-type': 'image/svg+xml; charset=utf-8',
    'cache-control': init.cacheControl ?? BADGE_CACHE_CONTROL,
    etag,
    // Badges are embedded on other sites (a client's status page, a README): allow cross-origin <img>.
    'cross-origin-resource-policy': 'cross-origin',
    // An SVG opened directly is a document: it may run nothing and load nothing.
    'content-security-policy': API_CSP,
    'x-content-type-options': 'nosniff',
  };
  if (status === 200 && matchesEtag(init.ifNoneMatch, etag)) return new Response(null, { status: 304, headers });
  return new Response(svg, { status, headers });
}

/**
 * The finding code a one-line summary names for a domain: none when healthy; else the worst non-info
 * finding; for `unknown` (whose cause is an info-level data gap) the first `data.*` finding.
 */
export function reasonCode(findings: readonly { code: string; severity: Severity }[], health: Health): string | undefined {
  if (health === 'healthy') return undefined;
  return findings.find((f) => f.severity !== 'info')?.code ?? findings.find((f) => f.code.startsWith('data.'))?.code;
}
