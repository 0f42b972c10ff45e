import { connection } from 'next/server';
import { DashboardShell } from '@/components/ui/dashboard-shell';
import { ErrorNotice } from '@/components/ui/error-notice';

/**
 * 404 for any URL Chainboard does not have. It renders under the root layout alone (outside the route
 * groups), so it brings the dashboard's frame itself.
 */
export default async function NotFound() {
  // Rendered per request: a prerendered page would carry no CSP nonce, and its scripts would be blocked.
  await connection();
  return (
    <DashboardShell>
      <ErrorNotice
        title="Page not found"
        status={404}
        message={
          <p>
            Chainboard has pages for the environments (<code>/</code>), one environment (<code>/c/&lt;cluster&gt;/ns/&lt;namespace&gt;</code>, or{' '}
            <code>/ns/&lt;namespace&gt;</code>) and one domain (<code>/c/&lt;cluster&gt;/d/&lt;host&gt;</code>, or <code>/d/&lt;host&gt;</code>).
          </p>
        }
      />
    </DashboardShell>
  );
}
