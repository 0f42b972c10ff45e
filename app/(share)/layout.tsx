import type { ReactNode } from 'react';
import { ChainMark } from '@/components/ui/dashboard-shell';

/**
 * The frame of a share page: the product's name and nothing to click. A client sent a link sees that one
 * domain; the dashboard's navigation (environments, JSON API) is not on the page, so even where the
 * dashboard is reachable without sign-in the page leads nowhere else.
 */
export default function ShareLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mx-auto flex max-w-3xl items-center gap-2 px-4 py-2">
          <ChainMark />
          <span className="text-base font-bold tracking-tight">Chainboard</span>
          <span className="text-sm text-zinc-600 dark:text-zinc-400">· shared domain status</span>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-3xl px-4 py-6 focus:outline-none">
        {children}
      </main>
    </>
  );
}
