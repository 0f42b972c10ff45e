'use client';
import type { SyncInfo } from '../../lib/api/types';
import type { ApiError } from '../data/fetcher';
import { formatUtc } from '../ui/format';
import { RelativeTime } from '../ui/time';
import { useReportLive } from './context';
import { dataAsOf, kindList } from './freshness';

/** What a live hook knows about the freshness of its data (see `useLiveResource`). */
export interface LiveState {
  sync: SyncInfo | undefined;
  /** Epoch ms of the last successful answer. */
  updatedAt: number;
  error: ApiError | undefined;
  isValidating: boolean;
}

/**
 * The freshness line of a live page ("Updated 3 s ago · cluster data from ..."): how old the data is,
 * counted from the last list, watch event or bookmark Chainboard received, not from the last refresh of
 * the page. It also reports the page's state to the header's sync indicator.
 */
export function LiveLine({ sync, updatedAt, error, isValidating }: LiveState) {
  useReportLive({ sync, updatedAt, errorStatus: error?.status, errorMessage: error?.message });
  return (
    <p className="text-xs text-zinc-600 dark:text-zinc-400">
      <RelativeTime at={dataAsOf(sync, updatedAt)} prefix="Updated " />
      {sync?.syncedAt ? <span className="hidden sm:inline"> · cluster data from {formatUtc(sync.syncedAt)}</span> : null}
      <span aria-hidden="true" className={`ml-1 inline-block transition-opacity ${isValidating ? 'opacity-100' : 'opacity-0'}`}>
        ↻
      </span>
    </p>
  );
}

/**
 * Full-width banners when the data on screen is not current: the cluster is unreachable (the last good
 * data is shown), watches have gone silent (possibly stale while Chainboard renews them), the object
 * went away (`gone`, on a 404 refresh), or the last refresh failed.
 */
export function LiveBanners({ sync, updatedAt, error, gone }: LiveState & { gone?: string }) {
  return (
    <div aria-live="polite" className="space-y-2 empty:hidden">
      {sync?.stale ? (
        <div role="alert" className="rounded-md border border-degraded/50 bg-degraded/10 px-3 py-2 text-sm text-zinc-900 dark:text-zinc-100">
          <strong className="text-degraded">Stale since {formatUtc(sync.stale.since)}</strong> (<RelativeTime at={sync.stale.since} />): the
          Kubernetes API server does not answer, so this is the last good data.
          {sync.stale.error ? <span className="block text-xs text-zinc-600 dark:text-zinc-400">{sync.stale.error}</span> : null}
        </div>
      ) : null}
      {sync?.stalled && !sync.stale ? (
        <div role="status" className="rounded-md border border-degraded/50 bg-degraded/10 px-3 py-2 text-sm text-zinc-900 dark:text-zinc-100">
          <strong className="text-degraded">Possibly stale</strong>: no update from the Kubernetes API for {kindList(sync.stalled.kinds)} since{' '}
          {formatUtc(sync.stalled.since)} (<RelativeTime at={sync.stalled.since} />), longer than its watch should stay silent. Chainboard is
          renewing the watch; until it answers, what is shown may be out of date.
        </div>
      ) : null}
      {error && gone && error.status === 404 ? (
        <div role="alert" className="rounded-md border border-down/50 bg-down/10 px-3 py-2 text-sm">
          <strong className="text-down">{gone}</strong> Showing the last data seen.
        </div>
      ) : error ? (
        <div role="alert" className="rounded-md border border-down/50 bg-down/10 px-3 py-2 text-sm">
          <strong className="text-down">Refresh failed</strong>: {error.message}. Showing the data from <RelativeTime at={updatedAt} />; retrying every
          few seconds.
        </div>
      ) : null}
    </div>
  );
}
