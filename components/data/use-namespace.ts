'use client';
import type { NamespaceResponse } from '../../lib/api/types';
import { keys, type NamespaceRef } from './keys';
import { useLiveResource } from './live';

/** One client environment of one cluster, refreshed every few seconds; `initial` is the server-rendered response. */
export function useNamespace(ref: NamespaceRef, initial?: NamespaceResponse) {
  return useLiveResource<NamespaceResponse>(keys.namespace(ref), initial && { key: keys.namespace(ref), data: initial });
}
