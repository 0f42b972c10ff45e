import type { SWRConfiguration } from 'swr';

/** How often the pages poll the API: the watch caches make each poll a cheap lookup. */
export const REFRESH_MS = 4000;

/**
 * Shared SWR options of the live pages: poll every few seconds while the tab is visible, keep showing the
 * previous data while a new key loads (no layout jump), and keep the last good data on errors.
 */
export const liveOptions: SWRConfiguration = {
  refreshInterval: REFRESH_MS,
  refreshWhenHidden: false,
  refreshWhenOffline: false,
  revalidateOnFocus: true,
  keepPreviousData: true,
  // A 404/400 will not fix itself by retrying fast; polling picks it up again at the next interval.
  shouldRetryOnError: false,
};
