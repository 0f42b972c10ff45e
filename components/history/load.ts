import 'server-only';
/**
 * How pages read history: straight from `app.history`, like the rest of their data, never failing the
 * page. Every way history can fail (off, the database failing, a thrown error against the contract)
 * becomes `{ ok: false, reason }`, which the page shows as one muted line.
 */
import { chooseHistoryCluster } from '../../lib/api/history';
import type { DomainHistory, HostSummary, UptimeWindow } from '../../lib/history/types';
import { WINDOW_SECONDS } from '../../lib/history/types';
import type { App } from '../../lib/server/app';

/** `demo`: the store holds the demo's generated past, which the page must say is not measured. */
export type Loaded<T> = { ok: true; data: T; demo?: boolean } | { ok: false; reason: string };

/** The timeline windows a domain page offers (`?window=`). */
export const TIMELINE_WINDOWS = ['24h', '7d', '30d'] as const satisfies readonly UptimeWindow[];
export type TimelineWindow = (typeof TIMELINE_WINDOWS)[number];

export function parseTimelineWindow(raw: string | string[] | undefined): TimelineWindow {
  return (TIMELINE_WINDOWS as readonly string[]).includes(String(raw)) ? (raw as TimelineWindow) : '24h';
}

const reasonOf = (app: App) => app.history.status().reason ?? 'history did not answer';

/**
 * One domain's history in one cluster over the window ending now (cut to the retention), at most 1000
 * items. Without `cluster`: the cluster serving the host (see `chooseHistoryCluster`); a host two
 * clusters serve then says to pick one, since their pasts are two.
 */
export async function loadDomainHistory(app: App, host: string, window: UptimeWindow, cluster?: string): Promise<Loaded<DomainHistory>> {
  try {
    const status = app.history.status();
    if (!status.available) return { ok: false, reason: status.reason ?? 'history is off' };
    const chosen = await chooseHistoryCluster(app, { host }, cluster);
    if (!chosen.ok) return { ok: false, reason: chosen.message };
    const now = app.now();
    const back = Math.min(WINDOW_SECONDS[window] * 1000, status.retentionDays * 86_400_000);
    const data = await app.history.domain(host, { cluster: chosen.cluster, since: new Date(now.getTime() - back), until: now, limit: 1000 });
    const demo = status.demoClusters?.includes(chosen.cluster) ?? false;
    return data ? { ok: true, data, ...(demo ? { demo: true } : {}) } : { ok: false, reason: reasonOf(app) };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The cached since/uptime summaries of one cluster (default: the default cluster), or why there are none.
 * A list of several clusters' rows reads each row's cluster: a host's summary in one cluster says nothing
 * of the same host in another.
 */
export function loadSummaries(app: App, cluster?: string): Loaded<ReadonlyMap<string, HostSummary>> {
  try {
    const status = app.history.status();
    if (!status.available) return { ok: false, reason: status.reason ?? 'history is off' };
    const data = app.history.summaries(cluster ?? status.defaultCluster);
    return data ? { ok: true, data } : { ok: false, reason: 'history is loading' };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}
