import 'server-only';
/**
 * The informers' two kinds of LIST: the whole collection in pages, and a one-item list that asks the
 * server whether it holds a resourceVersion yet.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#semantics-for-get-and-list
 */
import { isGone, isResourceVersionTooLarge, toApiError, type Transport } from './transport';

/** The selectors of a cache, sent with each of its requests. */
export interface Selectors {
  fieldSelector?: string;
  labelSelector?: string;
}

/**
 * Every page of a list, slimmed, and the resourceVersion to watch from (every page of one list carries
 * the first page's). Undefined when `stopped()` turns true on the way. Throws what the transport throws.
 */
export async function listPages<T>(
  transport: Transport,
  path: string,
  opts: Selectors & { pageSize: number },
  slim: (raw: unknown) => T | undefined,
  stopped: () => boolean,
): Promise<{ items: T[]; resourceVersion: string } | undefined> {
  const items: T[] = [];
  let token: string | undefined;
  let resourceVersion = '';
  do {
    const page = await transport.list(path, { limit: opts.pageSize, continue: token, fieldSelector: opts.fieldSelector, labelSelector: opts.labelSelector });
    if (stopped()) return undefined;
    for (const raw of page.items ?? []) {
      const o = slim(raw);
      if (o) items.push(o);
    }
    resourceVersion = page.metadata?.resourceVersion ?? '';
    token = page.metadata?.continue || undefined;
  } while (token);
  return { items, resourceVersion };
}

/**
 * Does the server hold `resourceVersion`? A one-item list "not older than" it, with the cache's
 * selectors: kube-apiserver answers from its watch cache after waiting up to 3 s for it to catch up, and
 * with 504 `ResourceVersionTooLarge` when its storage is behind - as after a restore from an older etcd
 * snapshot, where a watch from that resourceVersion would be accepted and then stay silent. False for
 * that answer and for a 410; other failures are thrown.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
 */
export async function holdsResourceVersion(transport: Transport, path: string, resourceVersion: string, selectors: Selectors, namespace?: string): Promise<boolean> {
  try {
    await transport.list(path, { limit: 1, resourceVersion, resourceVersionMatch: 'NotOlderThan', ...selectors });
    return true;
  } catch (e) {
    const err = toApiError(e, namespace);
    if (isResourceVersionTooLarge(err) || isGone(err)) return false;
    throw err;
  }
}
