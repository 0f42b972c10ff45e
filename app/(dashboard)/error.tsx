'use client';
import Link from 'next/link';
import { useEffect } from 'react';

/**
 * Any page that failed while rendering. In production the message of a server error is hidden (Next
 * replaces it with a digest that matches the server log), so the digest is shown for the bug report.
 */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error && 'digest' in error ? String((error as Error & { digest?: string }).digest ?? '') : '';
  return (
    <section role="alert" aria-labelledby="error-title" className="mx-auto max-w-2xl rounded-lg border border-down/50 bg-white p-6 dark:bg-zinc-900">
      <h1 id="error-title" className="text-2xl font-bold tracking-tight">
        Something went wrong
      </h1>
      <p className="mt-3">
        This page failed to render. The cluster data is not affected: Chainboard only reads it. Try again; if it keeps failing, the server log
        has the cause{digest ? (
          <>
            {' '}
            under <code>{digest}</code>
          </>
        ) : null}
        .
      </p>
      <div className="mt-5 flex gap-3">
        <button type="button" onClick={() => retry()} className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white dark:bg-zinc-100 dark:text-zinc-900">
          Try again
        </button>
        <Link href="/" className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium dark:border-zinc-600">
          All environments
        </Link>
      </div>
    </section>
  );
}
