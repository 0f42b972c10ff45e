import { apiRoute } from '@/lib/server/route';
import { readyResponse } from '@/lib/server/handlers';

export const dynamic = 'force-dynamic';

/** Readiness: 200 once every watched kind has synced (or is known forbidden), 503 before. Public (kubelet probes); not instrumented. */
export const GET = apiRoute('/api/readyz', (_request: Request, app) => readyResponse(app), { instrument: false });
