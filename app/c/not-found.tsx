import { getApp } from '@/lib/server/current';
import { ErrorNotice } from '@/components/ui/error-notice';
import { MissingName } from '@/components/ui/missing-name';

/**
 * 404 for `/c/{cluster}/...` when no configured cluster has that name (app/c/[cluster]/layout.tsx): names
 * it (read from the URL: not-found files get no props) and lists the clusters Chainboard watches.
 */
export default async function UnknownCluster() {
  const names = await getApp().api.clusterNames();
  return (
    <ErrorNotice
      title="Unknown cluster"
      status={404}
      message={
        <>
          <p>
            Chainboard watches no cluster named <MissingName param="cluster" />.
          </p>
          {names.length ? (
            <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
              Its clusters: {names.map((n, i) => (
                <span key={n}>
                  {i > 0 ? ', ' : null}
                  <code>{n}</code>
                </span>
              ))}
              . Clusters are named in <code>CHAINBOARD_CONTEXTS</code> (or after their contexts); the overview lists each.
            </p>
          ) : null}
        </>
      }
    />
  );
}
