import { respond } from '@/lib/api/http';
import { apiRoute } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/share/{token} — the redacted view of a share link's one domain, as JSON: what the share
 * page polls to stay current. Public: the token is the credential, and it grants this one view until it
 * expires. 403 for a refused token (the message names no domain); 404 when the domain is gone; 503
 * while there is no current data.
 */
export const GET = apiRoute('/api/v1/share/[token]', async (_request: Request, app, ctx: { params: Promise<{ token: string }> }) => {
  const { token } = await ctx.params;
  return respond(await app.share.readSharedDomain(token, app.now()));
});
