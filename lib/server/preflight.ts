/**
 * What the production server decides about a request before Next sees it, as a pure function of its
 * method and target: refuse it here (400, 405), or hand it to Next - possibly with the target made
 * well-formed, and with the status its page will show.
 *
 * - A malformed percent-escape (`%FF`, `%E0%A4%A`, `%ZZ`) makes Next's router throw while it decodes a
 *   dynamic segment, and its fallback answers a bare 500. The API gets the API's 400 JSON error here. A
 *   page gets the path with every `%` of the undecodable segment escaped as `%25`: Next then decodes the
 *   segment back to exactly what the client sent, the page's own validation (which decodes once more)
 *   calls it "not valid percent-encoding", and the status is 400.
 * - Pages answer only GET and HEAD (405 with `Allow` otherwise): the app has no server actions, and forms
 *   post to /api/ (the sign-in form to /api/login).
 * - A page whose parameter the API would refuse with a 400 (a host or namespace that is not a DNS name, a
 *   search longer than the API accepts) renders its "not valid" notice with status 400, decided by the
 *   same pure validation (lib/api/params.ts) the page's API call runs on the same decoded string.
 *
 * Why the production server sets the 400 of a page, and not the page or proxy.ts: the App Router can only
 * interrupt a page with 404, 403 or 401 (`notFound()`, `forbidden()`, `unauthorized()`); Next 16 drops the
 * status of a proxy's `NextResponse.rewrite(url, { status })` and of `NextResponse.next({ status })`
 * (router-utils/resolve-routes.js keeps a proxy's status only for a response with a body or a redirect),
 * and its base server resets `res.statusCode` to 200 before rendering. A proxy response with a body would
 * be a hand-written page instead of the app's. So lib/server/front.ts makes Next's 200 a 400 as the head
 * is written; any other status Next chooses (a sign-in redirect, a 404, a 500) stands.
 */
import { parseHost, parseNamespace } from '../api/params';

/** The longest `q` of the overview the API accepts (lib/api/service.ts), checked against it in tests. */
export const OVERVIEW_QUERY_MAX = 200;

/** The methods a page answers. */
export const PAGE_METHODS = 'GET, HEAD';

/** The verdict on one request. */
export type Preflight =
  /** Hand the request to Next; `target` replaces its target when set; a 200 answer becomes `status` when set. */
  | { action: 'next'; target?: string; status?: 400 }
  /** Answer here without Next: an API error (JSON) or a page-level refusal. */
  | { action: 'refuse'; status: 400 | 405; message: string };

const NEXT: Preflight = { action: 'next' };

/** `/api` and below: the JSON API, whose errors are JSON. */
export function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

/** Next's own files (build assets, images): routed and answered by Next alone. */
export function isNextPath(pathname: string): boolean {
  return pathname.startsWith('/_next/');
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The path with every `%` of each undecodable segment escaped, or undefined when every segment decodes. */
export function wellFormedPath(pathname: string): string | undefined {
  const segments = pathname.split('/');
  if (segments.every((s) => decoded(s) !== undefined)) return undefined;
  return segments.map((s) => (decoded(s) === undefined ? s.replace(/%/g, '%25') : s)).join('/');
}

// With or without the cluster prefix: `/d/{host}`, `/c/{cluster}/d/{host}` (and the same for `/ns/`).
const DOMAIN_PAGE = /^(?:\/c\/[^/]+)?\/d\/([^/]+)$/;
const NAMESPACE_PAGE = /^(?:\/c\/[^/]+)?\/ns\/([^/]+)$/;

/** Whether the page at this (well-formed) path and query shows a 400 notice: its parameter is refused. */
function refusedParameter(pathname: string, search: string): boolean {
  // Next hands the page the decoded segment, and the page passes it to the API as it is.
  const domain = DOMAIN_PAGE.exec(pathname);
  if (domain) return !parseHost(decoded(domain[1]!)).ok;
  const namespace = NAMESPACE_PAGE.exec(pathname);
  if (namespace) return !parseNamespace(decoded(namespace[1]!)).ok;
  if (pathname === '/') return (new URLSearchParams(search).get('q')?.trim().length ?? 0) > OVERVIEW_QUERY_MAX;
  return false;
}

/** The verdict on a request with this method and target (as on the request line). */
export function preflight(method: string, target: string): Preflight {
  // Origin-form only; an absolute-form or `*` target is Next's to answer.
  if (!target.startsWith('/')) return NEXT;
  const q = target.indexOf('?');
  const pathname = q < 0 ? target : target.slice(0, q);
  const search = q < 0 ? '' : target.slice(q);
  const fixed = wellFormedPath(pathname);

  if (isApiPath(pathname)) {
    return fixed === undefined ? NEXT : { action: 'refuse', status: 400, message: 'the path is not valid percent-encoding' };
  }
  if (isNextPath(pathname)) return NEXT;
  if (method !== 'GET' && method !== 'HEAD') {
    return { action: 'refuse', status: 405, message: `pages answer ${PAGE_METHODS} only` };
  }
  if (fixed !== undefined) return { action: 'next', target: `${fixed}${search}`, status: 400 };
  return refusedParameter(pathname, search) ? { action: 'next', status: 400 } : NEXT;
}
