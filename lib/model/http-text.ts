/**
 * The words for an HTTP check, shared by the web UI and the CLI so both say the same thing: the status,
 * who answered it, the latency and where a redirect went.
 */
import type { HttpState } from './chain';
import type { ControllerAnswer, HttpProbeResult, RedirectStop } from './probe';

const CONTROLLER_TEXT: Record<ControllerAnswer, string> = {
  'not-found': 'no router',
  'bad-gateway': 'bad gateway',
  unavailable: 'no servers',
  'gateway-timeout': 'gateway timeout',
  'internal-error': 'bare 500, service not resolved',
};

const STOP_TEXT: Record<RedirectStop, string> = {
  offsite: 'off the cluster, not followed',
  loop: 'a loop',
  limit: 'too many redirects',
  insecure: 'to plain HTTP, not followed',
};

/**
 * One check in a line: `/api 200 from the backend · 12 ms`, `/ 404 from the controller (no router) · 3 ms`,
 * `/ 302 → https://sso.example/ (off the cluster, not followed) · 8 ms`, `/ no answer (timeout) · 3000 ms`.
 */
export function httpResultText(r: HttpProbeResult): string {
  if (r.status === 'error') return `${r.path} no answer (${r.errorKind}) · ${r.latencyMs} ms`;
  const who = r.from === 'controller' ? `from the controller (${CONTROLLER_TEXT[r.controller ?? 'not-found']})` : 'from the backend';
  const hops = r.redirects.length ? ` after ${r.redirects.length} redirect${r.redirects.length > 1 ? 's' : ''}` : '';
  const redirect = r.redirect ? ` → ${r.redirect.location} (${STOP_TEXT[r.redirect.stop]})` : '';
  const expected = r.expectStatus?.length ? (r.expectStatus.includes(r.statusCode) ? ' (expected)' : ` (expected ${r.expectStatus.join(' or ')})`) : '';
  return `${r.path} ${r.statusCode}${expected} ${who}${hops}${redirect} · ${r.latencyMs} ms`;
}

/** The domain node's short HTTP status: `HTTP 200 · 12 ms`, `HTTP 404 (controller)`, `HTTP not checked`. */
export function httpBadgeText(h: HttpState | undefined): string {
  const first = h?.probes.find((p) => p.status === 'error' || p.statusCode >= 400) ?? h?.probes[0];
  if (!first) return 'HTTP not checked';
  if (first.status === 'error') return `HTTP no answer (${first.errorKind})`;
  return `HTTP ${first.statusCode}${first.from === 'controller' ? ' (controller)' : ''} · ${first.latencyMs} ms`;
}
