import { connection } from 'next/server';
import { ErrorNotice } from '@/components/ui/error-notice';

/** 404 for any URL Chainboard does not have. */
export default async function NotFound() {
  // Rendered per request: a prerendered page would carry no CSP nonce, and its scripts would be blocked.
  await connection();
  return (
    <ErrorNotice
      title="Page not found"
      status={404}
      message={
        <p>
          Chainboard has pages for the environments (<code>/</code>), one environment (<code>/ns/&lt;namespace&gt;</code>) and one domain (
          <code>/d/&lt;host&gt;</code>).
        </p>
      }
    />
  );
}
