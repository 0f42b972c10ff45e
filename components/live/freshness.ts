import type { SyncInfo } from '../../lib/api/types';
import type { LiveReport } from './context';

/**
 * Since when (epoch ms, the browser's clock) the data on screen is known to be current: the answer's
 * own age of the data (`dataAgeMs`, from the last list, watch event or bookmark the server received)
 * counted back from when the answer arrived, so a silent watch makes "updated" grow even while the
 * page keeps getting answers, and the server's clock never mixes with the browser's. An answer without
 * that age (a dump) counts from its arrival.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#watch-bookmarks
 */
export function dataAsOf(sync: SyncInfo | undefined, answeredAt: number): number {
  return sync?.dataAgeMs !== undefined ? answeredAt - sync.dataAgeMs : answeredAt;
}

/** "Pods, Services and Events in hst-acme": the kinds named in `stalled`, for a sentence. */
export function kindList(kinds: readonly string[]): string {
  const unique = [...new Set(kinds)];
  if (unique.length <= 1) return unique[0] ?? 'some kinds';
  return `${unique.slice(0, -1).join(', ')} and ${unique.at(-1)}`;
}

/** The header's sync state: the word, its colour, and the detail for the title and screen readers. */
export interface SyncState {
  word: 'Offline' | 'Stale' | 'Partly stale' | 'Possibly stale' | 'Syncing' | 'Live';
  tone: string;
  detail?: string;
}

/**
 * What the header says about the page on screen: Chainboard unreachable, the cluster unreachable (last
 * good data), some of several clusters unreachable (partly stale: the others are current), some watches
 * silent past their bookmark period (possibly stale), syncing, or live.
 */
export function syncState(r: LiveReport, formatTime: (iso: string) => string): SyncState {
  if (r.errorStatus === 0) return { word: 'Offline', tone: 'bg-down', detail: 'Chainboard does not answer' };
  const clusters = r.sync?.clusters ?? [];
  const staleClusters = clusters.filter((c) => c.stale);
  if (clusters.length > 1 && staleClusters.length > 0 && staleClusters.length < clusters.length) {
    const detail = staleClusters.map((c) => `cluster ${c.name} unreachable since ${formatTime(c.stale!.since)}`).join('; ');
    return { word: 'Partly stale', tone: 'bg-degraded', detail };
  }
  if (r.sync?.stale) return { word: 'Stale', tone: 'bg-degraded', detail: `cluster unreachable since ${formatTime(r.sync.stale.since)}` };
  if (r.sync?.stalled) {
    return { word: 'Possibly stale', tone: 'bg-degraded', detail: `no update for ${kindList(r.sync.stalled.kinds)} since ${formatTime(r.sync.stalled.since)}` };
  }
  if (r.sync && !r.sync.ready) return { word: 'Syncing', tone: 'bg-unknown' };
  return { word: 'Live', tone: 'bg-healthy' };
}
