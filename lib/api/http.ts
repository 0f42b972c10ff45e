import 'server-only';
import type { ApiOutcome } from './service';

/** JSON response for an outcome; never cached by intermediaries (the data is live). */
export function respond<T>(outcome: ApiOutcome<T>): Response {
  const headers = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  if (outcome.ok) return new Response(outcome.json ?? JSON.stringify(outcome.data), { status: 200, headers });
  return new Response(JSON.stringify(outcome.body), {
    status: outcome.status,
    headers: outcome.status === 503 ? { ...headers, 'retry-after': '2' } : headers,
  });
}
