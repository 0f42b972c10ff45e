import type { Metadata } from 'next';
import { getApp } from '@/lib/server/current';
import { HEALTH_ORDER, type Health } from '@/lib/model/chain';
import { OVERVIEW_PAGE_SIZE, type OverviewQuery } from '@/components/data/keys';
import { OverviewView } from '@/components/overview/overview-view';
import { NotSynced } from '@/components/live/not-synced';
import { ErrorNotice } from '@/components/ui/error-notice';

// Live data: rendered per request from the watch caches, never prerendered at build time.
export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Client environments' };

type SearchParams = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * A URL typed or pasted by hand may carry anything: keep what is valid, drop the rest. A search longer
 * than the API takes is kept, so the page says 400 as the API does, and the production server answers
 * with that status (lib/server/preflight.ts); the search field itself never makes one.
 */
function queryFrom(sp: SearchParams): OverviewQuery {
  const q = one(sp.q)?.trim() || undefined;
  const h = one(sp.health);
  const health = h && (HEALTH_ORDER as readonly string[]).includes(h) ? (h as Health) : undefined;
  const o = Number(one(sp.offset));
  const offset = Number.isInteger(o) && o > 0 && o <= 1_000_000 ? o : undefined;
  return { q, health, offset };
}

/** `/`: every client environment, worst first. Rendered with data on the server, then refreshed by SWR. */
export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = queryFrom(await searchParams);
  const res = await getApp().api.getOverview({
    q: query.q,
    health: query.health,
    offset: query.offset !== undefined ? String(query.offset) : undefined,
    limit: String(OVERVIEW_PAGE_SIZE),
  });
  if (!res.ok) {
    if (res.status === 503) return <NotSynced message={res.body.error.message} />;
    if (res.status === 400) return <ErrorNotice title="Not a valid search" status={400} message={<p>{res.body.error.message}.</p>} />;
    return <ErrorNotice title="The overview cannot be shown" status={res.status} message={res.body.error.message} />;
  }
  return <OverviewView initialQuery={query} initial={res.data} />;
}
