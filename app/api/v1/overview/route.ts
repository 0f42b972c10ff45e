import { respond } from '@/lib/api/http';
import { apiRoute } from '@/lib/api/route';
import { getOverview } from '@/lib/api/service';

export const dynamic = 'force-dynamic';

/** GET /api/v1/overview?q=&health=&offset=&limit= — every client environment, worst first. */
export const GET = apiRoute('/api/v1/overview', async (request: Request) => {
  const sp = new URL(request.url).searchParams;
  return respond(await getOverview({ q: sp.get('q'), health: sp.get('health'), offset: sp.get('offset'), limit: sp.get('limit') }));
});
