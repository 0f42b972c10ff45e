import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
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

/**
 * The document of every page: language, colours, skip link. The dashboard's header and navigation are in
 * app/(dashboard)/layout.tsx, and share pages have their own frame (app/(share)/layout.tsx), so a client
 * sent a share link gets no link into the dashboard.
 */
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
        {children}
      </body>
    </html>
  );
}
