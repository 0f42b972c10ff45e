import type { Metadata } from 'next';
import { clusterParam } from '@/app/_pages/cluster-param';
import { ClusterNamespacePage, namespaceMetadata } from '@/app/_pages/namespace-page';

// Live data: rendered per request from the watch caches, never prerendered at build time.
export const dynamic = 'force-dynamic';

type Params = { cluster: string; namespace: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { cluster, namespace } = await params;
  return namespaceMetadata(namespace, clusterParam(cluster));
}

/** `/c/{cluster}/ns/{namespace}`: one client environment of one cluster. */
export default async function ClusterNamespaceRoute({ params }: { params: Promise<Params> }) {
  const { cluster, namespace } = await params;
  return <ClusterNamespacePage cluster={clusterParam(cluster)} namespace={namespace} />;
}
