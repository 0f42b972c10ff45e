import { apiRoute } from '@/lib/server/route';
import { overviewResponse } from '@/lib/server/handlers';

export const dynamic = 'force-dynamic';

/** GET /api/v1/overview?q=&health=&offset=&limit= — every client environment, worst first. */
export const GET = apiRoute('/api/v1/overview', (request: Request, app) => overviewResponse(app, request));
