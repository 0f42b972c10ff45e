import { respond } from '@/lib/api/http';
import { apiRoute } from '@/lib/api/route';
import { getNamespace } from '@/lib/api/service';

export const dynamic = 'force-dynamic';

/** GET /api/v1/namespaces/{namespace} — one client environment. */
export const GET = apiRoute('/api/v1/namespaces/[namespace]', async (_request: Request, ctx: { params: Promise<{ namespace: string }> }) => {
  const { namespace } = await ctx.params;
  return respond(await getNamespace(namespace));
});
