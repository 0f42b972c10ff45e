/**
 * LIST and WATCH as the Kubernetes API serves them: a list in pages (`limit`, `continue`, 410 Expired for
 * a continue token older than the kept history) or at a `resourceVersion` (504 ResourceVersionTooLarge
 * when the storage has not reached it), and a watch as a stream of JSON lines (ADDED, MODIFIED, DELETED;
 * BOOKMARK when asked; one ERROR event carrying 410 Gone for a too-old resourceVersion).
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#semantics-for-get-and-list
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ListHolds } from './holds';
import { sendJson, statusBody } from './http';
import { groupVersion, type ResourceType } from './resources';
import { parseFieldSelector, parseLabelSelector, SelectorError } from './selectors';
import { ApiError, parseRevision, type ClusterState, type ListPage, type Scope } from './state';
import type { WatchHandle } from './watches';

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

/**
 * Whether a list's `resourceVersion` asks for exactly that version: with `resourceVersionMatch=Exact`,
 * and, as the API reads a `limit` with a resourceVersion but no match, in that legacy case too. Undefined
 * when the list names no resourceVersion (or "0": any).
 */
export function exactRead(q: URLSearchParams): boolean | undefined {
  const rv = q.get('resourceVersion');
  if (!rv || rv === '0') return undefined;
  const match = q.get('resourceVersionMatch');
  if (match !== null && match !== 'Exact' && match !== 'NotOlderThan') {
    throw new ApiError(400, 'BadRequest', `resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  return match === 'Exact' || (match === null && Number(q.get('limit') ?? 0) > 0);
}

/**
 * Waits until the storage holds `resourceVersion`, as a read "not older than" it does (up to the
 * storage's `freshWaitMs`), or not at all for an `exact` read; then throws kube-apiserver's 504
 * `ResourceVersionTooLarge`. A resourceVersion the storage holds returns at once.
 */
export async function reach(state: ClusterState, resourceVersion: string, exact: boolean): Promise<void> {
  const wanted = parseRevision(resourceVersion);
  // The server reads its own resourceVersions: they are its revision counter.
  const current = () => parseRevision(state.resourceVersion);
  if (wanted <= current()) return;
  if (!exact && (await state.watches.reach(wanted, state.freshWaitMs))) return;
  throw new ApiError(504, 'Timeout', `Timeout: Too large resource version: ${wanted}, current: ${current()}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: exact ? 0 : 1,
  });
}

/**
 * Answers a LIST, once the holds on `token`'s lists have ended and the storage holds the asked
 * `resourceVersion`, with the data of that moment. The demo keeps no old versions: an exact read of an
 * older resourceVersion is answered with the current data.
 */
export async function serveList(res: ServerResponse, scope: Scope, q: URLSearchParams, token: string | undefined, opts: ListOptions): Promise<void> {
  // Held after authorization, as a real API server refuses a forbidden list at once and is slow only in
  // serving it; the data is read when the hold ends, so the answer is current.
  const held = opts.holds.pending(token);
  if (held) await held;
  const exact = exactRead(q);
  if (exact !== undefined) await reach(opts.state, q.get('resourceVersion')!, exact);
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
 * pass, the storage ends it (a restore) or the server stops. BOOKMARKs carry the storage's
 * resourceVersion, none while it is behind the watch's (see ./watches.ts); a frozen watch sends nothing.
 */
export function serveWatch(req: IncomingMessage, res: ServerResponse, scope: Scope, q: URLSearchParams, opts: WatchOptions): void {
  const timeoutSeconds = q.has('timeoutSeconds') ? Number(q.get('timeoutSeconds')) : 1800;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  const write = (type: string, object: unknown) => {
    if (!res.writableEnded && !res.destroyed) res.write(JSON.stringify({ type, object }) + '\n');
  };
  let handle: WatchHandle | undefined;
  const timers: NodeJS.Timeout[] = [];
  const end = () => {
    handle?.stop();
    handle = undefined;
    for (const t of timers) clearTimeout(t);
    if (!res.writableEnded) res.end();
  };
  res.on('close', end);
  req.on('close', end);
  try {
    handle = opts.state.watch(scope, q.get('resourceVersion') ?? '', (type, o) => write(type, o), end);
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
      const resourceVersion = handle?.bookmark();
      if (resourceVersion !== undefined) write('BOOKMARK', { kind: resource.kind, apiVersion: groupVersion(resource), metadata: { resourceVersion } });
    }, opts.bookmarkMs);
    timers.push(t);
  }
  if (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0) timers.push(setTimeout(end, timeoutSeconds * 1000));
}
