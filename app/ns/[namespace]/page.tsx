import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getNamespace } from '@/lib/api/service';
import { NamespaceView } from '@/components/namespace/namespace-view';
import { NotSynced } from '@/components/live/not-synced';
import { ErrorNotice } from '@/components/ui/error-notice';

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
  const res = await getNamespace(namespace);
  if (res.ok) return <NamespaceView name={res.data.namespace.name} initial={res.data} />;
  const { message } = res.body.error;
  switch (res.status) {
    case 503:
      return <NotSynced message={message} />;
    case 404:
      notFound();
    case 403:
      return (
        <ErrorNotice title="This environment is forbidden to Chainboard" status={403} message={<p>{message}</p>}>
          <p className="mt-3 text-sm text-zinc-700 dark:text-zinc-300">
            Chainboard reads the cluster with its own read-only ServiceAccount. Grant it <code>get</code>, <code>list</code> and <code>watch</code> on
            Ingresses, Services, EndpointSlices, Pods and Events in this namespace to see it here; until then its domains are shown as
            unknown, never as healthy.
          </p>
        </ErrorNotice>
      );
    default:
      return <ErrorNotice title="Not a valid environment name" status={res.status} message={<p>{message}</p>} />;
  }
}
