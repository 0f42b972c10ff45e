import { apiRoute } from '@/lib/server/route';
import { domainsResponse } from '@/lib/server/handlers';

export const dynamic = 'force-dynamic';

/** GET /api/v1/domains?q=&health=&sort=&offset=&limit= — every domain of every client environment. */
export const GET = apiRoute('/api/v1/domains', (request: Request, app) => domainsResponse(app, request));
