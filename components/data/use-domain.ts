'use client';
import type { DomainResponse } from '../../lib/api/types';
import { keys, type DomainRef } from './keys';
import { useLiveResource } from './live';

/** One cluster's chain and findings of a domain, refreshed every few seconds; `initial` is the server-rendered response. */
export function useDomain(ref: DomainRef, initial?: DomainResponse) {
  return useLiveResource<DomainResponse>(keys.domain(ref), initial && { key: keys.domain(ref), data: initial });
}
