import { apiRoute } from '@/lib/server/route';
import { svgResponse } from '@/lib/share/http';
import { sharedUptimeBadge } from '@/lib/share/uptime-badge';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/share/{token}/uptime.svg[?window=24h|7d|30d|90d&label=] — the uptime badge of a shared
 * link's host (default 30d). Public: the token is the credential. A refused token gets a 403 badge that
 * names no host; 503 while history is unavailable.
 */
export const GET = apiRoute('/api/v1/share/[token]/uptime.svg', async (request: Request, app, ctx: { params: Promise<{ token: string }> }) => {
  const { token } = await ctx.params;
  const sp = new URL(request.url).searchParams;
  const badge = await sharedUptimeBadge(app, token, sp.get('window'), sp.get('label'));
  return svgResponse(badge.svg, { status: badge.status, ifNoneMatch: request.headers.get('if-none-match') });
});
