'use client';
import type { OverviewResponse } from '../../lib/api/types';
import { keys, type OverviewQuery } from './keys';
import { useLiveResource } from './live';

/**
 * Every client environment, filtered and paged, refreshed every few seconds. `initial` is the
 * server-rendered response and the query it answered (no client waterfall on first load). `null` pauses
 * it (the overview shows domains).
 */
export function useOverview(query: OverviewQuery | null, initial?: { query: OverviewQuery; data: OverviewResponse }) {
  return useLiveResource<OverviewResponse>(query && keys.overview(query), initial && { key: keys.overview(initial.query), data: initial.data });
}
