import { apiRoute } from '@/lib/server/route';
import { svgResponse } from '@/lib/share/http';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/domains/{host}/badge.svg[?cluster=&label=] — a shields-style SVG: the host (or `label`) and
 * its health in that cluster (without `cluster`, the chain the domain API answers with) with a short
 * reason, e.g. "down: no ready endpoints". ETag + `no-cache` so embeds revalidate cheaply.
 */
export const GET = apiRoute('/api/v1/domains/[host]/badge.svg', async (request: Request, app, ctx: { params: Promise<{ host: string }> }) => {
  const { host } = await ctx.params;
  const query = new URL(request.url).searchParams;
  const badge = await app.share.domainBadgeFor(host, query.get('label'), query.get('cluster'));
  return svgResponse(badge.svg, { status: badge.status, ifNoneMatch: request.headers.get('if-none-match') });
});
