/**
 * Pure shaping of an analysis into the API's responses: filtering, worst-first ordering, paging.
 * Every function here is a lookup over the cached analysis; none lists the cluster.
 */
import { HEALTH_ORDER, type AnalysisResult, type DomainChain, type Finding, type Health, type HealthCounts } from '../model/chain';
import { groupFindings, type FindingGroup } from '../model/groups';
import type {
  ClusterTotals,
  DomainDetail,
  DomainListRow,
  DomainResponse,
  DomainRow,
  DomainSort,
  DomainsResponse,
  NamespaceResponse,
  OverviewResponse,
  OverviewRow,
  ServedBy,
  SyncInfo,
} from './types';

/** One cluster's analysis with its own sync: what the views are made of. */
export interface ClusterPart {
  name: string;
  result: AnalysisResult;
  sync: SyncInfo;
}

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
export function domainDetail(domain: DomainChain, cluster: string): DomainDetail {
  return { cluster, ...domain, findingGroups: findingGroupsOf(domain.findings) };
}

/** Overview rows link to this many of an environment's worst domains. */
const WORST_DOMAINS = 3;
/** Overview rows found by a host show this many of the matching domains. */
const MATCHING_DOMAINS = 5;

const rank = (h: Health) => HEALTH_ORDER.indexOf(h);
const zero = (): HealthCounts => ({ healthy: 0, degraded: 0, down: 0, unknown: 0 });

/** The namespaces a cluster's sync says it may not read. */
function forbiddenIn(sync: SyncInfo): Set<string | undefined> {
  return new Set(sync.kinds.filter((k) => k.state === 'forbidden' && k.namespace).map((k) => k.namespace));
}

/** The latest analysis time of the parts (each cluster analyses on its own). */
function latest(parts: readonly ClusterPart[]): string {
  return parts.reduce((a, p) => (p.result.analyzedAt > a ? p.result.analyzedAt : a), parts[0]?.result.analyzedAt ?? new Date(0).toISOString());
}

/**
 * The client environments of every cluster, grouped by cluster in the configured order and worst first
 * inside each group, filtered and paged over the whole list.
 */
export function overviewView(parts: readonly ClusterPart[], sync: SyncInfo, query: OverviewQuery): OverviewResponse {
  const namespaceHealth = zero();
  const domainHealth = zero();
  const clusters: ClusterTotals[] = [];
  const q = query.q?.trim().toLowerCase();
  const matching: { part: ClusterPart; ns: AnalysisResult['namespaces'][number] }[] = [];
  for (const part of parts) {
    const totals: ClusterTotals = { name: part.name, namespaces: part.result.namespaces.length, domains: part.result.domains.length, namespaceHealth: zero(), domainHealth: zero() };
    for (const ns of part.result.namespaces) {
      namespaceHealth[ns.health]++;
      totals.namespaceHealth[ns.health]++;
    }
    for (const d of part.result.domains) {
      domainHealth[d.health]++;
      totals.domainHealth[d.health]++;
    }
    clusters.push(totals);
    const mine = part.result.namespaces.filter(
      (ns) => (!query.health || ns.health === query.health) && (!q || ns.name.includes(q) || ns.hosts.some((h) => h.includes(q))),
    );
    mine.sort((a, b) => rank(a.health) - rank(b.health) || b.counts.down - a.counts.down || a.name.localeCompare(b.name));
    for (const ns of mine) matching.push({ part, ns });
  }
  const page = matching.slice(query.offset, query.offset + query.limit);
  const forbidden = new Map(parts.map((p) => [p, forbiddenIn(p.sync)]));
  const rows: OverviewRow[] = page.map(({ part, ns }) => {
    const domains = domainRows(part.result, ns.name);
    const row: OverviewRow = {
      cluster: part.name,
      name: ns.name,
      health: ns.health,
      domainCount: ns.domainCount,
      counts: ns.counts,
      worstFindings: ns.worstFindings,
      worstDomains: domains.filter((d) => d.health !== 'healthy').slice(0, WORST_DOMAINS),
      forbidden: forbidden.get(part)!.has(ns.name) || ns.gaps.some((g) => g.reason === 'forbidden'),
    };
    if (q && !ns.name.includes(q)) {
      const matched = domains.filter((d) => d.host.includes(q));
      row.matchingDomains = { domains: matched.slice(0, MATCHING_DOMAINS), count: matched.length };
    }
    return row;
  });
  return {
    analyzedAt: latest(parts),
    sync,
    totals: { namespaces: clusters.reduce((n, c) => n + c.namespaces, 0), domains: clusters.reduce((n, c) => n + c.domains, 0), namespaceHealth, domainHealth },
    clusters,
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
/** A domain and the position of its cluster in the configured order. */
type Placed = { d: Domain; c: number };

const byHost = (a: Placed, b: Placed) => (a.d.host < b.d.host ? -1 : a.d.host > b.d.host ? 1 : 0);
const byHealth = (a: Placed, b: Placed) => rank(a.d.health) - rank(b.d.health);
const byCluster = (a: Placed, b: Placed) => a.c - b.c;
const byNamespace = (a: Placed, b: Placed) => (a.d.namespace < b.d.namespace ? -1 : a.d.namespace > b.d.namespace ? 1 : 0);
// Hosts and namespaces are lower-case DNS names: a code-unit comparison orders them as localeCompare
// would, at a fraction of the cost over thousands of rows. A host served by two clusters sorts its rows
// in the clusters' order.
const DOMAIN_ORDER: Record<DomainSort, (a: Placed, b: Placed) => number> = {
  health: (a, b) => byHealth(a, b) || byHost(a, b) || byCluster(a, b),
  name: (a, b) => byHost(a, b) || byCluster(a, b),
  environment: (a, b) => byCluster(a, b) || byNamespace(a, b) || byHealth(a, b) || byHost(a, b),
};

/** Whether a domain matches the text filter (already trimmed and lower-cased). */
function domainMatches(d: Domain, q: string | undefined): boolean {
  return !q || d.host.includes(q) || d.namespaces.some((ns) => ns.includes(q));
}

/**
 * Every domain of every client environment, filtered by text and health, sorted and paged. `counts` are
 * domain counts over the text filter alone, so a health choice says how many domains it will show.
 */
export function domainsView(parts: readonly ClusterPart[], sync: SyncInfo, query: DomainsQuery): DomainsResponse {
  const domainHealth = zero();
  const counts = zero();
  const q = query.q?.trim().toLowerCase() || undefined;
  const matching: Placed[] = [];
  let total = 0;
  parts.forEach((part, c) => {
    total += part.result.domains.length;
    for (const d of part.result.domains) {
      domainHealth[d.health]++;
      if (!domainMatches(d, q)) continue;
      counts[d.health]++;
      if (!query.health || d.health === query.health) matching.push({ d, c });
    }
  });
  matching.sort(DOMAIN_ORDER[query.sort]);
  const rows: DomainListRow[] = matching.slice(query.offset, query.offset + query.limit).map(({ d, c }) => ({
    cluster: parts[c]!.name,
    host: d.host,
    health: d.health,
    routeCount: d.routes.length,
    ...topOf(d),
    findingCount: d.findings.length,
    namespace: d.namespace,
    namespaces: d.namespaces,
  }));
  return {
    analyzedAt: latest(parts),
    sync,
    totals: { domains: total, domainHealth },
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

/** Undefined when the namespace is not a client environment of the cluster. */
export function namespaceView(part: ClusterPart, name: string): NamespaceResponse | undefined {
  const summary = part.result.namespaces.find((n) => n.name === name);
  if (!summary) return undefined;
  return {
    analyzedAt: part.result.analyzedAt,
    sync: part.sync,
    cluster: part.name,
    namespace: { ...summary, findingGroups: findingGroupsOf(summary.findings) },
    domains: domainRows(part.result, name),
  };
}

/** Whether the cluster's chain of a host serves it. */
export function servesHost(part: ClusterPart, host: string): boolean {
  return hostIndex(part.result).has(host);
}

/** Whether the cluster has a client environment of this name. */
export function hasNamespace(part: ClusterPart, name: string): boolean {
  return part.result.namespaces.some((n) => n.name === name);
}

/**
 * Where public DNS sends a host, seen from one cluster's chain: `here` when the host resolves to an
 * address (or a CNAME target) its route publishes, `elsewhere` when it resolves to none of them,
 * `unknown` without a resolved answer.
 */
export function dnsTarget(d: DomainChain): ServedBy['dns'] {
  const p = d.dns.probe;
  if (!p || p.status !== 'ok') return 'unknown';
  const published = new Set(d.dns.loadBalancer.map((a) => a.toLowerCase().replace(/\.$/, '')));
  if (published.size === 0) return 'unknown';
  const answers = [...p.a, ...p.aaaa, ...p.cname].map((a) => a.toLowerCase().replace(/\.$/, ''));
  return answers.some((a) => published.has(a)) ? 'here' : 'elsewhere';
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

/**
 * A host's chain in one of the clusters serving it. `cluster` picks the cluster; without it the host's
 * one cluster, or, when several serve it (a client being moved), the one public DNS points at (else the
 * first). Every serving cluster is then listed in `servedBy`. Undefined when no route in a client
 * environment of the chosen clusters serves the host.
 */
export function domainView(parts: readonly ClusterPart[], host: string, cluster?: string): DomainResponse | undefined {
  const serving = parts.flatMap((part) => {
    const d = hostIndex(part.result).get(host);
    return d ? [{ part, d }] : [];
  });
  if (serving.length === 0) return undefined;
  const chosen = cluster !== undefined ? serving.find((s) => s.part.name === cluster) : (serving.find((s) => dnsTarget(s.d) === 'here') ?? serving[0]);
  if (!chosen) return undefined;
  const response: DomainResponse = { analyzedAt: chosen.part.result.analyzedAt, sync: chosen.part.sync, domain: domainDetail(chosen.d, chosen.part.name) };
  if (serving.length > 1) response.servedBy = serving.map((s) => ({ cluster: s.part.name, health: s.d.health, dns: dnsTarget(s.d) }));
  return response;
}
