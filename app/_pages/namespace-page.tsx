import type { Metadata } from 'next';
import Link from 'next/link';
import { forbidden, notFound, redirect } from 'next/navigation';
import { parseNamespace } from '@/lib/api/params';
import type { ApiOutcome } from '@/lib/api/service';
import type { NamespaceResponse } from '@/lib/api/types';
import { getApp } from '@/lib/server/current';
import { hrefs } from '@/components/data/keys';
import { NamespaceView } from '@/components/namespace/namespace-view';
import { NotSynced } from '@/components/live/not-synced';
import { ErrorNotice } from '@/components/ui/error-notice';
import { historyBriefs } from '@/components/history/briefs';
import { HistoryBriefsProvider } from '@/components/history/briefs-context';
import { loadSummaries } from '@/components/history/load';
import { Breadcrumbs } from '@/components/ui/page-header';
import { namespaceOutcome } from './namespace-outcome';

/** The tab title: the page's object, or what is wrong with the name (it may not even decode). */
export function namespaceMetadata(namespace: string, cluster?: string): Metadata {
  const parsed = parseNamespace(namespace);
  return { title: parsed.ok ? (cluster ? `${parsed.value} (${cluster})` : parsed.value) : 'Not a valid environment name' };
}

/** `/c/{cluster}/ns/{namespace}`: one client environment of one cluster. */
export async function ClusterNamespacePage({ cluster, namespace }: { cluster: string; namespace: string }) {
  const res = await namespaceOutcome(namespace, cluster);
  if (!res.ok) return failed(res);
  const app = getApp();
  // Since-when and uptime of the rows from history's cached summaries: never a wait on the database.
  const summaries = loadSummaries(app);
  const briefs = historyBriefs(summaries.ok ? summaries.data : undefined, summaries.ok ? '' : summaries.reason, res.data.domains.map((d) => d.host), [res.data.namespace.name]);
  const multi = (await app.api.clusterNames()).length > 1;
  return (
    <HistoryBriefsProvider briefs={briefs}>
      <NamespaceView cluster={res.data.cluster} name={res.data.namespace.name} initial={res.data} multi={multi} />
    </HistoryBriefsProvider>
  );
}

/**
 * `/ns/{namespace}`, the URL without a cluster (links made before there were several, bookmarks): a 307 to
 * the one cluster that has the environment, or the clusters to choose from when several have one of that
 * name (a client being moved). A name no cluster has stays a 404, a forbidden one a 403.
 */
export async function AnyClusterNamespacePage({ namespace }: { namespace: string }) {
  const res = await namespaceOutcome(namespace);
  if (!res.ok) return failed(res);
  const name = res.data.namespace.name;
  const others = res.data.otherClusters ?? [];
  if (others.length === 0) redirect(hrefs.namespace({ cluster: res.data.cluster, name }));
  const clusters = [res.data.cluster, ...others];
  return (
    <div className="space-y-4">
      <div>
        <Breadcrumbs items={[{ label: 'Environments', href: hrefs.overview() }, { label: name }]} />
        <h1 className="text-2xl font-bold tracking-tight break-all">{name}</h1>
        <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">{clusters.length} clusters have an environment of this name: each is its own environment.</p>
      </div>
      <ul aria-label={`Clusters with ${name}`} className="space-y-2">
        {clusters.map((c) => (
          <li key={c}>
            <Link
              href={hrefs.namespace({ cluster: c, name })}
              className="block rounded-lg border border-zinc-200 bg-white px-4 py-3 font-medium text-blue-700 hover:underline dark:border-zinc-800 dark:bg-zinc-900 dark:text-blue-400"
            >
              {name} in cluster {c} →
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

function failed(res: Extract<ApiOutcome<NamespaceResponse>, { ok: false }>) {
  const { message } = res.body.error;
  switch (res.status) {
    case 503:
      return <NotSynced message={message} />;
    case 404:
      notFound();
    case 403:
      // A real 403 status (a returned notice would be a 200): forbidden.tsx explains, with the detail
      // the layout passes it.
      forbidden();
    default:
      // A 400: the production server gives the response that status (lib/server/preflight.ts).
      return <ErrorNotice title="Not a valid environment name" status={res.status} message={<p>{message}</p>} />;
  }
}
