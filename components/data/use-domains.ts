'use client';
import type { DomainsResponse } from '../../lib/api/types';
import { keys, type OverviewQuery } from './keys';
import { useLiveResource } from './live';

/**
 * Every domain of every client environment, filtered, sorted and paged, refreshed every few seconds.
 * `null` pauses it (the overview shows environments); `initial` is the server-rendered answer and the
 * query it answered.
 */
export function useDomains(query: OverviewQuery | null, initial?: { query: OverviewQuery; data: DomainsResponse }) {
  return useLiveResource<DomainsResponse>(query && keys.domains(query), initial && { key: keys.domains(initial.query), data: initial.data });
}
