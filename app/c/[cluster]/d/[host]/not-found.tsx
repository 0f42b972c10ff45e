import { ErrorNotice } from '@/components/ui/error-notice';
import { MissingName } from '@/components/ui/missing-name';

/** 404 for `/c/{cluster}/d/{host}`: names the host and the cluster (read from the URL: not-found files get no props). */
export default function ClusterDomainNotFound() {
  return (
    <ErrorNotice
      title="Unknown domain"
      status={404}
      message={
        <>
          <p>
            No Ingress rule in a client environment of cluster <MissingName param="cluster" /> serves <MissingName param="host" />.
          </p>
          <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
            Another cluster may serve it: the domain list of the overview shows every cluster&apos;s domains. A host only appears once an
            Ingress in an <code>hst-*</code> namespace names it in <code>spec.rules[].host</code>.
          </p>
        </>
      }
    />
  );
}
