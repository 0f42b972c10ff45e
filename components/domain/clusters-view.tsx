'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo } from 'react';
import type { DomainResponse, ServedBy } from '../../lib/api/types';
import { buildGraph, layoutGraph } from '../chain';
import { ChainDiagram } from '../chain/chain-diagram';
import { focusOf, hrefs } from '../data/keys';
import { useDomain } from '../data/use-domain';
import { LiveBanners, LiveLine } from '../live/live-bar';
import { FindingLine } from '../ui/finding';
import { HealthBadge } from '../ui/health';
import { Breadcrumbs } from '../ui/page-header';
import { DNS_TEXT } from './served-by';

/**
 * A host served by two clusters (a client being moved), without a cluster in its URL: each cluster's
 * chain under its own heading, where public DNS sends the host today, and a link to each chain's own
 * page. `chains` are in the order of `servedBy`, as the server rendered them.
 */
export function DomainAcrossClusters({ host, servedBy, chains }: { host: string; servedBy: readonly ServedBy[]; chains: readonly DomainResponse[] }) {
  const dnsHere = servedBy.filter((s) => s.dns === 'here').map((s) => s.cluster);
  return (
    <div className="space-y-4">
      <div>
        <Breadcrumbs items={[{ label: 'Environments', href: hrefs.overview() }, { label: host }]} />
        <h1 className="text-2xl font-bold tracking-tight break-all">{host}</h1>
        <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">
          Served by {servedBy.length} clusters: {servedBy.map((s) => s.cluster).join(' and ')}.
        </p>
        <p data-testid="dns-verdict" className="mt-1 text-sm font-medium">
          {dnsHere.length === 1
            ? `Public DNS points at cluster ${dnsHere[0]} today.`
            : dnsHere.length > 1
              ? `Public DNS points at clusters ${dnsHere.join(' and ')} today.`
              : servedBy.every((s) => s.dns === 'elsewhere')
                ? 'Public DNS points at none of these clusters.'
                : 'Where public DNS points is not known (the host has not been resolved yet).'}
        </p>
      </div>
      <div className="space-y-4">
        {chains.map((c) => {
          const s = servedBy.find((x) => x.cluster === c.domain.cluster);
          return <ClusterChain key={c.domain.cluster} initial={c} dns={s?.dns ?? 'unknown'} />;
        })}
      </div>
    </div>
  );
}

/** One cluster's chain of the host: heading, health, DNS, the diagram (a node opens that cluster's page on it), the top finding. */
function ClusterChain({ initial, dns }: { initial: DomainResponse; dns: ServedBy['dns'] }) {
  const router = useRouter();
  const ref = { cluster: initial.domain.cluster, host: initial.domain.host };
  const { data, error, isValidating, updatedAt } = useDomain(ref, initial);
  const view = data ?? initial;
  const domain = view.domain;
  const graph = useMemo(() => buildGraph(domain, { now: view.analyzedAt }), [domain, view.analyzedAt]);
  const layout = useMemo(() => layoutGraph(graph), [graph]);
  const top = domain.findings.find((f) => f.severity !== 'info');
  const headingId = `cluster-${ref.cluster}-h`;
  return (
    <section aria-labelledby={headingId} className={`min-w-0 rounded-lg border bg-white p-4 dark:bg-zinc-900 ${dns === 'here' ? 'border-blue-400 dark:border-blue-700' : 'border-zinc-200 dark:border-zinc-800'}`}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 id={headingId} className="flex flex-wrap items-center gap-2 text-lg font-semibold">
            Cluster {ref.cluster}
            <HealthBadge health={domain.health} size="sm" />
          </h2>
          <p className={`text-sm ${dns === 'here' ? 'font-medium text-blue-800 dark:text-blue-300' : 'text-zinc-700 dark:text-zinc-300'}`}>
            {DNS_TEXT[dns]} · {domain.routes.length} route{domain.routes.length === 1 ? '' : 's'} in {domain.namespaces.join(', ')}
          </p>
        </div>
        <LiveLine sync={view.sync} updatedAt={updatedAt} error={error} isValidating={isValidating} />
      </div>
      <div className="mt-2">
        <LiveBanners sync={view.sync} updatedAt={updatedAt} error={error} isValidating={isValidating} gone={`Cluster ${ref.cluster} no longer serves ${domain.host}.`} />
      </div>
      <div className="-mx-1 mt-2 overflow-x-auto px-1 pb-1">
        <ChainDiagram
          layout={layout}
          label={`Chain of ${domain.host} in cluster ${ref.cluster}`}
          onSelect={(id) => router.push(hrefs.domain(ref, id))}
          onExpand={(_gid, sid) => router.push(hrefs.domain(ref, sid))}
        />
      </div>
      <div className="mt-2 text-sm">
        {top ? <FindingLine finding={top} /> : <p className="text-zinc-700 dark:text-zinc-300">No problem found along this chain.</p>}
      </div>
      <p className="mt-3 text-sm">
        <Link href={hrefs.domain(ref, top ? focusOf(top.link) : undefined)} className="font-medium text-blue-700 hover:underline dark:text-blue-400">
          Open the chain in cluster {ref.cluster} →
        </Link>
      </p>
    </section>
  );
}
