import { notFound, redirect } from 'next/navigation';
import type { ApiOutcome } from '@/lib/api/service';
import type { DomainResponse } from '@/lib/api/types';
import { getApp } from '@/lib/server/current';
import { hrefs } from '@/components/data/keys';
import { DomainView } from '@/components/domain/domain-view';
import { DomainAcrossClusters } from '@/components/domain/clusters-view';
import { NotSynced } from '@/components/live/not-synced';
import { ErrorNotice } from '@/components/ui/error-notice';
import { DomainHistorySection } from '@/components/history/domain-history';
import { loadDomainHistory, parseTimelineWindow } from '@/components/history/load';

export type DomainSearchParams = Record<string, string | string[] | undefined>;

/** `/c/{cluster}/d/{host}[?window=24h|7d|30d][&focus=...]`: one cluster's chain of a domain, its findings, history, TLS and DNS. */
export async function ClusterDomainPage({ cluster, host, searchParams }: { cluster: string; host: string; searchParams: DomainSearchParams }) {
  const app = getApp();
  const res = await app.api.getDomain(host, cluster);
  if (!res.ok) return failed(res);
  const name = res.data.domain.host;
  const window = parseTimelineWindow(searchParams.window);
  // History never fails the page: an unavailable history is one muted line in its section.
  const history = await loadDomainHistory(app, name, window);
  const ref = { cluster: res.data.domain.cluster, host: name };
  const multi = (await app.api.clusterNames()).length > 1;
  return (
    <DomainView
      host={name}
      initial={res.data}
      multi={multi}
      sharing={app.share.status().enabled}
      since={history.ok ? history.data.current : undefined}
      history={<DomainHistorySection domain={ref} window={window} loaded={history} />}
    />
  );
}

/**
 * `/d/{host}`, the URL without a cluster (links made before there were several, bookmarks, chat
 * previews): a 307 to the chain of the one cluster that serves the host, keeping the query (`?focus=`,
 * `?window=`). A host served by several clusters (a client being moved) gets every cluster's chain side
 * by side, saying which one public DNS points at. An unknown host stays a 404.
 */
export async function AnyClusterDomainPage({ host, searchParams }: { host: string; searchParams: DomainSearchParams }) {
  const app = getApp();
  const res = await app.api.getDomain(host);
  if (!res.ok) return failed(res);
  const { servedBy } = res.data;
  const name = res.data.domain.host;
  if (!servedBy || servedBy.length < 2) redirect(`${hrefs.domain({ cluster: res.data.domain.cluster, host: name })}${queryOf(searchParams)}`);
  const chains = (await Promise.all(servedBy.map((s) => (s.cluster === res.data.domain.cluster ? res : app.api.getDomain(name, s.cluster))))).flatMap((r) =>
    r.ok ? [r.data] : [],
  );
  return <DomainAcrossClusters host={name} servedBy={servedBy} chains={chains} />;
}

/** The page's query as it came, for the redirect: `?focus=Service/web&window=7d`. */
function queryOf(sp: DomainSearchParams): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(sp)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) out.append(k, one);
  const s = out.toString().replace(/%2F/g, '/');
  return s ? `?${s}` : '';
}

function failed(res: Extract<ApiOutcome<DomainResponse>, { ok: false }>) {
  const { message } = res.body.error;
  switch (res.status) {
    case 503:
      return <NotSynced message={message} />;
    case 404:
      notFound();
    case 400:
      // The production server gives the response this status (lib/server/preflight.ts): a page cannot.
      return (
        <ErrorNotice
          title="Not a domain name"
          status={400}
          message={
            <>
              <p>{message}.</p>
              <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
                Domain pages are at <code>/d/&lt;host&gt;</code>, for the hosts of Ingress rules, e.g. <code>/d/app.example.com</code> or{' '}
                <code>/d/*.preview.example.com</code>.
              </p>
            </>
          }
        />
      );
    default:
      return <ErrorNotice title="This domain cannot be shown" status={res.status} message={<p>{message}</p>} />;
  }
}
