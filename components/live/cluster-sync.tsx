'use client';
import type { ClusterSync, SyncInfo } from '../../lib/api/types';
import { formatUtc } from '../ui/format';
import { RelativeTime } from '../ui/time';
import { kindList } from './freshness';

/**
 * The page's summed-up sync without the staleness that belongs to single clusters: with several clusters
 * each shows its own (ClusterBanner), and the page's banner must not paint every cluster stale for one.
 */
export function withoutClusterStaleness(sync: SyncInfo): SyncInfo {
  const { stale: _stale, stalled: _stalled, ...rest } = sync;
  return rest;
}

/** One cluster's state in a few words, for its section's heading line. */
export function ClusterSyncLine({ sync }: { sync: ClusterSync }) {
  const [word, tone] = sync.stale
    ? ['Stale', 'bg-degraded']
    : sync.stalled
      ? ['Possibly stale', 'bg-degraded']
      : !sync.ready
        ? [sync.syncedAt ? 'Syncing' : 'No data yet', 'bg-unknown']
        : ['Live', 'bg-healthy'];
  return (
    <p className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400" data-testid="cluster-sync">
      <span aria-hidden="true" className={`inline-block h-2 w-2 rounded-full ${tone}`} />
      <span className="font-semibold text-zinc-800 dark:text-zinc-200">{word}</span>
      {sync.syncedAt ? <span>· data from {formatUtc(sync.syncedAt)}</span> : null}
    </p>
  );
}

/**
 * The banner of one cluster whose data is not current: its API server unreachable (its last good data is
 * shown), its watches silent, or no data yet and why. Nothing while it is live.
 */
export function ClusterBanner({ sync }: { sync: ClusterSync }) {
  if (sync.stale) {
    return (
      <div role="alert" className="rounded-md border border-degraded/50 bg-degraded/10 px-3 py-2 text-sm text-zinc-900 dark:text-zinc-100">
        <strong className="text-degraded">
          Cluster {sync.name}: stale since {formatUtc(sync.stale.since)}
        </strong>{' '}
        (<RelativeTime at={sync.stale.since} />
        ): its Kubernetes API server does not answer, so its environments show the last good data.
        {sync.stale.error ? <span className="block text-xs text-zinc-600 dark:text-zinc-400">{sync.stale.error}</span> : null}
      </div>
    );
  }
  if (sync.stalled) {
    return (
      <div role="status" className="rounded-md border border-degraded/50 bg-degraded/10 px-3 py-2 text-sm text-zinc-900 dark:text-zinc-100">
        <strong className="text-degraded">Cluster {sync.name}: possibly stale</strong>: no update for {kindList(sync.stalled.kinds)} since{' '}
        {formatUtc(sync.stalled.since)} (<RelativeTime at={sync.stalled.since} />
        ). Chainboard is renewing the watch.
      </div>
    );
  }
  if (!sync.ready && sync.notReadyReason) {
    return (
      <div role="status" className="rounded-md border border-unknown/50 bg-unknown/10 px-3 py-2 text-sm text-zinc-900 dark:text-zinc-100">
        <strong>Cluster {sync.name}: {sync.syncedAt ? 'syncing' : 'no data yet'}</strong>: {sync.notReadyReason}
      </div>
    );
  }
  return null;
}
