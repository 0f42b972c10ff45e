import { respond } from '@/lib/api/http';
import { getNamespace } from '@/lib/api/service';

export const dynamic = 'force-dynamic';

/** GET /api/v1/namespaces/{namespace} — one client environment. */
export async function GET(_request: Request, ctx: { params: Promise<{ namespace: string }> }) {
  const { namespace } = await ctx.params;
  return respond(await getNamespace(namespace));
}
