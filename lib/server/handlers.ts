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

/** GET /api/v1/overview?q=&health=&offset=&limit= */
export async function overviewResponse(app: App, request: Request): Promise<Response> {
  const sp = new URL(request.url).searchParams;
  return respond(await app.api.getOverview({ q: sp.get('q'), health: sp.get('health'), offset: sp.get('offset'), limit: sp.get('limit') }));
}

/** GET /api/v1/domains?q=&health=&sort=&offset=&limit= */
export async function domainsResponse(app: App, request: Request): Promise<Response> {
  const sp = new URL(request.url).searchParams;
  return respond(
    await app.api.getDomains({ q: sp.get('q'), health: sp.get('health'), sort: sp.get('sort'), offset: sp.get('offset'), limit: sp.get('limit') }),
  );
}

/** GET /api/v1/domains/{host}; `host` is the decoded path segment. */
export async function domainResponse(app: App, host: string): Promise<Response> {
  return respond(await app.api.getDomain(host));
}

/** GET /api/v1/namespaces/{namespace} */
export async function namespaceResponse(app: App, namespace: string): Promise<Response> {
  return respond(await app.api.getNamespace(namespace));
}

/** GET /api/readyz: 200 once every watched kind has synced (or is known forbidden), 503 before. */
export async function readyResponse(app: App): Promise<Response> {
  const headers = { 'cache-control': 'no-store' };
  try {
    const state = (await app.source()).current();
    if (state.result && state.sync.ready) return Response.json({ status: 'ready', syncedAt: state.sync.syncedAt }, { headers });
    return Response.json({ status: 'syncing', reason: state.notReadyReason ?? 'caches are syncing', kinds: state.sync.kinds }, { status: 503, headers });
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
