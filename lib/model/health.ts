/**
 * Health roll-up and the order of findings. A gap in the data never reads as healthy: it yields
 * `unknown` unless a critical finding already makes the part `down`.
 */
import { HEALTH_ORDER, SEVERITY_ORDER, type Finding, type Health, type Severity } from './chain';
import type { DataGap } from './snapshot';
import { linkKey } from './ids';

const HEALTH_RANK = Object.fromEntries(HEALTH_ORDER.map((h, i) => [h, i])) as Record<Health, number>;
const SEVERITY_RANK = Object.fromEntries(SEVERITY_ORDER.map((s, i) => [s, i])) as Record<Severity, number>;
const healthRank = (h: Health) => HEALTH_RANK[h];
const severityRank = (s: Severity) => SEVERITY_RANK[s];

/**
 * The health of a route, node, domain or namespace from its findings and the data gaps that touch it:
 * any critical -> `down`; else any gap -> `unknown`; else any warning -> `degraded`; else `healthy`
 * (info findings never lower health).
 */
export function rollUp(findings: readonly Pick<Finding, 'severity'>[], gaps: readonly DataGap[] | boolean = false): Health {
  let warning = false;
  for (const f of findings) {
    if (f.severity === 'critical') return 'down';
    if (f.severity === 'warning') warning = true;
  }
  if (typeof gaps === 'boolean' ? gaps : gaps.length > 0) return 'unknown';
  return warning ? 'degraded' : 'healthy';
}

/** The worst of several healths (`down` > `unknown` > `degraded` > `healthy`); `healthy` for none. */
export function worstHealth(...healths: Health[]): Health {
  let worst: Health = 'healthy';
  for (const h of healths) if (healthRank(h) < healthRank(worst)) worst = h;
  return worst;
}

/** Worst health first. */
export function compareHealth(a: Health, b: Health): number {
  return healthRank(a) - healthRank(b);
}

/** The health a single severity gives a node on its own. */
export function severityHealth(s: Severity | undefined): Health {
  return s === 'critical' ? 'down' : s === 'warning' ? 'degraded' : 'healthy';
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Ground truth (what a request gets, what Traefik reports) names a symptom; the objects name its cause.
 * When both see a fault of one severity - a Service with no ready endpoints and the 503 it gives - the
 * object's finding leads: it is the link to fix and the command that shows why. A symptom the objects
 * do not explain (a dropped router, a backend's 502) still leads, as nothing else is that severe.
 */
const symptomRank = (code: string) => (code.startsWith('http.') || code.startsWith('traefik.') ? 1 : 0);

/** Findings order: critical -> warning -> info, causes before symptoms, then code, then object, link and message for stability. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    symptomRank(a.code) - symptomRank(b.code) ||
    cmp(a.code, b.code) ||
    cmp(a.object.namespace ?? '', b.object.namespace ?? '') ||
    cmp(a.object.kind, b.object.kind) ||
    cmp(a.object.name, b.object.name) ||
    cmp(linkKey(a.link), linkKey(b.link)) ||
    cmp(a.message, b.message)
  );
}

const findingKey = (f: Finding) =>
  `${f.code}\u0000${f.object.kind}\u0000${f.object.namespace ?? ''}\u0000${f.object.name}\u0000${linkKey(f.link)}\u0000${f.message}`;

/** Sorted, without duplicates (the same finding reached through two routes counts once). */
export function sortFindings(findings: Iterable<Finding>): Finding[] {
  const seen = new Map<string, Finding>();
  for (const f of findings) {
    const k = findingKey(f);
    if (!seen.has(k)) seen.set(k, f);
  }
  return [...seen.values()].sort(compareFindings);
}
