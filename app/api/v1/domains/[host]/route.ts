import { respond } from '@/lib/api/http';
import { apiRoute } from '@/lib/api/route';
import { getDomain } from '@/lib/api/service';

export const dynamic = 'force-dynamic';

/** GET /api/v1/domains/{host} — the domain's chain and findings (the shape of `chainboard check --json`). */
export const GET = apiRoute('/api/v1/domains/[host]', async (_request: Request, ctx: { params: Promise<{ host: string }> }) => {
  const { host } = await ctx.params;
  return respond(await getDomain(host));
});
