import 'server-only';
/**
 * GET /api/healthz: the process answers. It does not depend on the cluster, so an API server outage never
 * makes the kubelet restart Chainboard. The production server's fast path answers it (lib/server/fast-path.ts),
 * ahead of page rendering, so it keeps answering while pages queue.
 */
export function healthResponse(): Response {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
