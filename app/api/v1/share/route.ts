import { respond } from '@/lib/api/http';
import { apiRoute } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

const MAX_BODY = 4096;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });

/** GET /api/v1/share — is sharing on? `{ enabled, message? }`, for the Share button. */
export const GET = apiRoute('/api/v1/share', (_request: Request, app) => json(200, app.share.status()));

/**
 * POST /api/v1/share `{ host, cluster?, ttl? }` — a signed, expiring link to the redacted view of one host
 * in one cluster. 201 with `{ host, cluster, token, path, url?, badgePath, expiresAt }`; 403 when sharing
 * is off; 404 for a host (or cluster) Chainboard does not serve; 400 without `cluster` for a host two
 * clusters serve. Needs the dashboard's auth (apiRoute checks it).
 */
export const POST = apiRoute('/api/v1/share', async (request: Request, app) => {
  // A JSON body cannot be sent cross-site without a CORS preflight (which is never granted): together with
  // the SameSite=Strict session cookie this keeps other sites from minting links.
  if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) {
    return json(415, { error: { status: 415, reason: 'BadRequest', message: 'send the body as application/json' } });
  }
  const text = await request.text();
  if (text.length > MAX_BODY) return json(413, { error: { status: 413, reason: 'BadRequest', message: 'the body is too large' } });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return json(400, { error: { status: 400, reason: 'BadRequest', message: 'the body is not valid JSON' } });
  }
  const outcome = await app.share.createShareLink(body, app.now());
  if (!outcome.ok) return respond(outcome);
  return json(201, outcome.data);
});
