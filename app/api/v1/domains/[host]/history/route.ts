import { apiRoute } from '@/lib/server/route';
import { domainHistoryResponse } from '@/lib/server/handlers';

export const dynamic = 'force-dynamic';

/** GET /api/v1/domains/{host}/history?since=&until=&limit=&cursor= — the domain's transitions, changes, incidents and uptime. */
export const GET = apiRoute('/api/v1/domains/[host]/history', async (request: Request, app, ctx: { params: Promise<{ host: string }> }) => {
  const { host } = await ctx.params;
  return domainHistoryResponse(app, host, request);
});
