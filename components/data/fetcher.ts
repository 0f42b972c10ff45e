/**
 * The one transport error of the dashboard's client side, and the fetcher every SWR hook uses.
 */
import type { ApiErrorBody } from '../../lib/api/types';

/** A non-2xx answer of the JSON API, with the API's own reason and message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** GETs JSON from the API; throws `ApiError` on an error status or a network failure (status 0). */
export async function fetchJson<T>(url: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'Unreachable', `Chainboard did not answer: ${(e as Error).message}`);
  }
  if (res.ok) return (await res.json()) as T;
  let body: Partial<ApiErrorBody> | undefined;
  try {
    body = (await res.json()) as Partial<ApiErrorBody>;
  } catch {
    // Not JSON (a proxy's error page): the status line is all we have.
  }
  throw new ApiError(res.status, body?.error?.reason ?? res.statusText, body?.error?.message ?? `HTTP ${res.status}`);
}
