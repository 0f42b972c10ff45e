import 'server-only';
/**
 * Time route handlers into `chainboard_http_request_duration_seconds`. Wrap the exported handler:
 *
 * ```ts
 * export const GET = instrument('/api/v1/domains/[host]', async (request, ctx: { params: Promise<{ host: string }> }) => ...);
 * ```
 *
 * The `route` label is the route PATTERN, never the request path: one series per route, however many
 * hosts are asked for.
 */
import type { ChainboardMetrics } from './registry';

type Handler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

/**
 * Wrap a handler so each call is observed with its route pattern, method and status; a handler that
 * throws is observed as status 500 and the error is rethrown for Next to handle.
 * @param metrics the app's registry, asked for at each call (the app is built on the first request).
 */
export function instrument<A extends unknown[]>(
  route: string,
  handler: Handler<A>,
  metrics: () => ChainboardMetrics,
): (request: Request, ...rest: A) => Promise<Response> {
  return async (request: Request, ...rest: A): Promise<Response> => {
    const start = performance.now();
    let status = 500;
    try {
      const response = await handler(request, ...rest);
      status = response.status;
      return response;
    } finally {
      // Measuring must never break a response.
      try {
        metrics().httpDuration.observe({ route, method: request.method, status: String(status) }, (performance.now() - start) / 1000);
      } catch {
        /* ignore */
      }
    }
  };
}
