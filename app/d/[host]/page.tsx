import { notFound } from 'next/navigation';
import type { Metadata } from 'next';
import { getApp } from '@/lib/server/current';
import { domainMetadata } from '@/lib/share/metadata';
import { DomainView } from '@/components/domain/domain-view';
import { NotSynced } from '@/components/live/not-synced';
import { ErrorNotice } from '@/components/ui/error-notice';
import { DomainHistorySection } from '@/components/history/domain-history';
import { loadDomainHistory, parseTimelineWindow } from '@/components/history/load';

// Live data: rendered per request from the watch caches, never prerendered at build time.
export const dynamic = 'force-dynamic';

type Params = { host: string };

/** Tab title, and the Open Graph / Twitter card a chat tool shows for a pasted link (redacted view). */
export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return domainMetadata(getApp(), (await params).host);
}

/** `/d/{host}[?window=24h|7d|30d]`: one domain's chain, findings, history, TLS and DNS. */
export default async function DomainPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<{ window?: string | string[] }> }) {
  const { host } = await params;
  const app = getApp();
  const res = await app.api.getDomain(host);
  if (res.ok) {
    const name = res.data.domain.host;
    const window = parseTimelineWindow((await searchParams).window);
    // History never fails the page: an unavailable history is one muted line in its section.
    const history = await loadDomainHistory(app, name, window);
    return (
      <DomainView
        host={name}
        initial={res.data}
        sharing={app.share.status().enabled}
        since={history.ok ? history.data.current : undefined}
        history={<DomainHistorySection host={name} window={window} loaded={history} />}
      />
    );
  }
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
