'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * Shown instead of a page while Chainboard's caches have not synced yet (the API's 503): says so, and
 * re-renders the page every 2 s until the data is there.
 */
export function NotSynced({ message }: { message: string }) {
  const router = useRouter();
  useEffect(() => {
    const t = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(t);
  }, [router]);
  return (
    <section aria-labelledby="not-synced" className="mx-auto max-w-xl rounded-lg border border-zinc-300 p-6 dark:border-zinc-700">
      <h1 id="not-synced" className="flex items-center gap-2 text-xl font-semibold">
        <span aria-hidden="true" className="inline-block h-3 w-3 animate-pulse rounded-full bg-unknown" />
        Caches are syncing
      </h1>
      <p className="mt-2">
        Chainboard is still reading the cluster (Ingresses, Services, EndpointSlices, Pods, Events) and has no complete picture yet. This
        page refreshes by itself.
      </p>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400" role="status">
        {message}
      </p>
    </section>
  );
}
