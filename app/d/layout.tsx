import type { ReactNode } from 'react';
import { DashboardShell } from '@/components/ui/dashboard-shell';

/**
 * The domain pages, in the dashboard's frame like the pages of the (dashboard) group. They sit outside
 * that group on purpose: Next gives a metadata image inside a route group a hashed path
 * (`opengraph-image-<hash>`), and the link-preview image of a domain keeps the stable
 * `/d/{host}/opengraph-image`.
 */
export default function DomainLayout({ children }: { children: ReactNode }) {
  return <DashboardShell>{children}</DashboardShell>;
}
