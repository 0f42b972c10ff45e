import type { Metadata } from 'next';
import { AnyClusterNamespacePage, namespaceMetadata } from '@/app/_pages/namespace-page';

// Live data: rendered per request from the watch caches, never prerendered at build time.
export const dynamic = 'force-dynamic';

type Params = { namespace: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return namespaceMetadata((await params).namespace);
}

/** `/ns/{namespace}`: redirects to the environment's cluster (`/c/{cluster}/ns/{namespace}`). */
export default async function NamespacePage({ params }: { params: Promise<Params> }) {
  return <AnyClusterNamespacePage namespace={(await params).namespace} />;
}
