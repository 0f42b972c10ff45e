/**
 * Health, the last step: the roll-ups the other steps do not do themselves (a node judged by the
 * findings linked to it), the order of domains, and a namespace's summary, rolled up from its own
 * findings and its domains.
 */
import type { DomainChain, Finding, Health, HealthCounts, NamespaceSummary } from '../../model/chain';
import { compareHealth, rollUp, sortFindings, worstHealth } from '../../model/health';
import { CHAIN_KINDS } from '../context';
import type { ResolvedOptions } from '../options';

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Domains worst health first, then by host. */
export function compareDomains(a: DomainChain, b: DomainChain): number {
  return compareHealth(a.health, b.health) || cmpStr(a.host, b.host);
}

/** The health of one node (the TLS or the DNS of a domain) from the findings linked to it alone. */
export function nodeHealth(findings: readonly Finding[], id: string): Health {
  return rollUp(findings.filter((f) => f.link.type === 'node' && f.link.id === id));
}

/** What a namespace summary says before the roll-up: its own findings and what it serves. */
export type SummaryBase = Omit<NamespaceSummary, 'health' | 'counts' | 'worstFindings'>;

/**
 * A namespace's summary: its domains counted by health, its health the worst of its own findings (a gap
 * of a chain kind makes it unknown) and of its domains, and its worst findings among its own and those
 * of its domains that are about its objects.
 */
export function summarize(base: SummaryBase, domains: readonly DomainChain[], opts: ResolvedOptions): NamespaceSummary {
  const counts: HealthCounts = { healthy: 0, degraded: 0, down: 0, unknown: 0 };
  for (const d of domains) counts[d.health]++;
  const chainGaps = base.gaps.filter((g) => CHAIN_KINDS.has(g.kind));
  const health = worstHealth(rollUp(base.findings, chainGaps), ...domains.map((d) => d.health));
  const own = (f: Finding) => f.object.namespace === base.name;
  const worstFindings = sortFindings([...base.findings, ...domains.flatMap((d) => d.findings.filter(own))]).slice(0, opts.worstFindings);
  return {
    name: base.name,
    health,
    domainCount: base.domainCount,
    counts,
    hosts: base.hosts,
    worstFindings,
    findings: base.findings,
    unreachableServices: base.unreachableServices,
    unhealthyPods: base.unhealthyPods,
    warningEvents: base.warningEvents,
    gaps: base.gaps,
  };
}
