/**
 * The JSON the API serves and the pages render. One place, so the route handlers, the server
 * components and the SWR hooks agree.
 */
import type { DomainChain, Finding, Health, HealthCounts, NamespaceSummary } from '../model/chain';
import type { FindingGroup } from '../model/groups';

/**
 * Sync state of one watched kind (and namespace, when watched per namespace). `stalled`: watching, but
 * a watch that carries bookmarks has received nothing for longer than the stall threshold, so the data
 * may be stale while the watch is renewed. `not-installed`: the server does not serve the kind (an
 * optional CRD, such as cert-manager's ACME kinds, is absent); what depends on it reads "not checked".
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#watch-bookmarks
 */
export interface KindSync {
  /** The cluster the kind is watched in; absent in a sync of one cluster's own. */
  cluster?: string;
  kind: string;
  namespace?: string;
  /** `not-installed`: the kind's API (an optional CRD such as the Gateway API) is not served: not checked. */
  state: 'syncing' | 'synced' | 'stalled' | 'forbidden' | 'disconnected' | 'not-installed';
  /** synced: when; stalled: the last event or bookmark; disconnected: stale since when. */
  since?: string;
  message?: string;
  /** When the last list, watch event or BOOKMARK of this kind arrived. */
  lastEventAt?: string;
}

export interface SyncInfo {
  /** Every kind has listed at least once (or is known forbidden). */
  ready: boolean;
  /**
   * How current the data is: the oldest of the kinds' last proofs of being current (a list, a watch
   * event or a BOOKMARK received; for a kind whose watches carry no bookmarks, also the last watch the
   * server accepted). Not the time of the last analysis.
   */
  syncedAt?: string;
  /**
   * How old the data was when this answer was made (now - `syncedAt`, by the server's clock), so a
   * browser whose clock is off can still say how old it is. Absent for a dump, which has no such age.
   */
  dataAgeMs?: number;
  /** Present while the API server is unreachable: the data shown is the last good data. */
  stale?: { since: string; error?: string };
  /** Present while kinds are `stalled`: their data may be stale since `since` (the oldest of their last events). */
  stalled?: { since: string; kinds: string[] };
  kinds: KindSync[];
  /**
   * Every cluster's own sync, in the configured order: one cluster's loss of sync is that cluster's. The
   * fields above sum them up (ready when all are; the oldest `syncedAt`; stale while any is).
   */
  clusters?: ClusterSync[];
}

/** One cluster's sync state, as the overview's cluster groups show it. */
export interface ClusterSync {
  name: string;
  ready: boolean;
  syncedAt?: string;
  dataAgeMs?: number;
  stale?: { since: string; error?: string };
  stalled?: { since: string; kinds: string[] };
  /** Why the cluster has no data yet (it cannot start, or its caches are syncing). */
  notReadyReason?: string;
  /** The cluster's namespaces it may not read. */
  forbiddenNamespaces: string[];
}

export interface OverviewRow {
  /** The cluster the environment is in. */
  cluster: string;
  name: string;
  health: Health;
  domainCount: number;
  counts: HealthCounts;
  worstFindings: Finding[];
  /** The few worst unhealthy domains, worst first, with their top finding: the overview links straight to them. */
  worstDomains: DomainRow[];
  /**
   * Present when the text filter matched this environment by its hosts and not by its name: the first
   * few matching domains, worst first, and how many match, so a search for a host shows the host.
   */
  matchingDomains?: { domains: DomainRow[]; count: number };
  forbidden: boolean;
}

export interface OverviewResponse {
  analyzedAt: string;
  sync: SyncInfo;
  /** Over all client environments, before filtering. */
  totals: { namespaces: number; domains: number; namespaceHealth: HealthCounts; domainHealth: HealthCounts };
  /** Each cluster's totals, in the configured order: the overview groups its rows by cluster. */
  clusters: ClusterTotals[];
  /** Environments matching the filter, before paging. */
  matched: number;
  offset: number;
  limit: number;
  namespaces: OverviewRow[];
}

/** One cluster's share of the overview. */
export interface ClusterTotals {
  name: string;
  namespaces: number;
  domains: number;
  namespaceHealth: HealthCounts;
  domainHealth: HealthCounts;
}

export interface DomainRow {
  host: string;
  health: Health;
  routeCount: number;
  topFinding?: Finding;
  /** The first (worst) of the top finding's `causes`, when it has any: why the domain is broken. */
  topCause?: Finding;
  findingCount: number;
}

/** How the domain list is ordered: worst first, by host name, or grouped by environment (worst first inside). */
export type DomainSort = 'health' | 'name' | 'environment';
export const DOMAIN_SORTS: readonly DomainSort[] = ['health', 'name', 'environment'];

/** One domain of the domain list: its row plus the environments that serve it. */
export interface DomainListRow extends DomainRow {
  /** The cluster serving the host (a host served by two clusters has a row for each). */
  cluster: string;
  /** The namespace of the first Ingress claiming the host. */
  namespace: string;
  /** Every namespace with Ingress rules for the host (usually one). */
  namespaces: string[];
}

export interface DomainsResponse {
  analyzedAt: string;
  sync: SyncInfo;
  /** Over all domains, before filtering. */
  totals: { domains: number; domainHealth: HealthCounts };
  /** Domains matching the text filter, per health, before the health filter: what each health choice would show. */
  counts: HealthCounts;
  /** Domains matching both filters, before paging. */
  matched: number;
  sort: DomainSort;
  offset: number;
  limit: number;
  domains: DomainListRow[];
}

/**
 * A domain as the API and `chainboard check --json` give it: the engine's chain, and beside its flat
 * `findings` the same findings with identical ones grouped. The flat list stays complete and in its
 * order; each group names its members by their position in it.
 */
export interface DomainDetail extends DomainChain {
  /** The cluster whose chain this is. */
  cluster: string;
  /** `findings` grouped (see `groupFindings` in lib/model/groups.ts), in the order of their first member. */
  findingGroups: FindingGroup[];
}

/** A client environment's summary and, beside its `findings` (those outside any domain), the same grouped. */
export interface NamespaceDetail extends NamespaceSummary {
  /** `findings` grouped (see `groupFindings` in lib/model/groups.ts), in the order of their first member. */
  findingGroups: FindingGroup[];
}

export interface NamespaceResponse {
  analyzedAt: string;
  /** The cluster's own sync. */
  sync: SyncInfo;
  cluster: string;
  /** Other clusters with a client environment of the same name (a client being moved). */
  otherClusters?: string[];
  namespace: NamespaceDetail;
  domains: DomainRow[];
}

export interface DomainResponse {
  analyzedAt: string;
  /** The sync of the cluster whose chain `domain` is. */
  sync: SyncInfo;
  domain: DomainDetail;
  /**
   * Present when more than one cluster serves the host (a client being moved): each of them, with its
   * chain's health and where public DNS sends the host today.
   */
  servedBy?: ServedBy[];
}

/** One cluster serving a host, beside the others that serve it too. */
export interface ServedBy {
  cluster: string;
  health: Health;
  /**
   * `here`: the host resolves to an address this cluster's route publishes; `elsewhere`: it resolves,
   * but not to this cluster; `unknown`: not resolved (probes off, not yet probed, a failed lookup).
   */
  dns: 'here' | 'elsewhere' | 'unknown';
}

export interface ApiErrorBody {
  error: { status: number; reason: 'BadRequest' | 'NotFound' | 'NotReady' | 'Forbidden' | 'Unauthorized' | 'TooManyRequests'; message: string };
}
