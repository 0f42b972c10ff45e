import 'server-only';
/**
 * The history endpoints' handlers: `GET /api/v1/domains/{host}/history` and
 * `GET /api/v1/namespaces/{ns}/history`, as plain functions of the app like lib/server/handlers.ts.
 *
 * Order of the checks: the name (400), the cluster (404 for one neither the configuration nor history
 * knows; 400 when no `cluster` is given and two clusters serve the name), the query's syntax (400), the
 * live lookup in that cluster (404/403 as the live endpoints answer), whether history is available (503
 * with its reason), the retention (400), then the store.
 *
 * Each cluster's history is its own: the answer names its `cluster`. Without `?cluster=` the cluster is
 * the one that serves the name - live, or else the one history knows it in - and the default cluster
 * when neither tells. A host or namespace the live view no longer serves still answers when history knows it (a
 * domain removed yesterday keeps its past until the retention drops it); one neither knows is the live
 * endpoint's 404.
 */
import type { HistoryQuery, HistoryService, HistoryStatus } from '../history/types';
import type { App } from '../server/app';
import { checkRetention, parseHistoryQuery } from './history-params';
import { parseHost, parseNamespace } from './params';
import type { ApiErrorBody } from './types';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;

function errorResponse(status: number, reason: ApiErrorBody['error']['reason'], message: string): Response {
  const body: ApiErrorBody = { error: { status, reason, message } };
  return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
}

/**
 * 503 while history is unavailable: the usual error body plus `reason` (why, from `history.status()`)
 * and `engine`. Only a failing database is worth retrying soon; history turned off is not.
 */
export function historyUnavailable(status: HistoryStatus): Response {
  const reason = status.reason ?? 'history is unavailable';
  const body = { error: { status: 503, reason: 'NotReady', message: `History is unavailable: ${reason}` }, reason, engine: status.engine };
  const headers = status.engine === 'off' ? JSON_HEADERS : { ...JSON_HEADERS, 'retry-after': '30' };
  return new Response(JSON.stringify(body), { status: 503, headers });
}

type Prepared = { ok: true; history: HistoryService; query: HistoryQuery; served: boolean } | { ok: false; response: Response };

/**
 * The clusters a history request may name: the configured ones (first the first), and those history
 * still keeps (a cluster no longer watched keeps its past until the retention drops it).
 */
export async function historyClusters(app: Pick<App, 'api' | 'history'>): Promise<string[]> {
  const live = await app.api.clusterNames().catch(() => [] as string[]);
  const kept = app.history.clusters() ?? [];
  return [...new Set([...live, app.history.status().defaultCluster, ...kept])];
}

/** Which cluster's history a request reads, or why it cannot say. */
export type ClusterChoice = { ok: true; cluster: string } | { ok: false; status: 400 | 404; message: string };

/**
 * The cluster of a history read about `scope`: `raw` (the `cluster` parameter) when it names a known
 * cluster (else 404); without it, the one cluster serving the name live, else the one cluster whose
 * history knows it, else the first cluster. Two clusters serving it (a client being moved) is a 400
 * asking for the parameter: their pasts are two, and neither is the other's.
 */
export async function chooseHistoryCluster(
  app: Pick<App, 'api' | 'history'>,
  scope: { host: string } | { namespace: string },
  raw: string | null | undefined,
): Promise<ClusterChoice> {
  const known = await historyClusters(app);
  if (raw !== null && raw !== undefined && raw !== '') {
    if (known.includes(raw)) return { ok: true, cluster: raw };
    return { ok: false, status: 404, message: `no cluster is named "${raw.slice(0, 63)}" (clusters: ${known.join(', ')})` };
  }
  const name = 'host' in scope ? scope.host : scope.namespace;
  let serving: string[] = [];
  if ('host' in scope) {
    const live = await app.api.getDomain(scope.host);
    if (live.ok) serving = live.data.servedBy?.map((s) => s.cluster) ?? [live.data.domain.cluster];
  } else {
    const live = await app.api.getNamespace(scope.namespace);
    if (live.ok) serving = [live.data.cluster, ...(live.data.otherClusters ?? [])];
  }
  if (serving.length === 0) {
    // Not served now: the clusters whose history knows the name (from the summaries cache).
    serving = known.filter((c) => {
      const sums = app.history.summaries(c);
      if (!sums) return false;
      if ('host' in scope) return sums.has(scope.host);
      for (const s of sums.values()) if (s.namespace === scope.namespace) return true;
      return false;
    });
  }
  if (serving.length === 1) return { ok: true, cluster: serving[0]! };
  if (serving.length > 1) {
    return { ok: false, status: 400, message: `${name} is served by several clusters (${serving.join(', ')}); each has its own history: pass cluster=<name>` };
  }
  // Nobody serves or remembers it: the first cluster, whose answer is then the live 404.
  return { ok: true, cluster: known[0]! };
}

/**
 * What both endpoints share once the name and cluster are valid: the query, the live answer (`live`:
 * its status), history's availability and the retention.
 */
function prepare(app: App, request: Request, cluster: string, live: { status: number; body?: ApiErrorBody }): Prepared {
  const now = app.now();
  const range = parseHistoryQuery(new URL(request.url).searchParams, now);
  if (!range.ok) return { ok: false, response: errorResponse(400, 'BadRequest', range.error) };
  // Forbidden stays forbidden: history does not open a namespace the live view may not read.
  if (live.status === 403 && live.body) return { ok: false, response: errorResponse(403, 'Forbidden', live.body.error.message) };
  const history = app.history;
  const status = history.status();
  if (!status.available) {
    // Without history only the live view can say whether the name exists at all.
    if (live.status === 404 && live.body) return { ok: false, response: errorResponse(404, 'NotFound', live.body.error.message) };
    return { ok: false, response: historyUnavailable(status) };
  }
  const kept = checkRetention(range.value, now, status.retentionDays);
  if (!kept.ok) return { ok: false, response: errorResponse(400, 'BadRequest', kept.error) };
  return { ok: true, history, query: { cluster, ...range.value }, served: live.status === 200 };
}

function ok(data: unknown): Response {
  return new Response(JSON.stringify(data), { status: 200, headers: JSON_HEADERS });
}

/** GET /api/v1/domains/{host}/history?cluster=&since=&until=&limit=&cursor= */
export async function domainHistoryResponse(app: App, rawHost: string, request: Request): Promise<Response> {
  const host = parseHost(rawHost);
  if (!host.ok) return errorResponse(400, 'BadRequest', host.error);
  const cluster = await chooseHistoryCluster(app, { host: host.value }, new URL(request.url).searchParams.get('cluster'));
  if (!cluster.ok) return errorResponse(cluster.status, cluster.status === 404 ? 'NotFound' : 'BadRequest', cluster.message);
  const live = await app.api.getDomain(host.value, cluster.cluster);
  const p = prepare(app, request, cluster.cluster, live.ok ? { status: 200 } : live);
  if (!p.ok) return p.response;
  const data = await p.history.domain(host.value, p.query);
  if (!data) return historyUnavailable(p.history.status());
  const known = data.current !== undefined || data.transitions.length > 0 || data.changes.length > 0 || data.incidents.length > 0;
  if (!p.served && !known) return liveError(live);
  return ok(data);
}

/** GET /api/v1/namespaces/{namespace}/history?cluster=&since=&until=&limit=&cursor= */
export async function namespaceHistoryResponse(app: App, rawNamespace: string, request: Request): Promise<Response> {
  const ns = parseNamespace(rawNamespace);
  if (!ns.ok) return errorResponse(400, 'BadRequest', ns.error);
  const cluster = await chooseHistoryCluster(app, { namespace: ns.value }, new URL(request.url).searchParams.get('cluster'));
  if (!cluster.ok) return errorResponse(cluster.status, cluster.status === 404 ? 'NotFound' : 'BadRequest', cluster.message);
  const live = await app.api.getNamespace(ns.value, cluster.cluster);
  const p = prepare(app, request, cluster.cluster, live.ok ? { status: 200 } : live);
  if (!p.ok) return p.response;
  const data = await p.history.namespace(ns.value, p.query);
  if (!data) return historyUnavailable(p.history.status());
  const known = data.hosts.length > 0 || data.transitions.length > 0 || data.changes.length > 0;
  if (!p.served && !known) return liveError(live);
  return ok(data);
}

/** The live endpoint's own error, for a name history does not know either. */
function liveError(live: { ok: true } | { ok: false; status: number; body: ApiErrorBody }): Response {
  if (live.ok) throw new Error('liveError called for a served name');
  return new Response(JSON.stringify(live.body), { status: live.status, headers: live.status === 503 ? { ...JSON_HEADERS, 'retry-after': '2' } : JSON_HEADERS });
}
