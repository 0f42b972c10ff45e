import { apiRoute } from '@/lib/server/route';
import { namespaceHistoryResponse } from '@/lib/server/handlers';

export const dynamic = 'force-dynamic';

/** GET /api/v1/namespaces/{namespace}/history?since=&until=&limit=&cursor= — the same for every domain of one environment. */
export const GET = apiRoute('/api/v1/namespaces/[namespace]/history', async (request: Request, app, ctx: { params: Promise<{ namespace: string }> }) => {
  const { namespace } = await ctx.params;
  return namespaceHistoryResponse(app, namespace, request);
});
