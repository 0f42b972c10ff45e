import type { ReactNode } from 'react';
import { NamespaceSegment } from '@/app/_pages/namespace-layout';

type Params = { namespace: string };

/** Hands the 403's detail to forbidden.tsx (see NamespaceSegment). */
export default async function NamespaceLayout({ children, params }: { children: ReactNode; params: Promise<Params> }) {
  const { namespace } = await params;
  return <NamespaceSegment namespace={namespace}>{children}</NamespaceSegment>;
}
