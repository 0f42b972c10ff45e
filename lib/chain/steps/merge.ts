/**
 * Merging: one host served from several namespaces is one domain. Each namespace judged its own part;
 * the merge adds the route conflicts across namespaces, keeps one copy of the per-host probe findings,
 * and assembles TLS, DNS and events the way a namespace's domain does.
 */
import type { DataGap } from '../../model/snapshot';
import type { DomainChain, Finding, LinkCheck, NotCheckedReason, TraefikState } from '../../model/chain';
import { rollUp, sortFindings, worstHealth } from '../../model/health';
import type { HostProbes } from '../../model/probe';
import type { ResolvedOptions } from '../options';
import { latestSummaries } from './events';
import { crossNamespaceConflicts, PROBE_CODES } from './findings';
import { crossNamespaceRivals } from './routes';
import { assembleHttp } from './http';
import { assembleTlsDns } from './tls-dns';

const notCheckedFor = (c: LinkCheck, reason: NotCheckedReason) => c.state === 'not-checked' && c.reasons.includes(reason);
const uniqSorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** Gaps without repeats: a cluster-wide gap reaches every namespace's part. */
function uniqueGaps(gaps: readonly DataGap[]): DataGap[] {
  const keys = new Set<string>();
  return gaps.filter((g) => {
    const k = `${g.reason}\u0000${g.kind}\u0000${g.namespace ?? ''}\u0000${g.message}`;
    if (keys.has(k)) return false;
    keys.add(k);
    return true;
  });
}

/** The domain of one host from the domains of each namespace serving it, in namespace order. */
export function mergeDomains(list: readonly DomainChain[], opts: ResolvedOptions): DomainChain {
  const host = list[0]!.host;
  const rivalled = crossNamespaceRivals(host, list);
  const conflicted = new Set(rivalled.map((r) => r.route));
  const routes = list.flatMap((d) => d.routes).map((r) => (conflicted.has(r) ? { ...r, health: worstHealth(r.health, 'degraded') } : r));
  // Probe results are per host: every namespace judged the same ones; keep the first namespace's.
  const findings = sortFindings([
    ...list.flatMap((d, i) => (i === 0 ? d.findings : d.findings.filter((f) => !PROBE_CODES.has(f.code)))),
    ...rivalled.flatMap(crossNamespaceConflicts),
  ]);
  const gaps = uniqueGaps(list.flatMap((d) => d.gaps));
  const probes: HostProbes = {};
  const tlsProbe = list.find((d) => d.tls.probe)?.tls.probe;
  if (tlsProbe) probes.tls = tlsProbe;
  const dnsProbe = list.find((d) => d.dns.probe)?.dns.probe;
  if (dnsProbe) probes.dns = dnsProbe;
  // Every namespace was analysed from the same snapshot: probing is off for all or for none.
  const probing = !notCheckedFor(list[0]!.dns.check, 'probes-off');
  const parts = list.map((d) => ({ tls: { ...d.tls, secretUnreadable: notCheckedFor(d.tls.check, 'secret-unreadable') }, dns: d.dns }));
  const { tls, dns } = assembleTlsDns(host, parts, findings, probes, probing);
  // Each namespace judged its own routes' checks: together they are the host's.
  const checks = list.flatMap((d) => d.http?.probes ?? []).filter((c, i, all) => all.findIndex((x) => x.path === c.path && x.route.ingress === c.route.ingress && x.route.namespace === c.route.namespace) === i);
  const http = assembleHttp(host, checks, findings, probing, probes);
  const events = latestSummaries(list.flatMap((d) => d.events), opts.maxEvents);
  const namespaces = uniqSorted(list.flatMap((d) => d.namespaces));
  const merged: DomainChain = { host, namespace: namespaces[0]!, namespaces, health: rollUp(findings, gaps), routes, tls, dns, http, findings, events, gaps };
  const traefik = mergeTraefik(list, findings);
  if (traefik) merged.traefik = traefik;
  return merged;
}

/** The Traefik states of one host's namespaces as one: every router, the first namespace's check. */
function mergeTraefik(list: readonly DomainChain[], findings: readonly Finding[]): TraefikState | undefined {
  const first = list.find((d) => d.traefik)?.traefik;
  if (!first) return undefined;
  const health = rollUp(findings.filter((f) => f.link.type === 'node' && f.link.id === first.id));
  return {
    id: first.id,
    check: first.check,
    routers: list.flatMap((d) => d.traefik?.routers ?? []),
    health: health === 'healthy' && first.check.state === 'not-checked' ? 'not-checked' : health,
  };
}
