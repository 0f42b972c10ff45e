import Link from 'next/link';
import type { ReactNode } from 'react';

/** A full-page explanation of why a page cannot be shown, with the way back. */
export function ErrorNotice({ title, status, message, children }: { title: string; status?: number; message: ReactNode; children?: ReactNode }) {
  return (
    <section aria-labelledby="error-title" className="mx-auto max-w-2xl rounded-lg border border-zinc-300 bg-white p-6 dark:border-zinc-700 dark:bg-zinc-900">
      {status ? <p className="text-sm font-semibold text-zinc-500 dark:text-zinc-400">{status}</p> : null}
      <h1 id="error-title" className="mt-1 text-2xl font-bold tracking-tight">
        {title}
      </h1>
      <div className="mt-3 text-zinc-800 dark:text-zinc-200">{message}</div>
      {children}
      <p className="mt-5">
        <Link href="/" className="font-medium text-blue-700 hover:underline dark:text-blue-400">
          ← All client environments
        </Link>
      </p>
    </section>
  );
}
