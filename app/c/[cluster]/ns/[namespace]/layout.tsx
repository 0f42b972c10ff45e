import { clusterParam } from '@/app/_pages/cluster-param';
import type { ReactNode } from 'react';
import { NamespaceSegment } from '@/app/_pages/namespace-layout';

type Params = { cluster: string; namespace: string };

/** Hands the 403's detail to forbidden.tsx (see NamespaceSegment). */
export default async function ClusterNamespaceLayout({ children, params }: { children: ReactNode; params: Promise<Params> }) {
  const { cluster, namespace } = await params;
  return (
    <NamespaceSegment namespace={namespace} cluster={clusterParam(cluster)}>
      {children}
    </NamespaceSegment>
  );
}
