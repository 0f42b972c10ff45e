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
    const started = Date.now();
    let last = before;
    while (!signal.aborted && Date.now() - started < FREEZE_NOTICE_LIMIT_MS) {
      await new Promise((r) => setTimeout(r, 1000));
      last = await freshness(env);
      if (!last.fresh) return verdict(true, `watches frozen (${action}): stale shown after ${((Date.now() - started) / 1000).toFixed(1)} s (${last.said})`);
    }
    return verdict(false, `watches frozen (${action}): still claimed fresh after ${FREEZE_NOTICE_LIMIT_MS / 1000} s (${last.said})`);
  },
};

/** After a reset of the API server's state, a deleted domain disappears within seconds. */
export const resetDeleteCheck: Check<BatteryEnv> = {
  name: 'reset-then-deleted-domain-gone',
  timeoutMs: 60_000,
  async run(env, signal): Promise<Outcome> {
    const action = adminAction(/reset/i);
    if (!action) return skip('pending: demo/admin.ts has no action that resets the state (resourceVersions starting over)');
    await admin(env, action, {});
    // The domain to delete: the first of the Ingresses that is still there after the reset.
    const list = (await (await fetch(`${env.demo.url}/apis/networking.k8s.io/v1/ingresses`, { signal: AbortSignal.timeout(5000) })).json()) as {
      items: { metadata: { namespace: string; name: string }; spec?: { rules?: { host?: string }[] } }[];
    };
    const victim = list.items.find((i) => i.metadata.namespace.startsWith('hst-') && i.spec?.rules?.some((r) => r.host && !r.host.startsWith('*')));
    const host = victim?.spec?.rules?.find((r) => r.host && !r.host.startsWith('*'))?.host;
    if (!victim || !host) return verdict(false, `no Ingress with a host left after ${action}`);
    const status = async () => (await rawRequest(env.port, { target: `/api/v1/domains/${host}`, headers: env.auth, timeoutMs: 5000 })).status;
    // The server must have caught up with the reset before the deletion is timed.
    const waitFrom = Date.now();
    while ((await status()) !== 200 && Date.now() - waitFrom < 15_000 && !signal.aborted) await new Promise((r) => setTimeout(r, 250));
    const others = list.items.filter((i) => i !== victim && i.spec?.rules?.some((r) => r.host === host));
    for (const i of [victim, ...others]) await admin(env, 'delete', { kind: 'Ingress', namespace: i.metadata.namespace, name: i.metadata.name });
    const started = Date.now();
    let last = 0;
    while (!signal.aborted && Date.now() - started < GONE_LIMIT_MS * 3) {
      last = await status();
      if (last === 404) {
        const ms = Date.now() - started;
        return verdict(ms <= GONE_LIMIT_MS, `after ${action}, deleted Ingress ${victim.metadata.namespace}/${victim.metadata.name}: ${host} answered 404 after ${ms} ms (limit ${GONE_LIMIT_MS} ms)`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return verdict(false, `after ${action}, deleted Ingress ${victim.metadata.namespace}/${victim.metadata.name}: ${host} still ${last} after ${GONE_LIMIT_MS * 3} ms`);
  },
};
