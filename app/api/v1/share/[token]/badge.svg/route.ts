import { apiRoute } from '@/lib/server/route';
import { svgResponse } from '@/lib/share/http';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/share/{token}/badge.svg[?label=] — the health badge of a shared link's host. Public: the
 * token is the credential. A refused token gets a 403 badge that names no host.
 */
export const GET = apiRoute('/api/v1/share/[token]/badge.svg', async (request: Request, app, ctx: { params: Promise<{ token: string }> }) => {
  const { token } = await ctx.params;
  const label = new URL(request.url).searchParams.get('label');
  const badge = await app.share.sharedBadgeFor(token, app.now(), label);
  return svgResponse(badge.svg, { status: badge.status, ifNoneMatch: request.headers.get('if-none-match') });
});
