import { apiRoute } from '@/lib/server/route';
import { healthResponse } from '@/lib/server/liveness';

export const dynamic = 'force-dynamic';

/** Liveness: the process answers. It does not depend on the cluster, so an API outage never restarts us. */
export const GET = apiRoute('/api/healthz', () => healthResponse(), { instrument: false });
