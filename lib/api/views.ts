/**
 * Pure shaping of an analysis into the API's responses: filtering, worst-first ordering, paging.
 * Every function here is a lookup over the cached analysis; none lists the cluster.
 */
import { HEALTH_ORDER, type AnalysisResult, type DomainChain, type Finding, type Health, type HealthCounts } from '../model/chain';
import { groupFindings, type FindingGroup } from '../model/groups';
import type {
  DomainDetail,
  DomainListRow,
  DomainResponse,
  DomainRow,
  DomainSort,
  DomainsResponse,
  NamespaceResponse,
  OverviewResponse,
  OverviewRow,
  SyncInfo,
} from './types';

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

// Same life cycle as hostIndexes: a chain's findings are grouped once per analysis, not per request.
const findingGroupsCache = new WeakMap<readonly Finding[], FindingGroup[]>();
function findingGroupsOf(findings: readonly Finding[]): FindingGroup[] {
  let groups = findingGroupsCache.get(findings);
  if (!groups) {
    groups = groupFindings(findings);
    findingGroupsCache.set(findings, groups);
  }
  return groups;
}

/** A domain with its findings grouped beside the flat list, as the API and `check --json` give it. */
export function domainDetail(domain: DomainChain): DomainDetail {
  return { ...domain, findingGroups: findingGroupsOf(domain.findings) };
}

/** Overview rows link to this many of an environment's worst domains. */
const WORST_DOMAINS = 3;
/** Overview rows found by a host show this many of the matching domains. */
const MATCHING_DOMAINS = 5;

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
  const rows: OverviewRow[] = page.map((ns) => {
    const domains = domainRows(result, ns.name);
    const row: OverviewRow = {
      name: ns.name,
      health: ns.health,
      domainCount: ns.domainCount,
      counts: ns.counts,
      worstFindings: ns.worstFindings,
      worstDomains: domains.filter((d) => d.health !== 'healthy').slice(0, WORST_DOMAINS),
      forbidden: forbiddenNs.has(ns.name) || ns.gaps.some((g) => g.reason === 'forbidden'),
    };
    if (q && !ns.name.includes(q)) {
      const matched = domains.filter((d) => d.host.includes(q));
      row.matchingDomains = { domains: matched.slice(0, MATCHING_DOMAINS), count: matched.length };
    }
    return row;
  });
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

export interface DomainsQuery {
  /** Case-insensitive text matched against the host and the namespaces serving it. */
  q?: string;
  health?: Health;
  sort: DomainSort;
  offset: number;
  limit: number;
}

type Domain = AnalysisResult['domains'][number];

const byHost = (a: Domain, b: Domain) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0);
const byHealth = (a: Domain, b: Domain) => rank(a.health) - rank(b.health);
const byNamespace = (a: Domain, b: Domain) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0);
// Hosts and namespaces are lower-case DNS names: a code-unit comparison orders them as localeCompare
// would, at a fraction of the cost over thousands of rows.
const DOMAIN_ORDER: Record<DomainSort, (a: Domain, b: Domain) => number> = {
  health: (a, b) => byHealth(a, b) || byHost(a, b),
  name: byHost,
  environment: (a, b) => byNamespace(a, b) || byHealth(a, b) || byHost(a, b),
};

/** Whether a domain matches the text filter (already trimmed and lower-cased). */
function domainMatches(d: Domain, q: string | undefined): boolean {
  return !q || d.host.includes(q) || d.namespaces.some((ns) => ns.includes(q));
}

/**
 * Every domain of every client environment, filtered by text and health, sorted and paged. `counts` are
 * domain counts over the text filter alone, so a health choice says how many domains it will show.
 */
export function domainsView(result: AnalysisResult, sync: SyncInfo, query: DomainsQuery): DomainsResponse {
  const domainHealth = zero();
  const counts = zero();
  const q = query.q?.trim().toLowerCase() || undefined;
  const matching: Domain[] = [];
  for (const d of result.domains) {
    domainHealth[d.health]++;
    if (!domainMatches(d, q)) continue;
    counts[d.health]++;
    if (!query.health || d.health === query.health) matching.push(d);
  }
  matching.sort(DOMAIN_ORDER[query.sort]);
  const rows: DomainListRow[] = matching.slice(query.offset, query.offset + query.limit).map((d) => ({
    host: d.host,
    health: d.health,
    routeCount: d.routes.length,
    ...topOf(d),
    findingCount: d.findings.length,
    namespace: d.namespace,
    namespaces: d.namespaces,
  }));
  return {
    analyzedAt: result.analyzedAt,
    sync,
    totals: { domains: result.domains.length, domainHealth },
    counts,
    matched: matching.length,
    sort: query.sort,
    offset: query.offset,
    limit: query.limit,
    domains: rows,
  };
}

/**
 * A domain's top finding and, when it is a symptom, the first of its causes: a row can then say why,
 * without the domain's whole list.
 */
function topOf(d: Domain): Pick<DomainRow, 'topFinding' | 'topCause'> {
  const top = d.findings[0];
  if (!top) return {};
  const first = top.causes?.[0];
  const cause = first === undefined ? undefined : d.findings.find((f) => f.id === first);
  return cause ? { topFinding: top, topCause: cause } : { topFinding: top };
}

/** Undefined when the namespace is not a client environment Chainboard knows. */
export function namespaceView(result: AnalysisResult, sync: SyncInfo, name: string): NamespaceResponse | undefined {
  const summary = result.namespaces.find((n) => n.name === name);
  if (!summary) return undefined;
  return {
    analyzedAt: result.analyzedAt,
    sync,
    namespace: { ...summary, findingGroups: findingGroupsOf(summary.findings) },
    domains: domainRows(result, name),
  };
}

/** The domains served from a namespace, worst first. */
function domainRows(result: AnalysisResult, name: string): DomainRow[] {
  return (namespaceIndex(result).get(name) ?? [])
    .map((d) => ({
      host: d.host,
      health: d.health,
      routeCount: d.routes.filter((r) => r.namespace === name).length,
      ...topOf(d),
      findingCount: d.findings.length,
    }))
    .sort((a, b) => rank(a.health) - rank(b.health) || a.host.localeCompare(b.host));
}

/** Undefined when no Ingress rule in a client environment serves the host. */
export function domainView(result: AnalysisResult, sync: SyncInfo, host: string): DomainResponse | undefined {
  const domain = hostIndex(result).get(host);
  return domain ? { analyzedAt: result.analyzedAt, sync, domain: domainDetail(domain) } : undefined;
}
