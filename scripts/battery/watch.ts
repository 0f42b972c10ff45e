/**
 * Freshness against a misbehaving API server, through demo admin actions (demo/admin.ts):
 * - a frozen watch (the stream stays open, nothing arrives, not even bookmarks) must show: readyz or the
 *   sync info stops claiming fresh data within a few bookmark intervals;
 * - after the API server's state is reset (resourceVersions start over), a deleted domain must be gone
 *   within seconds.
 * Each check needs its admin action; while demo/admin.ts has none, the check is skipped as pending.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type BatteryEnv } from './env';
import { rawRequest } from './http';
import { skip, verdict, type Check, type Outcome } from './report';

/** The demo's default bookmark interval (demo/server.ts `bookmarkIntervalMs`). */
const BOOKMARK_INTERVAL_MS = 15_000;
/** A frozen watch must show within this: three bookmark intervals and a margin. */
const FREEZE_NOTICE_LIMIT_MS = 3 * BOOKMARK_INTERVAL_MS + 5_000;
/** A deleted domain must be gone within this after a reset. */
const GONE_LIMIT_MS = 5_000;

/** The admin action of demo/admin.ts whose name matches `pattern`, if there is one. */
export function adminAction(pattern: RegExp): string | undefined {
  const source = readFileSync(join(ROOT, 'demo', 'admin.ts'), 'utf8');
  for (const m of source.matchAll(/(?:post\(|pattern:\s*)'([^']+)'/g)) if (m[1] && pattern.test(m[1])) return m[1];
  return undefined;
}

async function admin(env: BatteryEnv, action: string, body: unknown): Promise<string> {
  const res = await fetch(`${env.demo.url}/demo/v1/${action}`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST /demo/v1/${action}: ${res.status} ${text.slice(0, 200)}`);
  return text;
}

/** The sync info of the API's answers (lib/api/types.ts `SyncInfo`), the part judged here. */
interface SyncInfo {
  ready?: boolean;
  stale?: unknown;
  kinds?: { kind: string; state: string }[];
}

/**
 * What the server says about its freshness: readyz, and the overview's sync info. Fresh means readyz 200,
 * `ready`, no `stale`, and every kind synced (or forbidden, which is data too).
 */
async function freshness(env: BatteryEnv): Promise<{ fresh: boolean; said: string }> {
  const ready = await rawRequest(env.port, { target: '/api/readyz', timeoutMs: 5000 });
  const overview = await rawRequest(env.port, { target: '/api/v1/overview?limit=1', headers: env.auth, timeoutMs: 5000 });
  const sync = (JSON.parse(overview.body.toString()) as { sync?: SyncInfo }).sync ?? {};
  const unsynced = (sync.kinds ?? []).filter((k) => k.state !== 'synced' && k.state !== 'forbidden');
  const fresh = ready.status === 200 && sync.ready === true && !sync.stale && !unsynced.length;
  const kinds = unsynced.length ? `kinds ${unsynced.map((k) => `${k.kind} ${k.state}`).join(', ')}` : 'every kind synced';
  return { fresh, said: `readyz ${ready.status}, sync ready=${sync.ready} stale=${JSON.stringify(sync.stale ?? null)}, ${kinds}` };
}

/** A frozen watch stream becomes visible in readyz or the sync info. */
export const frozenWatchCheck: Check<BatteryEnv> = {
  name: 'frozen-watch-visible',
  timeoutMs: FREEZE_NOTICE_LIMIT_MS + 30_000,
  async run(env, signal): Promise<Outcome> {
    const action = adminAction(/freez|stall|hang|silen/i);
    if (!action) return skip('pending: demo/admin.ts has no action that freezes watch streams without closing them');
    const before = await freshness(env);
    if (!before.fresh) return verdict(false, `not fresh before the freeze: ${before.said}`);
    await admin(env, action, { seconds: 60 });
    try {
      const started = Date.now();
      let last = before;
      while (!signal.aborted && Date.now() - started < FREEZE_NOTICE_LIMIT_MS) {
        await new Promise((r) => setTimeout(r, 1000));
        last = await freshness(env);
        if (!last.fresh) return verdict(true, `watches frozen (${action}): stale shown after ${((Date.now() - started) / 1000).toFixed(1)} s (${last.said})`);
      }
      return verdict(false, `watches frozen (${action}): still claimed fresh after ${FREEZE_NOTICE_LIMIT_MS / 1000} s (${last.said})`);
    } finally {
      // The checks after this one need a cluster that talks again.
      await admin(env, 'unfreeze-watches', {}).catch(() => undefined);
    }
  },
};

/**
 * An etcd restore: a domain created after the snapshot is gone from the API server once it is reset to
 * the snapshot (resourceVersions go back), and must be gone from Chainboard within seconds, not linger
 * as a ghost served from the cache.
 */
export const resetDeleteCheck: Check<BatteryEnv> = {
  name: 'reset-then-deleted-domain-gone',
  timeoutMs: 60_000,
  async run(env, signal): Promise<Outcome> {
    const action = adminAction(/^reset$/i);
    if (!action || !adminAction(/^snapshot$/i)) return skip('pending: demo/admin.ts has no snapshot and reset actions (an etcd-style restore)');
    const host = 'battery-ghost.acme.junovy.com';
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { namespace: 'hst-acme', name: 'battery-ghost' },
      spec: { ingressClassName: 'traefik-external', rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'storefront', port: { number: 80 } } } }] } }] },
    };
    const status = async () => (await rawRequest(env.port, { target: `/api/v1/domains/${host}`, headers: env.auth, timeoutMs: 5000 })).status;
    const until = async (want: (s: number) => boolean, ms: number) => {
      const from = Date.now();
      let last = await status();
      while (!want(last) && Date.now() - from < ms && !signal.aborted) {
        await new Promise((r) => setTimeout(r, 200));
        last = await status();
      }
      return { last, ms: Date.now() - from };
    };
    await admin(env, 'snapshot', {});
    await admin(env, 'apply', ingress);
    const seen = await until((s) => s !== 404, 15_000);
    if (seen.last === 404) return verdict(false, `the new domain ${host} never showed (still 404 after ${seen.ms} ms)`);
    await admin(env, action, {});
    const gone = await until((s) => s === 404, GONE_LIMIT_MS * 3);
    if (gone.last !== 404) return verdict(false, `after the reset to the snapshot, ${host} still answers ${gone.last} after ${gone.ms} ms: a ghost`);
    return verdict(gone.ms <= GONE_LIMIT_MS, `after the reset to a snapshot taken before it existed, ${host} answered 404 after ${gone.ms} ms (limit ${GONE_LIMIT_MS} ms)`);
  },
};
