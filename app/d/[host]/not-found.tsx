import { ErrorNotice } from '@/components/ui/error-notice';
import { MissingName } from '@/components/ui/missing-name';

/** 404 for `/d/{host}`: names the host (read from the URL: not-found files get no props). */
export default function DomainNotFound() {
  return (
    <ErrorNotice
      title="Unknown domain"
      status={404}
      message={
        <>
          <p>
            No Ingress rule in a client environment serves <MissingName param="host" />.
          </p>
          <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
            Check the spelling, or look for the domain in the list of environments: a host only appears here once an Ingress in an{' '}
            <code>hst-*</code> namespace names it in <code>spec.rules[].host</code>.
          </p>
        </>
      }
    />
  );
}
