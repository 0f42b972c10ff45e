import { cache } from 'react';
import { getApp } from '@/lib/server/current';

/**
 * `getNamespace`, once per request: the segment's layout asks it to hand the 403's detail to
 * forbidden.tsx (which gets no props), the page asks it to render; React's request-scoped `cache`
 * makes that one lookup, not two. `cluster` is the page's cluster (`/c/{cluster}/ns/...`); without it
 * (`/ns/...`) the first cluster that has the environment.
 */
export const namespaceOutcome = cache((namespace: string, cluster?: string) => getApp().api.getNamespace(namespace, cluster));
