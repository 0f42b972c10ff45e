import type { ReactNode } from 'react';
import { DashboardShell } from '@/components/ui/dashboard-shell';

/** The dashboard's pages (overview, environment, domain, sign-in): header, navigation, sync status. */
export default function DashboardLayout({ children }: { children: ReactNode }) {
  return <DashboardShell>{children}</DashboardShell>;
}
