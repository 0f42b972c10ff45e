'use client';
import type { DomainResponse } from '../../lib/api/types';
import { keys } from './keys';
import { useLiveResource } from './live';

/** One domain's chain and findings, refreshed every few seconds; `initial` is the server-rendered response. */
export function useDomain(host: string, initial?: DomainResponse) {
  return useLiveResource<DomainResponse>(keys.domain(host), initial && { key: keys.domain(host), data: initial });
}
