import 'server-only';
/**
 * What the route handlers and server components call: validated lookups over the current analysis,
 * as `{ ok, data }` or `{ ok: false, status, body }`. No function here lists the cluster: the source
 * answers from its watch caches (or from a loaded dump).
 */
import type { AnalysisResult, Health } from '../model/chain';
import { HEALTH_ORDER } from '../model/chain';
import { parseHost, parseIntParam, parseNamespace } from './params';
import { DOMAIN_SORTS, type ApiErrorBody, type DomainResponse, type DomainSort, type DomainsResponse, type NamespaceResponse, type OverviewResponse, type SyncInfo } from './types';
import { domainsView, domainView, namespaceView, overviewView } from './views';
import type { AnalysisSource } from './source';

/** `json`, when present, is `data` already serialised (the overview caches it per analysis). */
export type ApiOutcome<T> = { ok: true; data: T; json?: string } | { ok: false; status: number; body: ApiErrorBody };

const fail = (status: number, reason: ApiErrorBody['error']['reason'], message: string) =>
  ({ ok: false, status, body: { error: { status, reason, message } } }) as const;

/** The read API over one analysis source: what route handlers, pages and the share service call. */
export interface ApiService {
  getOverview(params?: OverviewParams): Promise<ApiOutcome<OverviewResponse>>;
  getNamespace(raw: string): Promise<ApiOutcome<NamespaceResponse>>;
  getDomain(raw: string): Promise<ApiOutcome<DomainResponse>>;
  getDomains(params?: DomainsParams): Promise<ApiOutcome<DomainsResponse>>;
}

/**
 * The read API over the app's source. `source` starts it on first use and rejects while it cannot start
 * (no kubeconfig yet): every answer is then a 503 with the reason, and the next request tries again.
 */
export function createApiService(source: () => Promise<AnalysisSource>): ApiService {
  // Per analysis object (replaced, never mutated, on change): the serialised overview pages.
  const overviewCache = new WeakMap<AnalysisResult, Map<string, { rest: OverviewPage; json: string }>>();
  const domainsCache: DomainsCache = new WeakMap();
  const current = () => currentOf(source);
  return {
    getOverview: (params = {}) => getOverview(current, overviewCache, params),
    getNamespace: (raw) => getNamespace(current, raw),
    getDomain: (raw) => getDomain(current, raw),
    getDomains: (params = {}) => getDomains(current, domainsCache, params),
  };
}

type Current = () => Promise<ApiOutcome<{ result: AnalysisResult; sync: SyncInfo }>>;
type OverviewCache = WeakMap<AnalysisResult, Map<string, { rest: OverviewPage; json: string }>>;

/** The current analysis, or a 503 saying why there is none yet (before the first sync). */
async function currentOf(getSource: () => Promise<AnalysisSource>): Promise<ApiOutcome<{ result: AnalysisResult; sync: SyncInfo }>> {
  let source;
  try {
    source = await getSource();
  } catch (e) {
    // No kubeconfig, an unknown context, a bad probe setting: say so, and try again on the next request.
    return fail(503, 'NotReady', `Chainboard cannot reach a cluster: ${(e as Error).message}`);
  }
  const snap = source.current();
  if (!snap.result) return fail(503, 'NotReady', snap.notReadyReason ?? 'the cluster caches have not synced yet');
  return { ok: true, data: { result: snap.result, sync: snap.sync } };
}

export interface OverviewParams {
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

async function getOverview(current: Current, overviewCache: OverviewCache, params: OverviewParams): Promise<ApiOutcome<OverviewResponse>> {
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
  const { result, sync } = cur.data;
  const query = { q: params.q ?? undefined, health, offset: offset.value, limit: limit.value };
  // The page depends only on the analysis object (replaced, never mutated, on change), the query and
  // which namespaces are forbidden; its serialisation is as costly as building it (~1 ms each for 100
  // rows of a 500-namespace cluster), so both are done once per analysis and query. Only `sync`, which
  // changes on its own, is serialised per request.
  const forbidden = sync.kinds.filter((k) => k.state === 'forbidden' && k.namespace).map((k) => k.namespace).join(',');
  const key = JSON.stringify([query.q ?? '', query.health ?? '', query.offset, query.limit, forbidden]);
  let pages = overviewCache.get(result);
  if (!pages) overviewCache.set(result, (pages = new Map()));
  let page = pages.get(key);
  if (!page) {
    const { sync: _sync, analyzedAt: _at, ...rest } = overviewView(result, sync, query);
    page = { rest, json: JSON.stringify(rest) };
    // Bounded: free-text queries must not grow the cache without limit.
    if (pages.size >= 256) pages.delete(pages.keys().next().value!);
    pages.set(key, page);
  }
  const json = `{"analyzedAt":${JSON.stringify(result.analyzedAt)},"sync":${JSON.stringify(sync)},${page.json.slice(1)}`;
  return { ok: true, data: { analyzedAt: result.analyzedAt, sync, ...page.rest }, json };
}

type OverviewPage = Omit<OverviewResponse, 'sync' | 'analyzedAt'>;

export interface DomainsParams {
  q?: string | null;
  health?: string | null;
  sort?: string | null;
  offset?: string | null;
  limit?: string | null;
}

type DomainsPage = Omit<DomainsResponse, 'sync' | 'analyzedAt'>;
type DomainsCache = WeakMap<AnalysisResult, Map<string, { rest: DomainsPage; json: string }>>;

async function getDomains(current: Current, cache: DomainsCache, params: DomainsParams): Promise<ApiOutcome<DomainsResponse>> {
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
  const { result, sync } = cur.data;
  const query = { q: params.q?.trim().toLowerCase() || undefined, health: health.value, sort, offset: offset.value, limit: limit.value };
  // As for the overview: one filter, sort and serialisation per analysis object and query, since the
  // page renders under load and a thousand-domain sort is not free; only `sync` is serialised per request.
  const key = JSON.stringify([query.q ?? '', query.health ?? '', query.sort, query.offset, query.limit]);
  let pages = cache.get(result);
  if (!pages) cache.set(result, (pages = new Map()));
  let page = pages.get(key);
  if (!page) {
    const { sync: _sync, analyzedAt: _at, ...rest } = domainsView(result, sync, query);
    page = { rest, json: JSON.stringify(rest) };
    // Bounded: free-text queries must not grow the cache without limit.
    if (pages.size >= 256) pages.delete(pages.keys().next().value!);
    pages.set(key, page);
  }
  const json = `{"analyzedAt":${JSON.stringify(result.analyzedAt)},"sync":${JSON.stringify(sync)},${page.json.slice(1)}`;
  return { ok: true, data: { analyzedAt: result.analyzedAt, sync, ...page.rest }, json };
}

async function getNamespace(current: Current, raw: string): Promise<ApiOutcome<NamespaceResponse>> {
  const ns = parseNamespace(raw);
  if (!ns.ok) return fail(400, 'BadRequest', ns.error);
  const cur = await current();
  if (!cur.ok) return cur;
  const view = namespaceView(cur.data.result, cur.data.sync, ns.value);
  if (view) return { ok: true, data: view };
  const forbidden = cur.data.sync.kinds.find((k) => k.namespace === ns.value && k.state === 'forbidden');
  if (forbidden) return fail(403, 'Forbidden', `Chainboard may not read namespace ${ns.value}: ${forbidden.message ?? 'forbidden'}`);
  const prefix = cur.data.result.namespacePrefix;
  const why = ns.value.startsWith(prefix)
    ? `namespace ${ns.value} does not exist or holds nothing Chainboard reads`
    : `namespace ${ns.value} is not a client environment (names start with "${prefix}")`;
  return fail(404, 'NotFound', why);
}

async function getDomain(current: Current, raw: string): Promise<ApiOutcome<DomainResponse>> {
  const host = parseHost(raw);
  if (!host.ok) return fail(400, 'BadRequest', host.error);
  const cur = await current();
  if (!cur.ok) return cur;
  const view = domainView(cur.data.result, cur.data.sync, host.value);
  if (view) return { ok: true, data: view };
  return fail(404, 'NotFound', `no Ingress rule in a client environment serves ${host.value}`);
}
