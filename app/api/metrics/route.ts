import { apiRoute } from '@/lib/api/route';
import { getMetrics } from '@/lib/metrics/registry';

export const dynamic = 'force-dynamic';

/**
 * GET /api/metrics — Prometheus text format. Guarded like the rest of the API when CHAINBOARD_AUTH_TOKEN is
 * set (scrape with `authorization: { credentials: <token> }`). Not instrumented itself, so scrapes do not
 * show up in the API latency they report.
 */
export const GET = apiRoute(
  '/api/metrics',
  async () => {
    const { registry } = getMetrics();
    const body = await registry.metrics();
    return new Response(body, { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
  },
  { instrument: false },
);
