import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getApp } from '@/lib/server/current';
import { DOMAINS_PAGE_SIZE, hrefs, OVERVIEW_PAGE_SIZE } from '@/components/data/keys';
import { OverviewView } from '@/components/overview/overview-view';
import { OPEN_PARAM, overviewQueryFrom, singleMatchHref, type SearchParams } from '@/components/overview/url-state';
import { NotSynced } from '@/components/live/not-synced';
import { ErrorNotice } from '@/components/ui/error-notice';
import { historyBriefs } from '@/components/history/briefs';
import { HistoryBriefsProvider } from '@/components/history/briefs-context';
import { loadSummaries } from '@/components/history/load';

// Live data: rendered per request from the watch caches, never prerendered at build time.
export const dynamic = 'force-dynamic';

export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchParams> }): Promise<Metadata> {
  return { title: overviewQueryFrom(await searchParams).view === 'domains' ? 'Domains' : 'Client environments' };
}

/**
 * `/`: every client environment worst first, or with `?view=domains` every domain. Rendered on the
 * server from the URL (view, search, health, order, page), so the first paint is the view the link
 * names and its links and search form work before hydration; then refreshed by SWR.
 */
export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const query = overviewQueryFrom(sp);
  const app = getApp();
  const { api } = app;
  const params = { q: query.q, health: query.health, offset: query.offset !== undefined ? String(query.offset) : undefined };
  const res =
    query.view === 'domains'
      ? await api.getDomains({ ...params, sort: query.sort, limit: String(DOMAINS_PAGE_SIZE) })
      : await api.getOverview({ ...params, limit: String(OVERVIEW_PAGE_SIZE) });
  if (!res.ok) {
    if (res.status === 503) return <NotSynced message={res.body.error.message} />;
    if (res.status === 400) return <ErrorNotice title="Not a valid search" status={400} message={<p>{res.body.error.message}.</p>} />;
    return <ErrorNotice title="The overview cannot be shown" status={res.status} message={res.body.error.message} />;
  }
  // The search form submitted before the page's script ran (its Enter): open the single match as the
  // script would, else show the list at its clean URL.
  if (sp[OPEN_PARAM] !== undefined) {
    const href = 'namespaces' in res.data ? singleMatchHref({ view: 'environments', data: res.data }) : singleMatchHref({ view: 'domains', data: res.data });
    redirect(href ?? hrefs.overview(query));
  }
  // History's since-when and uptime for the rows on this page, from its cached summaries.
  const summaries = loadSummaries(app);
  const rows = 'namespaces' in res.data ? res.data.namespaces : [];
  const hosts = 'namespaces' in res.data ? rows.flatMap((r) => [...r.worstDomains, ...(r.matchingDomains?.domains ?? [])].map((d) => d.host)) : res.data.domains.map((d) => d.host);
  const briefs = historyBriefs(summaries.ok ? summaries.data : undefined, summaries.ok ? '' : summaries.reason, hosts, rows.map((r) => r.name));
  // Keyed by view: switching views is a navigation, and the other view starts from its own server answer.
  return (
    <HistoryBriefsProvider briefs={briefs}>
      {'namespaces' in res.data ? (
        <OverviewView key="environments" initialQuery={query} initial={{ view: 'environments', data: res.data }} />
      ) : (
        <OverviewView key="domains" initialQuery={query} initial={{ view: 'domains', data: res.data }} />
      )}
    </HistoryBriefsProvider>
  );
}
