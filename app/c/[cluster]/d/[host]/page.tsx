import type { Metadata } from 'next';
import { clusterParam } from '@/app/_pages/cluster-param';
import { getApp } from '@/lib/server/current';
import { domainMetadata } from '@/lib/share/metadata';
import { ClusterDomainPage, type DomainSearchParams } from '@/app/_pages/domain-page';

// Live data: rendered per request from the watch caches, never prerendered at build time.
export const dynamic = 'force-dynamic';

type Params = { cluster: string; host: string };

/** Tab title, and the Open Graph / Twitter card a chat tool shows for a pasted link (redacted view). */
export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return domainMetadata(getApp(), (await params).host);
}

/** `/c/{cluster}/d/{host}[?window=24h|7d|30d]`: one cluster's chain of a domain. */
export default async function ClusterDomainRoute({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<DomainSearchParams> }) {
  const { cluster, host } = await params;
  return <ClusterDomainPage cluster={clusterParam(cluster)} host={host} searchParams={await searchParams} />;
}
