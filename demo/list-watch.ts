/**
 * LIST and WATCH as the Kubernetes API serves them: a list in pages (`limit`, `continue`, 410 Expired for
 * a continue token older than the kept history), and a watch as a stream of JSON lines (ADDED, MODIFIED,
 * DELETED; BOOKMARK when asked; one ERROR event carrying 410 Gone for a too-old resourceVersion).
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ListHolds } from './holds';
import { sendJson, statusBody } from './http';
import { groupVersion, type ResourceType } from './resources';
import { parseFieldSelector, parseLabelSelector, SelectorError } from './selectors';
import { ApiError, type ClusterState, type ListPage, type Scope } from './state';

/** What a request selects: the resource, the namespace (none: every namespace) and its selectors; 400 for a bad selector. */
export function parseScope(resource: ResourceType, namespace: string | undefined, q: URLSearchParams): Scope {
  try {
    return {
      resource,
      namespace,
      labels: parseLabelSelector(q.get('labelSelector')),
      fields: parseFieldSelector(q.get('fieldSelector'), resource),
    };
  } catch (e) {
    if (e instanceof SelectorError) throw new ApiError(400, 'BadRequest', e.message);
    throw e;
  }
}

/**
 * The page size to serve: the client's `limit` (none: the whole list), at most `maxPageSize` when set, as
 * the API allows a server to return fewer items than asked. `limit=0` asks for everything.
 */
export function pageLimit(q: URLSearchParams, maxPageSize?: number): number | undefined {
  const limit = q.has('limit') ? Number(q.get('limit')) : undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new ApiError(400, 'BadRequest', `limit: Invalid value: "${q.get('limit')}"`);
  return maxPageSize && limit !== undefined ? Math.min(limit || Infinity, maxPageSize) : limit;
}

/** A page as a typed list (`PodList`), with `continue` and `remainingItemCount` when there is more. */
export function listBody(resource: ResourceType, page: ListPage) {
  return {
    kind: `${resource.kind}List`,
    apiVersion: groupVersion(resource),
    metadata: {
      resourceVersion: page.resourceVersion,
      ...(page.continue ? { continue: page.continue } : {}),
      ...(page.remainingItemCount !== undefined ? { remainingItemCount: page.remainingItemCount } : {}),
    },
    items: page.items,
  };
}

/** What serving a list needs besides the request. */
export interface ListOptions {
  state: ClusterState;
  holds: ListHolds;
  maxPageSize?: number;
}

/** Answers a LIST, once the holds on `token`'s lists have ended, with the data of that moment. */
export async function serveList(res: ServerResponse, scope: Scope, q: URLSearchParams, token: string | undefined, opts: ListOptions): Promise<void> {
  // Held after authorization, as a real API server refuses a forbidden list at once and is slow only in
  // serving it; the data is read when the hold ends, so the answer is current.
  const held = opts.holds.pending(token);
  if (held) await held;
  const page = opts.state.list(scope, { limit: pageLimit(q, opts.maxPageSize), continue: q.get('continue') ?? undefined });
  sendJson(res, 200, listBody(scope.resource, page));
}

/** What serving a watch needs besides the request. */
export interface WatchOptions {
  state: ClusterState;
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK. */
  bookmarkMs: number;
}

/** Whether a query flag is on, as the API server reads booleans (`true` or `1`). */
export function flag(q: URLSearchParams, name: string): boolean {
  return q.get(name) === 'true' || q.get(name) === '1';
}

/**
 * Streams a WATCH from `resourceVersion` until the client goes, `timeoutSeconds` (default 30 minutes)
 * pass, or the server stops.
 */
export function serveWatch(req: IncomingMessage, res: ServerResponse, scope: Scope, q: URLSearchParams, opts: WatchOptions): void {
  const timeoutSeconds = q.has('timeoutSeconds') ? Number(q.get('timeoutSeconds')) : 1800;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  const write = (type: string, object: unknown) => {
    if (!res.writableEnded && !res.destroyed) res.write(JSON.stringify({ type, object }) + '\n');
  };
  let stop: (() => void) | undefined;
  const timers: NodeJS.Timeout[] = [];
  const end = () => {
    stop?.();
    stop = undefined;
    for (const t of timers) clearTimeout(t);
    if (!res.writableEnded) res.end();
  };
  res.on('close', end);
  req.on('close', end);
  try {
    stop = opts.state.watch(scope, q.get('resourceVersion') ?? '', (type, o) => write(type, o));
  } catch (e) {
    // As the API server: the watch starts (200), then one ERROR event carries the Status, then it ends.
    const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', (e as Error).message);
    write('ERROR', statusBody(err));
    end();
    return;
  }
  if (flag(q, 'allowWatchBookmarks')) {
    const { resource } = scope;
    const t = setInterval(() => {
      write('BOOKMARK', { kind: resource.kind, apiVersion: groupVersion(resource), metadata: { resourceVersion: opts.state.resourceVersion } });
    }, opts.bookmarkMs);
    timers.push(t);
  }
  if (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0) timers.push(setTimeout(end, timeoutSeconds * 1000));
}
