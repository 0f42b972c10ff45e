import { apiRoute } from '@/lib/server/route';
import { svgResponse } from '@/lib/share/http';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/domains/{host}/badge.svg[?label=] — a shields-style SVG: the host (or `label`) and its health
 * with a short reason, e.g. "down: no ready endpoints". ETag + `no-cache` so embeds revalidate cheaply.
 */
export const GET = apiRoute('/api/v1/domains/[host]/badge.svg', async (request: Request, app, ctx: { params: Promise<{ host: string }> }) => {
  const { host } = await ctx.params;
  const label = new URL(request.url).searchParams.get('label');
  const badge = await app.share.domainBadgeFor(host, label);
  return svgResponse(badge.svg, { status: badge.status, ifNoneMatch: request.headers.get('if-none-match') });
});
