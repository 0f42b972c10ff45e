import type { ReactNode } from 'react';
import { DashboardShell } from '@/components/ui/dashboard-shell';

/**
 * The pages of one cluster (`/c/{cluster}/d/{host}`, `/c/{cluster}/ns/{namespace}`), in the dashboard's
 * frame like the pages of the (dashboard) group.
 */
export default function ClusterPagesLayout({ children }: { children: ReactNode }) {
  return <DashboardShell>{children}</DashboardShell>;
}
