import { apiRoute } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

/** Liveness: the process answers. It does not depend on the cluster, so an API outage never restarts us. */
export const GET = apiRoute('/api/healthz', () => Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } }), { instrument: false });
