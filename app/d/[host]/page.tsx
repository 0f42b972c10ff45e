import type { Metadata } from 'next';
import { getApp } from '@/lib/server/current';
import { domainMetadata } from '@/lib/share/metadata';
import { AnyClusterDomainPage, type DomainSearchParams } from '@/app/_pages/domain-page';

// Live data: rendered per request from the watch caches, never prerendered at build time.
export const dynamic = 'force-dynamic';

type Params = { host: string };

/** Tab title, and the Open Graph / Twitter card a chat tool shows for a pasted link (redacted view). */
export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return domainMetadata(getApp(), (await params).host);
}

/** `/d/{host}`: redirects to the chain of the host's cluster, or shows each serving cluster's chain. */
export default async function DomainPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<DomainSearchParams> }) {
  return <AnyClusterDomainPage host={(await params).host} searchParams={await searchParams} />;
}
