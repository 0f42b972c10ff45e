import type { Metadata } from 'next';
import { forbidden, notFound } from 'next/navigation';
import { NamespaceView } from '@/components/namespace/namespace-view';
import { NotSynced } from '@/components/live/not-synced';
import { ErrorNotice } from '@/components/ui/error-notice';
import { namespaceOutcome } from './outcome';

// Live data: rendered per request from the watch caches, never prerendered at build time.
export const dynamic = 'force-dynamic';

type Params = { namespace: string };

/** The tab title: the page's object. */
export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { namespace } = await params;
  return { title: decodeURIComponent(namespace) };
}

/** `/ns/{namespace}`: one client environment. */
export default async function NamespacePage({ params }: { params: Promise<Params> }) {
  const { namespace } = await params;
  const res = await namespaceOutcome(namespace);
  if (res.ok) return <NamespaceView name={res.data.namespace.name} initial={res.data} />;
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
      return <ErrorNotice title="Not a valid environment name" status={res.status} message={<p>{message}</p>} />;
  }
}
