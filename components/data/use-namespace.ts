'use client';
import type { NamespaceResponse } from '../../lib/api/types';
import { keys } from './keys';
import { useLiveResource } from './live';

/** One client environment, refreshed every few seconds; `initial` is the server-rendered response. */
export function useNamespace(name: string, initial?: NamespaceResponse) {
  return useLiveResource<NamespaceResponse>(keys.namespace(name), initial && { key: keys.namespace(name), data: initial });
}
