import { apiRoute } from '@/lib/api/route';
import { getSource } from '@/lib/api/source';

export const dynamic = 'force-dynamic';

/** Readiness: 200 once every watched kind has synced (or is known forbidden), 503 before. Public (kubelet probes); not instrumented. */
async function ready(): Promise<Response> {
  const headers = { 'cache-control': 'no-store' };
  try {
    const state = (await getSource()).current();
    if (state.result && state.sync.ready) return Response.json({ status: 'ready', syncedAt: state.sync.syncedAt }, { headers });
    return Response.json({ status: 'syncing', reason: state.notReadyReason ?? 'caches are syncing', kinds: state.sync.kinds }, { status: 503, headers });
  } catch (e) {
    return Response.json({ status: 'error', reason: (e as Error).message }, { status: 503, headers });
  }
}

export const GET = apiRoute('/api/readyz', ready, { instrument: false });
