import type { ReactNode } from 'react';
import { parseNamespace } from '@/lib/api/params';
import { ForbiddenNamespaceProvider } from '@/components/namespace/namespace-forbidden';
import { namespaceOutcome } from './namespace-outcome';

/**
 * The namespace segments' layout (`/ns/{namespace}` and `/c/{cluster}/ns/{namespace}`). It exists for
 * forbidden.tsx: Next renders that file without props, inside this layout. The layout has the route's
 * params, so it passes the 403's detail (which namespace, which kind, the API server's words) down
 * through a context that forbidden.tsx reads. The lookup is the page's own (cached per request).
 */
export async function NamespaceSegment({ children, namespace, cluster }: { children: ReactNode; namespace: string; cluster?: string }) {
  const res = await namespaceOutcome(namespace, cluster);
  let detail = null;
  if (!res.ok && res.status === 403) {
    // A 403 means the name parsed (a malformed one is a 400): show it as the API read it.
    const parsed = parseNamespace(namespace);
    detail = { namespace: parsed.ok ? parsed.value : namespace, message: res.body.error.message };
  }
  return <ForbiddenNamespaceProvider value={detail}>{children}</ForbiddenNamespaceProvider>;
}
