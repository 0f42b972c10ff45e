import { ErrorNotice } from '@/components/ui/error-notice';
import { MissingName } from '@/components/ui/missing-name';

/** 404 for `/c/{cluster}/ns/{namespace}`: names the namespace (read from the URL: not-found files get no props). */
export default function NamespaceNotFound() {
  return (
    <ErrorNotice
      title="Unknown environment"
      status={404}
      message={
        <p>
          Chainboard knows no client environment named <MissingName param="namespace" />: the namespace does not exist, holds nothing
          Chainboard reads, or its name does not start with the client prefix (<code>hst-</code> by default).
        </p>
      }
    />
  );
}
