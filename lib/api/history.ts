import 'server-only';
/**
 * The history endpoints' handlers: `GET /api/v1/domains/{host}/history` and
 * `GET /api/v1/namespaces/{ns}/history`, as plain functions of the app like lib/server/handlers.ts.
 *
 * Order of the checks: the name (400), the query's syntax (400), the live lookup (404/403 as the live
 * endpoints answer), whether history is available (503 with its reason), the retention (400), then the
 * store. A host or namespace the live view no longer serves still answers when history knows it (a
 * domain removed yesterday keeps its past until the retention drops it); one neither knows is the live
 * endpoint's 404.
 */
import { DEFAULT_HISTORY_CLUSTER, type HistoryQuery, type HistoryService, type HistoryStatus } from '../history/types';
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
 * What both endpoints share once the name is valid: the query, the live answer (`live`: its status),
 * history's availability and the retention.
 */
function prepare(app: App, request: Request, live: { status: number; body?: ApiErrorBody }): Prepared {
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
  return { ok: true, history, query: { cluster: status.cluster ?? DEFAULT_HISTORY_CLUSTER, ...range.value }, served: live.status === 200 };
}

function ok(data: unknown): Response {
  return new Response(JSON.stringify(data), { status: 200, headers: JSON_HEADERS });
}

/** GET /api/v1/domains/{host}/history?since=&until=&limit=&cursor= */
export async function domainHistoryResponse(app: App, rawHost: string, request: Request): Promise<Response> {
  const host = parseHost(rawHost);
  if (!host.ok) return errorResponse(400, 'BadRequest', host.error);
  const live = await app.api.getDomain(host.value);
  const p = prepare(app, request, live.ok ? { status: 200 } : live);
  if (!p.ok) return p.response;
  const data = await p.history.domain(host.value, p.query);
  if (!data) return historyUnavailable(p.history.status());
  const known = data.current !== undefined || data.transitions.length > 0 || data.changes.length > 0 || data.incidents.length > 0;
  if (!p.served && !known) return liveError(live);
  return ok(data);
}

/** GET /api/v1/namespaces/{namespace}/history?since=&until=&limit=&cursor= */
export async function namespaceHistoryResponse(app: App, rawNamespace: string, request: Request): Promise<Response> {
  const ns = parseNamespace(rawNamespace);
  if (!ns.ok) return errorResponse(400, 'BadRequest', ns.error);
  const live = await app.api.getNamespace(ns.value);
  const p = prepare(app, request, live.ok ? { status: 200 } : live);
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

/** The cluster the app's history keys carry (what `summaries()` and the queries are asked for). */
export function historyCluster(history: HistoryService): string {
  return history.status().cluster ?? DEFAULT_HISTORY_CLUSTER;
}
