/**
 * The two tiny standalone HTML pages the proxy answers with itself (no React, no script): the 403 of a
 * refused share link, and the same-origin reload that recovers a SameSite=Strict session after a
 * cross-site link. Pure string builders.
 */
import { escapeXml } from './badge';

const STYLE =
  'body{font-family:ui-sans-serif,system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f9fafb;color:#111827}' +
  'main{max-width:32rem;padding:2rem;border:1px solid #e5e7eb;border-radius:.75rem;background:#fff}' +
  'h1{font-size:1.25rem;margin:0 0 .75rem}p{margin:.5rem 0;line-height:1.5}' +
  '@media (prefers-color-scheme:dark){body{background:#111827;color:#f9fafb}main{background:#1f2937;border-color:#374151}}';

/**
 * The 403 page of a tampered, expired, foreign or malformed share link, or of sharing being off. It names
 * no domain and links nowhere: a refused link grants nothing.
 */
export function shareDeniedHtml(message: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
    '<meta name="robots" content="noindex,nofollow"><title>Link not valid - Chainboard</title>' +
    `<style>${STYLE}</style></head><body><main role="main"><h1>This share link does not work</h1>` +
    `<p>${escapeXml(message)}</p><p>403 Forbidden</p></main></body></html>`
  );
}

/** Reload `location` (a same-site path) from our own origin, so a SameSite=Strict cookie is sent. */
export function sameOriginReloadHtml(location: string): string {
  const url = escapeXml(location);
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="refresh" content="0;url=${url}"><meta name="robots" content="noindex"><title>Chainboard</title></head>` +
    `<body><p><a href="${url}">Continue to Chainboard</a></p></body></html>`
  );
}
