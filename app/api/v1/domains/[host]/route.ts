import { apiRoute } from '@/lib/server/route';
import { domainResponse } from '@/lib/server/handlers';

export const dynamic = 'force-dynamic';

/** GET /api/v1/domains/{host} — the domain's chain and findings (the shape of `chainboard check --json`). */
export const GET = apiRoute('/api/v1/domains/[host]', async (request: Request, app, ctx: { params: Promise<{ host: string }> }) => {
  const { host } = await ctx.params;
  return domainResponse(app, host, request);
});
