'use client';
import type { SharedDomainResponse } from '../../lib/share/redact';
import { keys } from './keys';
import { useLiveResource } from './live';

/**
 * A share link's redacted view, refreshed every few seconds like the dashboard's pages but through the
 * link's own read endpoint (the token is the only credential a client has); `initial` is the
 * server-rendered response.
 */
export function useSharedDomain(token: string, initial?: SharedDomainResponse) {
  return useLiveResource<SharedDomainResponse>(keys.sharedDomain(token), initial && { key: keys.sharedDomain(token), data: initial });
}
