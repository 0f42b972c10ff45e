'use client';
import { useParams } from 'next/navigation';
import { createContext, useContext, type ReactNode } from 'react';
import { ErrorNotice } from '../ui/error-notice';

/** Why a namespace page is a 403: the namespace, and the API's message naming the refused kind and user. */
export interface ForbiddenNamespace {
  namespace: string;
  message: string;
}

const Ctx = createContext<ForbiddenNamespace | null>(null);

/** Set by the namespace segment's layout: forbidden.tsx renders without props, inside it. */
export function ForbiddenNamespaceProvider({ value, children }: { value: ForbiddenNamespace | null; children: ReactNode }) {
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/**
 * The 403 page of `/ns/{namespace}`: which namespace, what the API server refused (kind and user, in
 * its own words), and how to grant it. Without the layout's detail (it should always be there) it still
 * names the namespace from the URL and points at the JSON API, which carries the same message.
 */
export function NamespaceForbidden() {
  const detail = useContext(Ctx);
  const params = useParams<{ namespace?: string }>();
  let namespace = detail?.namespace ?? params?.namespace ?? '';
  try {
    namespace = decodeURIComponent(namespace);
  } catch {
    // Keep it as typed.
  }
  const api = `/api/v1/namespaces/${encodeURIComponent(namespace)}`;
  return (
    <ErrorNotice
      title="This environment is forbidden to Chainboard"
      status={403}
      message={
        detail ? (
          <p>{detail.message}</p>
        ) : (
          <p>
            Chainboard may not read namespace <strong className="break-all font-mono">{namespace}</strong>. The API says which kind was
            refused, and to whom: <a href={api} className="font-mono text-blue-700 hover:underline dark:text-blue-400">{api}</a>.
          </p>
        )
      }
    >
      <p className="mt-3 text-sm text-zinc-700 dark:text-zinc-300">
        Chainboard reads the cluster with its own read-only ServiceAccount. Grant it <code>get</code>, <code>list</code> and <code>watch</code> on
        Ingresses, Services, EndpointSlices, Pods and Events in this namespace to see it here; until then its domains are shown as unknown,
        never as healthy.
      </p>
      <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
        What the ServiceAccount may do there (with the <code>deploy/</code> manifests; use your own if it differs):
      </p>
      <pre className="mt-1 overflow-x-auto rounded bg-zinc-100 px-3 py-2 text-sm dark:bg-zinc-800">
        <code>kubectl auth can-i --list -n {namespace} --as system:serviceaccount:chainboard:chainboard</code>
      </pre>
    </ErrorNotice>
  );
}
