import Link from 'next/link';
import type { ReactNode } from 'react';
import { LiveStatusProvider } from '../live/context';
import { SyncStatus } from '../live/sync-status';

/**
 * The frame of the dashboard's own pages: header (product, nav, sync status) and main landmark. Share
 * pages do not get it: a client sent a link must find no way into the rest of the dashboard there
 * (app/(share) has its own layout).
 */
export function DashboardShell({ children }: { children: ReactNode }) {
  return (
    <LiveStatusProvider>
      <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-1 px-4 py-2">
          <Link href="/" className="flex items-center gap-2 text-base font-bold tracking-tight">
            <ChainMark />
            Chainboard
          </Link>
          <nav aria-label="Main" className="text-sm">
            <ul className="flex gap-4">
              <li>
                <Link href="/" className="text-zinc-700 hover:text-zinc-950 hover:underline dark:text-zinc-300 dark:hover:text-white">
                  Environments
                </Link>
              </li>
              <li>
                <a href="/api/v1/overview" className="text-zinc-700 hover:text-zinc-950 hover:underline dark:text-zinc-300 dark:hover:text-white">
                  JSON API
                </a>
              </li>
            </ul>
          </nav>
          <div className="ml-auto">
            <SyncStatus />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-5 focus:outline-none">
        {children}
      </main>
    </LiveStatusProvider>
  );
}

/** Chainboard's mark: three links of a chain. */
export function ChainMark({ className = 'h-5 w-5 text-healthy' }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className={className} fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round">
      <circle cx="4" cy="12" r="2.5" />
      <circle cx="12" cy="12" r="2.5" />
      <circle cx="20" cy="12" r="2.5" />
      <path d="M6.5 12h3M14.5 12h3" />
    </svg>
  );
}
