import type { Metadata } from 'next';
import { forbidden, notFound } from 'next/navigation';
import { parseNamespace } from '@/lib/api/params';
import { NamespaceView } from '@/components/namespace/namespace-view';
import { NotSynced } from '@/components/live/not-synced';
import { ErrorNotice } from '@/components/ui/error-notice';
import { namespaceOutcome } from './outcome';
import { getApp } from '@/lib/server/current';
import { historyBriefs } from '@/components/history/briefs';
import { HistoryBriefsProvider } from '@/components/history/briefs-context';
import { loadSummaries } from '@/components/history/load';

// Live data: rendered per request from the watch caches, never prerendered at build time.
export const dynamic = 'force-dynamic';

type Params = { namespace: string };

/** The tab title: the page's object, or what is wrong with the name (it may not even decode). */
export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const parsed = parseNamespace((await params).namespace);
  return { title: parsed.ok ? parsed.value : 'Not a valid environment name' };
}

/** `/ns/{namespace}`: one client environment. */
export default async function NamespacePage({ params }: { params: Promise<Params> }) {
  const { namespace } = await params;
  const res = await namespaceOutcome(namespace);
  if (res.ok) {
    // Since-when and uptime of the rows from history's cached summaries: never a wait on the database.
    const summaries = loadSummaries(getApp());
    const briefs = historyBriefs(summaries.ok ? summaries.data : undefined, summaries.ok ? '' : summaries.reason, res.data.domains.map((d) => d.host), [res.data.namespace.name]);
    return (
      <HistoryBriefsProvider briefs={briefs}>
        <NamespaceView name={res.data.namespace.name} initial={res.data} />
      </HistoryBriefsProvider>
    );
  }
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
