import 'server-only';
/**
 * The read API's request handlers as plain functions of the app: the route modules under app/api/ and
 * the production server's fast path (lib/server/fast-path.ts) call these same functions, each through
 * `apiRoute`, so both answer with the same bytes.
 */
import { respond } from '../api/http';
import type { App } from './app';

/** GET /api/v1/domains/{host}/history and GET /api/v1/namespaces/{namespace}/history (lib/api/history.ts). */
export { domainHistoryResponse, namespaceHistoryResponse } from '../api/history';

/** GET /api/v1/overview?cluster=&q=&health=&offset=&limit= */
export async function overviewResponse(app: App, request: Request): Promise<Response> {
  const sp = new URL(request.url).searchParams;
  return respond(await app.api.getOverview({ cluster: sp.get('cluster'), q: sp.get('q'), health: sp.get('health'), offset: sp.get('offset'), limit: sp.get('limit') }));
}

/** GET /api/v1/domains?cluster=&q=&health=&sort=&offset=&limit= */
export async function domainsResponse(app: App, request: Request): Promise<Response> {
  const sp = new URL(request.url).searchParams;
  return respond(
    await app.api.getDomains({ cluster: sp.get('cluster'), q: sp.get('q'), health: sp.get('health'), sort: sp.get('sort'), offset: sp.get('offset'), limit: sp.get('limit') }),
  );
}

/** GET /api/v1/domains/{host}?cluster=; `host` is the decoded path segment. */
export async function domainResponse(app: App, host: string, request?: Request): Promise<Response> {
  const cluster = request ? new URL(request.url).searchParams.get('cluster') : null;
  return respond(await app.api.getDomain(host, cluster));
}

/** GET /api/v1/namespaces/{namespace}?cluster= */
export async function namespaceResponse(app: App, namespace: string, request?: Request): Promise<Response> {
  const cluster = request ? new URL(request.url).searchParams.get('cluster') : null;
  return respond(await app.api.getNamespace(namespace, cluster));
}

/**
 * GET /api/readyz: 200 once every watched kind has synced (or is known forbidden) in at least one
 * cluster, 503 before. A replica whose one remote cluster is down still serves the others, so it stays
 * in its Service; the clusters not ready are listed.
 */
export async function readyResponse(app: App): Promise<Response> {
  const headers = { 'cache-control': 'no-store' };
  try {
    const clusters = (await app.source()).clusters();
    const ready = clusters.filter((c) => c.result && c.sync.ready);
    const waiting = clusters.filter((c) => !(c.result && c.sync.ready)).map((c) => ({ cluster: c.name, reason: c.notReadyReason ?? 'caches are syncing' }));
    if (ready.length > 0) {
      const syncedAt = ready.map((c) => c.sync.syncedAt).filter((s): s is string => !!s).sort()[0];
      return Response.json({ status: 'ready', ...(syncedAt ? { syncedAt } : {}), ...(waiting.length ? { notReady: waiting } : {}) }, { headers });
    }
    const reason = waiting.length === 1 ? waiting[0]!.reason : waiting.map((w) => `${w.cluster}: ${w.reason}`).join('; ');
    return Response.json({ status: 'syncing', reason, kinds: clusters.flatMap((c) => c.sync.kinds.map((k) => (clusters.length > 1 ? { cluster: c.name, ...k } : k))) }, { status: 503, headers });
  } catch (e) {
    return Response.json({ status: 'error', reason: (e as Error).message }, { status: 503, headers });
  }
}

/** GET /api/metrics: the app's registry in Prometheus text format. */
export async function metricsResponse(app: App): Promise<Response> {
  const { registry } = app.metrics;
  const body = await registry.metrics();
  return new Response(body, { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
}
