/**
 * Every SWR key (and API URL) the dashboard uses, built in one place so the server-rendered first
 * response, the client hooks and any `mutate()` call agree on the identity of a resource.
 */
import type { DomainSort } from '../../lib/api/types';
import type { ChainLink, Health } from '../../lib/model/chain';

/** What the overview lists: client environments (the default) or every domain. */
export type OverviewMode = 'environments' | 'domains';

/**
 * The overview's query: which list, text filter, health filter, order (domains only: environments are
 * always worst first) and the page window.
 */
export interface OverviewQuery {
  view?: OverviewMode;
  q?: string;
  health?: Health;
  sort?: DomainSort;
  offset?: number;
  limit?: number;
}

/** Environments per overview page: small enough to render instantly, large enough to rarely page. */
export const OVERVIEW_PAGE_SIZE = 50;
/** Domains per page of the domain view: rows are one line each, so more fit than environment cards. */
export const DOMAINS_PAGE_SIZE = 100;

const pageSize = (query: OverviewQuery) => (query.view === 'domains' ? DOMAINS_PAGE_SIZE : OVERVIEW_PAGE_SIZE);

/** The overview's query string without defaults, so equal views have equal keys and URLs. */
export function overviewSearch(query: OverviewQuery): string {
  const sp = new URLSearchParams();
  if (query.view === 'domains') sp.set('view', 'domains');
  const q = query.q?.trim();
  if (q) sp.set('q', q);
  if (query.health) sp.set('health', query.health);
  if (query.view === 'domains' && query.sort && query.sort !== 'health') sp.set('sort', query.sort);
  if (query.offset) sp.set('offset', String(query.offset));
  if (query.limit && query.limit !== pageSize(query)) sp.set('limit', String(query.limit));
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** SWR keys, which are also the JSON API's URLs. */
export const keys = {
  /** `GET /api/v1/overview`: the page size is always explicit so the API and the page agree on it. */
  overview: (query: OverviewQuery) => {
    const sp = new URLSearchParams(overviewSearch({ ...query, view: undefined, sort: undefined }).slice(1));
    if (!sp.has('limit')) sp.set('limit', String(OVERVIEW_PAGE_SIZE));
    return `/api/v1/overview?${sp.toString()}`;
  },
  /** `GET /api/v1/domains`: the domain view's list, page size explicit as for the overview. */
  domains: (query: OverviewQuery) => {
    const sp = new URLSearchParams(overviewSearch({ ...query, view: 'domains' }).slice(1));
    sp.delete('view');
    if (!sp.has('limit')) sp.set('limit', String(DOMAINS_PAGE_SIZE));
    return `/api/v1/domains?${sp.toString()}`;
  },
  /** One cluster's environment: the page names its cluster, so its polls ask that cluster and no other. */
  namespace: ({ cluster, name }: NamespaceRef) => `/api/v1/namespaces/${encodeURIComponent(name)}?cluster=${encodeURIComponent(cluster)}`,
  /** One cluster's chain of a host (a host served by two clusters has a chain in each). */
  domain: ({ cluster, host }: DomainRef) => `/api/v1/domains/${encodeURIComponent(host)}?cluster=${encodeURIComponent(cluster)}`,
  /** `GET /api/v1/share/{token}`: a share link's redacted view, which its page polls with the token alone. */
  sharedDomain: (token: string) => `/api/v1/share/${encodeURIComponent(token)}`,
} as const;

/**
 * A client environment is a namespace of one cluster: the same name in two clusters (a client being
 * moved) is two environments. Links and keys take the pair, so none can leave the cluster out.
 */
export interface NamespaceRef {
  cluster: string;
  name: string;
}

/** A host's chain in one cluster. */
export interface DomainRef {
  cluster: string;
  host: string;
}

const clusterPath = (cluster: string) => `/c/${encodeURIComponent(cluster)}`;

/**
 * Page URLs, for links: every environment and domain page is under its cluster (`/c/{cluster}/...`).
 * `/d/{host}` and `/ns/{namespace}` still answer: they redirect to the one cluster that has it.
 */
export const hrefs = {
  overview: (query: OverviewQuery = {}) => `/${overviewSearch(query)}`,
  namespace: ({ cluster, name }: NamespaceRef) => `${clusterPath(cluster)}/ns/${encodeURIComponent(name)}`,
  /** `focus` is a node id of the chain diagram (`Service/my-app`). */
  // `/` stays readable in the query (`?focus=Service/my-app`): it needs no escaping there.
  domain: ({ cluster, host }: DomainRef, focus?: string) =>
    `${clusterPath(cluster)}/d/${encodeURIComponent(host)}${focus ? `?focus=${encodeURIComponent(focus).replace(/%2F/g, '/')}` : ''}`,
} as const;

/** The diagram node a finding is shown on, as a `?focus=` value: the node, or an edge's target. */
export function focusOf(link: ChainLink): string {
  return link.type === 'node' ? link.id : link.to;
}
