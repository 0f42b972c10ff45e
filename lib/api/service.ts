import 'server-only';
/**
 * What the route handlers and server components call: validated lookups over the current analysis,
 * as `{ ok, data }` or `{ ok: false, status, body }`. No function here lists the cluster: the source
 * answers from its watch caches (or from a loaded dump).
 */
import type { AnalysisResult, Health } from '../model/chain';
import { HEALTH_ORDER } from '../model/chain';
import { parseHost, parseIntParam, parseNamespace } from './params';
import { DOMAIN_SORTS, type ApiErrorBody, type ClusterSync, type DomainResponse, type DomainSort, type DomainsResponse, type NamespaceResponse, type OverviewResponse, type SyncInfo } from './types';
import { domainsView, domainView, hasNamespace, namespaceView, overviewView, servesHost, type ClusterPart } from './views';
import type { AnalysisSource, ClusterState } from './source';

/** `json`, when present, is `data` already serialised (the overview caches it per analysis). */
export type ApiOutcome<T> = { ok: true; data: T; json?: string } | { ok: false; status: number; body: ApiErrorBody };

const fail = (status: number, reason: ApiErrorBody['error']['reason'], message: string) =>
  ({ ok: false, status, body: { error: { status, reason, message } } }) as const;

/** The read API over one analysis source: what route handlers, pages and the share service call. */
export interface ApiService {
  getOverview(params?: OverviewParams): Promise<ApiOutcome<OverviewResponse>>;
  /** `cluster`: the cluster's environment; without it, the first cluster that has one of that name. */
  getNamespace(raw: string, cluster?: string | null): Promise<ApiOutcome<NamespaceResponse>>;
  /** `cluster`: the cluster's chain; without it, see `domainView` (the one DNS points at when several serve it). */
  getDomain(raw: string, cluster?: string | null): Promise<ApiOutcome<DomainResponse>>;
  getDomains(params?: DomainsParams): Promise<ApiOutcome<DomainsResponse>>;
  /** The configured clusters' names, in order (empty while the source cannot start). */
  clusterNames(): Promise<string[]>;
}

/**
 * The read API over the app's source. `source` starts it on first use and rejects while it cannot start
 * (no kubeconfig yet): every answer is then a 503 with the reason, and the next request tries again.
 */
export function createApiService(source: () => Promise<AnalysisSource>): ApiService {
  // Per set of analysis objects (each replaced, never mutated, on change): the serialised pages.
  const overviewCache: PageCache<OverviewPage> = {};
  const domainsCache: PageCache<DomainsPage> = {};
  const current = () => currentOf(source);
  return {
    getOverview: (params = {}) => getOverview(current, overviewCache, params),
    getNamespace: (raw, cluster) => getNamespace(current, raw, cluster ?? undefined),
    getDomain: (raw, cluster) => getDomain(current, raw, cluster ?? undefined),
    getDomains: (params = {}) => getDomains(current, domainsCache, params),
    async clusterNames() {
      try {
        return (await source()).clusters().map((c) => c.name);
      } catch {
        return [];
      }
    },
  };
}

/** What a request reads: the clusters that have an analysis, the summed-up sync, every cluster's name. */
interface Now {
  parts: ClusterPart[];
  sync: SyncInfo;
  names: string[];
}
type Current = () => Promise<ApiOutcome<Now>>;

/**
 * The pages made for one set of analysis objects. A new analysis of any cluster replaces its object, so
 * the set of objects names the pages' inputs; only the newest set is kept.
 */
interface PageCache<T> {
  results?: readonly AnalysisResult[];
  pages?: Map<string, { rest: T; json: string }>;
}
function pagesOf<T>(cache: PageCache<T>, parts: readonly ClusterPart[]): Map<string, { rest: T; json: string }> {
  const same = cache.results && cache.results.length === parts.length && parts.every((p, i) => cache.results![i] === p.result);
  if (!same || !cache.pages) {
    cache.results = parts.map((p) => p.result);
    cache.pages = new Map();
  }
  return cache.pages;
}

/** One cluster's sync as the API gives it; `forbiddenNamespaces` lets the overview mark its environments. */
function clusterSync(c: ClusterState): ClusterSync {
  const forbidden = [...new Set(c.sync.kinds.filter((k) => k.state === 'forbidden' && k.namespace).map((k) => k.namespace!))];
  return {
    name: c.name,
    ready: c.sync.ready,
    ...(c.sync.syncedAt ? { syncedAt: c.sync.syncedAt } : {}),
    ...(c.sync.dataAgeMs !== undefined ? { dataAgeMs: c.sync.dataAgeMs } : {}),
    ...(c.sync.stale ? { stale: c.sync.stale } : {}),
    ...(c.sync.stalled ? { stalled: c.sync.stalled } : {}),
    ...(!c.result || !c.sync.ready ? { notReadyReason: c.notReadyReason ?? 'its caches are syncing' } : {}),
    forbiddenNamespaces: forbidden,
  };
}

/**
 * The clusters' syncs summed up: ready when every cluster is; the oldest `syncedAt` and the largest age;
 * stale while any cluster is (since the earliest, naming the clusters); every kind marked with its
 * cluster. One cluster's sync is given as it is, with its one-entry `clusters`.
 */
export function combineSync(clusters: readonly ClusterState[]): SyncInfo {
  const per = clusters.map(clusterSync);
  if (clusters.length === 1) return { ...clusters[0]!.sync, clusters: per };
  const stale = clusters.filter((c) => c.sync.stale);
  const stalled = clusters.filter((c) => c.sync.stalled);
  const synced = clusters.filter((c) => c.sync.syncedAt);
  const oldest = <T>(xs: T[], at: (x: T) => string) => xs.map(at).sort()[0]!;
  return {
    ready: clusters.every((c) => c.sync.ready),
    ...(synced.length ? { syncedAt: oldest(synced, (c) => c.sync.syncedAt!) } : {}),
    ...(synced.length ? { dataAgeMs: Math.max(...synced.map((c) => c.sync.dataAgeMs ?? 0)) } : {}),
    ...(stale.length
      ? { stale: { since: oldest(stale, (c) => c.sync.stale!.since), error: stale.map((c) => `${c.name}: ${c.sync.stale!.error ?? 'unreachable'}`).join('; ') } }
      : {}),
    ...(stalled.length ? { stalled: { since: oldest(stalled, (c) => c.sync.stalled!.since), kinds: stalled.flatMap((c) => c.sync.stalled!.kinds.map((k) => `${c.name}/${k}`)) } } : {}),
    kinds: clusters.flatMap((c) => c.sync.kinds.map((k) => ({ cluster: c.name, ...k }))),
    clusters: per,
  };
}

/**
 * The clusters that have an analysis, or a 503 saying why none has yet (before the first sync). One
 * cluster without data (unreachable since start, still syncing) leaves the others' answers whole; the
 * summed-up sync says which is missing.
 */
async function currentOf(getSource: () => Promise<AnalysisSource>): Promise<ApiOutcome<Now>> {
  let source;
  try {
    source = await getSource();
  } catch (e) {
    // No kubeconfig, an unknown context, a bad probe setting: say so, and try again on the next request.
    return fail(503, 'NotReady', `Chainboard cannot reach a cluster: ${(e as Error).message}`);
  }
  const clusters = source.clusters();
  const sync = combineSync(clusters);
  const parts = clusters.flatMap((c) => (c.result ? [{ name: c.name, result: c.result, sync: clusters.length === 1 ? sync : { ...c.sync, clusters: [clusterSync(c)] } }] : []));
  if (parts.length === 0) {
    const why = clusters.map((c) => c.notReadyReason ?? 'the cluster caches have not synced yet');
    return fail(503, 'NotReady', clusters.length === 1 ? why[0]! : why.join('; '));
  }
  return { ok: true, data: { parts, sync, names: clusters.map((c) => c.name) } };
}

/** A `cluster` parameter: one of the configured clusters. */
function checkCluster(raw: string | null | undefined, names: readonly string[]): ApiOutcome<string | undefined> {
  if (raw === undefined || raw === null || raw === '') return { ok: true, data: undefined };
  if (names.includes(raw)) return { ok: true, data: raw };
  return fail(404, 'NotFound', `no cluster is named "${raw.slice(0, 63)}" (clusters: ${names.join(', ')})`);
}

export interface OverviewParams {
  /** Only this cluster's environments. */
  cluster?: string | null;
  q?: string | null;
  health?: string | null;
  offset?: string | null;
  limit?: string | null;
}

/** The longest text filter the overview and the domain list accept. */
const Q_MAX = 200;

function parseHealth(raw: string | null | undefined): { ok: true; value: Health | undefined } | { ok: false; error: string } {
  if (!raw) return { ok: true, value: undefined };
  if (!(HEALTH_ORDER as readonly string[]).includes(raw)) return { ok: false, error: `health must be one of ${HEALTH_ORDER.join(', ')}` };
  return { ok: true, value: raw as Health };
}

async function getOverview(current: Current, overviewCache: PageCache<OverviewPage>, params: OverviewParams): Promise<ApiOutcome<OverviewResponse>> {
  const offset = parseIntParam(params.offset, 'offset', 0, 1_000_000);
  if (!offset.ok) return fail(400, 'BadRequest', offset.error);
  const limit = parseIntParam(params.limit, 'limit', 100, 1000);
  if (!limit.ok) return fail(400, 'BadRequest', limit.error);
  const parsedHealth = parseHealth(params.health);
  if (!parsedHealth.ok) return fail(400, 'BadRequest', parsedHealth.error);
  const health = parsedHealth.value;
  if (params.q && params.q.length > Q_MAX) return fail(400, 'BadRequest', `q must be at most ${Q_MAX} characters`);
  const cur = await current();
  if (!cur.ok) return cur;
  const cluster = checkCluster(params.cluster, cur.data.names);
  if (!cluster.ok) return cluster;
  const { sync } = cur.data;
  const parts = cluster.data === undefined ? cur.data.parts : cur.data.parts.filter((p) => p.name === cluster.data);
  const query = { q: params.q ?? undefined, health, offset: offset.value, limit: limit.value };
  // The page depends only on the analysis objects (replaced, never mutated, on change), the query and
  // which namespaces are forbidden; its serialisation is as costly as building it (~1 ms each for 100
  // rows of a 500-namespace cluster), so both are done once per analysis and query. Only `sync`, which
  // changes on its own, is serialised per request.
  const forbidden = sync.kinds.filter((k) => k.state === 'forbidden' && k.namespace).map((k) => `${k.cluster ?? ''}/${k.namespace}`).join(',');
  const key = JSON.stringify([cluster.data ?? '', query.q ?? '', query.health ?? '', query.offset, query.limit, forbidden]);
  const pages = pagesOf(overviewCache, cur.data.parts);
  let page = pages.get(key);
  if (!page) {
    const { sync: _sync, analyzedAt: _at, ...rest } = overviewView(parts, sync, query);
    page = { rest, json: JSON.stringify(rest) };
    // Bounded: free-text queries must not grow the cache without limit.
    if (pages.size >= 256) pages.delete(pages.keys().next().value!);
    pages.set(key, page);
  }
  const analyzedAt = latestOf(cur.data.parts);
  const json = `{"analyzedAt":${JSON.stringify(analyzedAt)},"sync":${JSON.stringify(sync)},${page.json.slice(1)}`;
  return { ok: true, data: { analyzedAt, sync, ...page.rest }, json };
}

const latestOf = (parts: readonly ClusterPart[]) => parts.reduce((a, p) => (p.result.analyzedAt > a ? p.result.analyzedAt : a), parts[0]!.result.analyzedAt);

type OverviewPage = Omit<OverviewResponse, 'sync' | 'analyzedAt'>;

export interface DomainsParams {
  /** Only this cluster's domains. */
  cluster?: string | null;
  q?: string | null;
  health?: string | null;
  sort?: string | null;
  offset?: string | null;
  limit?: string | null;
}

type DomainsPage = Omit<DomainsResponse, 'sync' | 'analyzedAt'>;
async function getDomains(current: Current, cache: PageCache<DomainsPage>, params: DomainsParams): Promise<ApiOutcome<DomainsResponse>> {
  const offset = parseIntParam(params.offset, 'offset', 0, 1_000_000);
  if (!offset.ok) return fail(400, 'BadRequest', offset.error);
  const limit = parseIntParam(params.limit, 'limit', 100, 1000);
  if (!limit.ok) return fail(400, 'BadRequest', limit.error);
  const health = parseHealth(params.health);
  if (!health.ok) return fail(400, 'BadRequest', health.error);
  let sort: DomainSort = 'health';
  if (params.sort) {
    if (!(DOMAIN_SORTS as readonly string[]).includes(params.sort)) return fail(400, 'BadRequest', `sort must be one of ${DOMAIN_SORTS.join(', ')}`);
    sort = params.sort as DomainSort;
  }
  if (params.q && params.q.length > Q_MAX) return fail(400, 'BadRequest', `q must be at most ${Q_MAX} characters`);
  const cur = await current();
  if (!cur.ok) return cur;
  const cluster = checkCluster(params.cluster, cur.data.names);
  if (!cluster.ok) return cluster;
  const { sync } = cur.data;
  const parts = cluster.data === undefined ? cur.data.parts : cur.data.parts.filter((p) => p.name === cluster.data);
  const query = { q: params.q?.trim().toLowerCase() || undefined, health: health.value, sort, offset: offset.value, limit: limit.value };
  // As for the overview: one filter, sort and serialisation per analysis object and query, since the
  // page renders under load and a thousand-domain sort is not free; only `sync` is serialised per request.
  const key = JSON.stringify([cluster.data ?? '', query.q ?? '', query.health ?? '', query.sort, query.offset, query.limit]);
  const pages = pagesOf(cache, cur.data.parts);
  let page = pages.get(key);
  if (!page) {
    const { sync: _sync, analyzedAt: _at, ...rest } = domainsView(parts, sync, query);
    page = { rest, json: JSON.stringify(rest) };
    // Bounded: free-text queries must not grow the cache without limit.
    if (pages.size >= 256) pages.delete(pages.keys().next().value!);
    pages.set(key, page);
  }
  const analyzedAt = latestOf(cur.data.parts);
  const json = `{"analyzedAt":${JSON.stringify(analyzedAt)},"sync":${JSON.stringify(sync)},${page.json.slice(1)}`;
  return { ok: true, data: { analyzedAt, sync, ...page.rest }, json };
}

async function getNamespace(current: Current, raw: string, rawCluster: string | undefined): Promise<ApiOutcome<NamespaceResponse>> {
  const ns = parseNamespace(raw);
  if (!ns.ok) return fail(400, 'BadRequest', ns.error);
  const cur = await current();
  if (!cur.ok) return cur;
  const cluster = checkCluster(rawCluster, cur.data.names);
  if (!cluster.ok) return cluster;
  const { parts, names } = cur.data;
  const candidates = cluster.data === undefined ? parts : parts.filter((p) => p.name === cluster.data);
  const having = candidates.filter((p) => hasNamespace(p, ns.value));
  const part = having[0];
  if (part) {
    const view = namespaceView(part, ns.value)!;
    const others = parts.filter((p) => p !== part && hasNamespace(p, ns.value)).map((p) => p.name);
    return { ok: true, data: others.length ? { ...view, otherClusters: others } : view };
  }
  if (cluster.data !== undefined && candidates.length === 0) return fail(503, 'NotReady', notReadyOf(cur.data.sync, cluster.data));
  const where = names.length > 1 ? (cluster.data !== undefined ? ` in cluster ${cluster.data}` : ' in any cluster') : '';
  const forbidden = cur.data.sync.kinds.find((k) => k.namespace === ns.value && k.state === 'forbidden' && (cluster.data === undefined || k.cluster === undefined || k.cluster === cluster.data));
  if (forbidden) return fail(403, 'Forbidden', `Chainboard may not read namespace ${ns.value}${forbidden.cluster && names.length > 1 ? ` in cluster ${forbidden.cluster}` : ''}: ${forbidden.message ?? 'forbidden'}`);
  const prefix = parts[0]!.result.namespacePrefix;
  const why = ns.value.startsWith(prefix)
    ? `namespace ${ns.value} does not exist${where} or holds nothing Chainboard reads`
    : `namespace ${ns.value} is not a client environment (names start with "${prefix}")`;
  return fail(404, 'NotFound', why);
}

/** Why a cluster has no analysis yet, from the summed-up sync. */
function notReadyOf(sync: SyncInfo, cluster: string): string {
  const c = sync.clusters?.find((x) => x.name === cluster);
  return `cluster ${cluster} has no data yet: ${c?.notReadyReason ?? 'its caches are syncing'}`;
}

async function getDomain(current: Current, raw: string, rawCluster: string | undefined): Promise<ApiOutcome<DomainResponse>> {
  const host = parseHost(raw);
  if (!host.ok) return fail(400, 'BadRequest', host.error);
  const cur = await current();
  if (!cur.ok) return cur;
  const cluster = checkCluster(rawCluster, cur.data.names);
  if (!cluster.ok) return cluster;
  const view = domainView(cur.data.parts, host.value, cluster.data);
  if (view) return { ok: true, data: view };
  if (cluster.data !== undefined && !cur.data.parts.some((p) => p.name === cluster.data)) return fail(503, 'NotReady', notReadyOf(cur.data.sync, cluster.data));
  const multi = cur.data.names.length > 1;
  const elsewhere = cluster.data !== undefined ? cur.data.parts.filter((p) => servesHost(p, host.value)).map((p) => p.name) : [];
  const where = multi ? (cluster.data !== undefined ? ` of cluster ${cluster.data}` : ' of any cluster') : '';
  const also = elsewhere.length ? ` (it is served by ${elsewhere.join(', ')})` : '';
  const missing = multi && cluster.data === undefined ? cur.data.sync.clusters?.filter((c) => !cur.data.parts.some((p) => p.name === c.name)).map((c) => c.name) ?? [] : [];
  const unknown = missing.length ? `; ${missing.join(', ')} ${missing.length > 1 ? 'have' : 'has'} no data yet` : '';
  return fail(404, 'NotFound', `no route in a client environment${where} serves ${host.value}${also}${unknown}`);
}
