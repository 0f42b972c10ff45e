import Link from 'next/link';
import type { ReactNode } from 'react';

/** A breadcrumb trail: the last entry is the current page. */
export function Breadcrumbs({ items }: { items: { label: string; href?: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
      <ol className="flex flex-wrap items-center gap-1">
        {items.map((it, i) => (
          <li key={`${i}-${it.label}`} className="flex min-w-0 items-center gap-1">
            {i > 0 ? <span aria-hidden="true">/</span> : null}
            {it.href ? (
              <Link href={it.href} className="hover:underline">
                {it.label}
              </Link>
            ) : (
              <span aria-current="page" className="truncate font-medium text-zinc-900 dark:text-zinc-100">
                {it.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** A titled section with an h2, labelled for screen readers by its heading. */
export function Section({ id, title, children, actions, className }: { id: string; title: ReactNode; children: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <section aria-labelledby={`${id}-h`} className={`rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900 ${className ?? ''}`}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id={`${id}-h`} className="text-base font-semibold">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
