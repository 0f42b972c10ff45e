import { apiRoute } from '@/lib/server/route';
import { metricsResponse } from '@/lib/server/handlers';

export const dynamic = 'force-dynamic';

/**
 * GET /api/metrics — Prometheus text format. Guarded like the rest of the API when CHAINBOARD_AUTH_TOKEN is
 * set (scrape with `authorization: { credentials: <token> }`). Not instrumented itself, so scrapes do not
 * show up in the API latency they report.
 */
export const GET = apiRoute('/api/metrics', (_request: Request, app) => metricsResponse(app), { instrument: false });
