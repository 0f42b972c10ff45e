/**
 * Pure shaping of an analysis into the API's responses: filtering, worst-first ordering, paging.
 * Every function here is a lookup over the cached analysis; none lists the cluster.
 */
import { HEALTH_ORDER, type AnalysisResult, type Health, type HealthCounts } from '../model/chain';
import type { DomainResponse, DomainRow, NamespaceResponse, OverviewResponse, OverviewRow, SyncInfo } from './types';

export interface OverviewQuery {
  /** Case-insensitive text matched against the namespace name and its hosts. */
  q?: string;
  health?: Health;
  offset: number;
  limit: number;
}

// The analysis object is replaced, never mutated, when the cluster changes: an index per result
// object stays valid for that object's life and is collected with it.
const hostIndexes = new WeakMap<AnalysisResult, Map<string, AnalysisResult['domains'][number]>>();
function hostIndex(result: AnalysisResult) {
  let idx = hostIndexes.get(result);
  if (!idx) {
    idx = new Map(result.domains.map((d) => [d.host, d]));
    hostIndexes.set(result, idx);
  }
  return idx;
}

// Same life cycle as hostIndexes: the domains of each namespace, so a page of overview rows costs
// a lookup per row instead of a scan of every domain.
const namespaceIndexes = new WeakMap<AnalysisResult, Map<string, AnalysisResult['domains']>>();
function namespaceIndex(result: AnalysisResult) {
  let idx = namespaceIndexes.get(result);
  if (!idx) {
    idx = new Map();
    for (const d of result.domains) {
      for (const ns of d.namespaces) {
        const list = idx.get(ns);
        if (list) list.push(d);
        else idx.set(ns, [d]);
      }
    }
    namespaceIndexes.set(result, idx);
  }
  return idx;
}

/** Overview rows link to this many of an environment's worst domains. */
const WORST_DOMAINS = 3;

const rank = (h: Health) => HEALTH_ORDER.indexOf(h);
const zero = (): HealthCounts => ({ healthy: 0, degraded: 0, down: 0, unknown: 0 });

export function overviewView(result: AnalysisResult, sync: SyncInfo, query: OverviewQuery): OverviewResponse {
  const forbiddenNs = new Set(sync.kinds.filter((k) => k.state === 'forbidden' && k.namespace).map((k) => k.namespace));
  const namespaceHealth = zero();
  const domainHealth = zero();
  for (const ns of result.namespaces) namespaceHealth[ns.health]++;
  for (const d of result.domains) domainHealth[d.health]++;

  const q = query.q?.trim().toLowerCase();
  const matching = result.namespaces.filter(
    (ns) => (!query.health || ns.health === query.health) && (!q || ns.name.includes(q) || ns.hosts.some((h) => h.includes(q))),
  );
  matching.sort((a, b) => rank(a.health) - rank(b.health) || b.counts.down - a.counts.down || a.name.localeCompare(b.name));
  const page = matching.slice(query.offset, query.offset + query.limit);
  const rows: OverviewRow[] = page.map((ns) => ({
    name: ns.name,
    health: ns.health,
    domainCount: ns.domainCount,
    counts: ns.counts,
    worstFindings: ns.worstFindings,
    worstDomains: domainRows(result, ns.name)
      .filter((d) => d.health !== 'healthy')
      .slice(0, WORST_DOMAINS),
    forbidden: forbiddenNs.has(ns.name) || ns.gaps.some((g) => g.reason === 'forbidden'),
  }));
  return {
    analyzedAt: result.analyzedAt,
    sync,
    totals: { namespaces: result.namespaces.length, domains: result.domains.length, namespaceHealth, domainHealth },
    matched: matching.length,
    offset: query.offset,
    limit: query.limit,
    namespaces: rows,
  };
}

/** Undefined when the namespace is not a client environment Chainboard knows. */
export function namespaceView(result: AnalysisResult, sync: SyncInfo, name: string): NamespaceResponse | undefined {
  const summary = result.namespaces.find((n) => n.name === name);
  if (!summary) return undefined;
  return { analyzedAt: result.analyzedAt, sync, namespace: summary, domains: domainRows(result, name) };
}

/** The domains served from a namespace, worst first. */
function domainRows(result: AnalysisResult, name: string): DomainRow[] {
  return (namespaceIndex(result).get(name) ?? [])
    .map((d) => ({
      host: d.host,
      health: d.health,
      routeCount: d.routes.filter((r) => r.namespace === name).length,
      topFinding: d.findings[0],
      findingCount: d.findings.length,
    }))
    .sort((a, b) => rank(a.health) - rank(b.health) || a.host.localeCompare(b.host));
}

/** Undefined when no Ingress rule in a client environment serves the host. */
export function domainView(result: AnalysisResult, sync: SyncInfo, host: string): DomainResponse | undefined {
  const domain = hostIndex(result).get(host);
  return domain ? { analyzedAt: result.analyzedAt, sync, domain } : undefined;
}
