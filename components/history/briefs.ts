/**
 * What the lists (overview, environment page) show of history, per row: since-when and one window's
 * uptime per domain, and per environment the same window over all its domains. Built on the server from
 * `history.summaries()` for the rows on the page only, so the page's payload stays small however many
 * domains the cluster has. Pure.
 */
import type { HostSummary, Since, UptimeWindow } from '../../lib/history/types';
import { formatRatio, uptimeOf, uptimeText } from './format';

export interface HostBrief {
  since?: Since;
  /** `99.2% · 1 h no data` over the lists' window. */
  uptime?: string;
}

export interface HistoryBriefs {
  /** Set when history cannot answer: the page says so once and the rows show nothing of history. */
  unavailable?: string;
  window: UptimeWindow;
  hosts: Record<string, HostBrief>;
  /** Per environment: the window's uptime over all its domains that history has (`99.2%`). */
  namespaces: Record<string, string>;
}

/** The lists' window. */
export const LIST_WINDOW: UptimeWindow = '30d';

/**
 * An environment's uptime: up time over up and down time of all its domains together (each domain's
 * no-data and unknown time left out, as for one domain); undefined when none has data.
 */
export function aggregateRatio(summaries: Iterable<HostSummary>, window: UptimeWindow): number | null | undefined {
  let up = 0;
  let down = 0;
  let any = false;
  for (const s of summaries) {
    const u = uptimeOf(s.uptime, window);
    if (!u) continue;
    any = true;
    up += u.seconds.healthy + u.seconds.degraded;
    down += u.seconds.down;
  }
  if (!any) return undefined;
  return up + down > 0 ? up / (up + down) : null;
}

/** The briefs of `hosts` and `namespaces`, or why there are none. */
export function historyBriefs(
  summaries: ReadonlyMap<string, HostSummary> | undefined,
  unavailableReason: string,
  hosts: Iterable<string>,
  namespaces: Iterable<string>,
  window: UptimeWindow = LIST_WINDOW,
): HistoryBriefs {
  if (!summaries) return { unavailable: unavailableReason, window, hosts: {}, namespaces: {} };
  const out: HistoryBriefs = { window, hosts: {}, namespaces: {} };
  for (const host of hosts) {
    const s = summaries.get(host);
    if (!s) continue;
    const u = uptimeOf(s.uptime, window);
    out.hosts[host] = { ...(s.since ? { since: s.since } : {}), ...(u ? { uptime: uptimeText(u) } : {}) };
  }
  const wanted = new Set(namespaces);
  if (wanted.size > 0) {
    const byNs = new Map<string, HostSummary[]>();
    for (const s of summaries.values()) {
      if (!wanted.has(s.namespace)) continue;
      const list = byNs.get(s.namespace);
      if (list) list.push(s);
      else byNs.set(s.namespace, [s]);
    }
    for (const [ns, list] of byNs) {
      const r = aggregateRatio(list, window);
      if (r !== undefined) out.namespaces[ns] = formatRatio(r);
    }
  }
  return out;
}
