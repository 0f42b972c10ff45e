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
}

export interface OverviewRow {
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
  /** Environments matching the filter, before paging. */
  matched: number;
  offset: number;
  limit: number;
  namespaces: OverviewRow[];
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
  sync: SyncInfo;
  namespace: NamespaceDetail;
  domains: DomainRow[];
}

export interface DomainResponse {
  analyzedAt: string;
  sync: SyncInfo;
  domain: DomainDetail;
}

export interface ApiErrorBody {
  error: { status: number; reason: 'BadRequest' | 'NotFound' | 'NotReady' | 'Forbidden' | 'Unauthorized' | 'TooManyRequests'; message: string };
}
