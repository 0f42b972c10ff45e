import { apiRoute } from '@/lib/server/route';
import { namespaceResponse } from '@/lib/server/handlers';

export const dynamic = 'force-dynamic';

/** GET /api/v1/namespaces/{namespace} — one client environment. */
export const GET = apiRoute('/api/v1/namespaces/[namespace]', async (request: Request, app, ctx: { params: Promise<{ namespace: string }> }) => {
  const { namespace } = await ctx.params;
  return namespaceResponse(app, namespace, request);
});
