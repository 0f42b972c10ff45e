import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { LiveStatusProvider } from '@/components/live/context';
import { SyncStatus } from '@/components/live/sync-status';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Chainboard', template: '%s · Chainboard' },
  description: 'Per-domain health of the Ingress → Service → EndpointSlice → Pod chain of each client environment',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#09090b' },
  ],
};

/** The shell of every page: skip link, header (product, nav, sync status), main landmark. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-semibold focus:text-zinc-900 focus:shadow"
        >
          Skip to content
        </a>
        <LiveStatusProvider>
          <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
            <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-1 px-4 py-2">
              <Link href="/" className="flex items-center gap-2 text-base font-bold tracking-tight">
                <svg viewBox="0 0 24 24" aria-hidden="true" className="h-5 w-5 text-healthy" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round">
                  <circle cx="4" cy="12" r="2.5" />
                  <circle cx="12" cy="12" r="2.5" />
                  <circle cx="20" cy="12" r="2.5" />
                  <path d="M6.5 12h3M14.5 12h3" />
                </svg>
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
      </body>
    </html>
  );
}
