import 'server-only';
/**
 * List and watch requests over @kubernetes/client-node: its kubeconfig authentication (tokens, client
 * certificates, exec plugins, in-cluster ServiceAccount), its HTTP library and its `Watch`. Lists are read
 * raw rather than through the typed APIs, which turn timestamps into `Date`s and drop fields; the slim
 * types keep the API's own JSON.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 */
import { HttpMethod, IsomorphicFetchHttpLibrary, KubeConfig, RequestContext, Watch } from '@kubernetes/client-node';
import { KubeConfigError, locateKubeConfig, type KubeConfigSystem } from './kubeconfig';

/**
 * The one transport error. `status` is the HTTP status (undefined when the server was not reached);
 * `reason` the Status reason (`Forbidden`, `Expired`, ...); `causes` the reasons of the Status's
 * `details.causes` (`ResourceVersionTooLarge`, ...).
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status?: number,
    readonly reason?: string,
    readonly namespace?: string,
    readonly causes: readonly string[] = [],
  ) {
    super(message);
  }
}

export const isGone = (e: unknown) => e instanceof ApiError && e.status === 410;
export const isForbidden = (e: unknown) => e instanceof ApiError && e.status === 403;

/**
 * Is this kube-apiserver's answer to a resourceVersion newer than its storage holds: a 504 Timeout whose
 * cause is `ResourceVersionTooLarge` ("Too large resource version")? A server restored from an older
 * etcd snapshot answers so to a client that resumes from a resourceVersion of the lost future, so the
 * client's cache can only be trusted again after a list from scratch.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
 * @see https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#restoring-an-etcd-cluster
 */
export const isResourceVersionTooLarge = (e: unknown) => e instanceof ApiError && e.status === 504 && e.causes.includes('ResourceVersionTooLarge');

/** A list response as JSON. */
export interface RawList {
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items?: unknown[] | null;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface WatchHandle {
  abort(): void;
}

/** What the informers need from a cluster connection; tests may substitute their own. */
export interface Transport {
  /** GET a collection. Throws ApiError. */
  list(path: string, query: Query): Promise<RawList>;
  /**
   * Open a watch. `onEvent` gets each decoded line; `onDone` is called once, when the stream ends
   * (`undefined`) or fails (an ApiError). Resolves once the server accepted the watch (or it failed).
   */
  watch(path: string, query: Query, onEvent: (type: string, object: unknown) => void, onDone: (err?: ApiError) => void): Promise<WatchHandle>;
}

/** A `Status` object, as far as the informers read it. */
export interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: { reason?: string }[] };
}

/** The ApiError a `Status` (an error answer, or a watch's ERROR event) stands for. */
export function statusError(body: StatusBody | undefined, fallback: { message: string; status?: number }, namespace?: string): ApiError {
  const status = typeof body?.code === 'number' ? body.code : fallback.status;
  const causes = (body?.details?.causes ?? []).map((c) => c.reason).filter((r): r is string => typeof r === 'string');
  return new ApiError(body?.message || fallback.message, status, body?.reason ?? (status !== undefined ? reasonFor(status) : undefined), namespace, causes);
}

/** Turn whatever a request failed with into an ApiError, keeping the Status message when there is one. */
export function toApiError(e: unknown, namespace?: string): ApiError {
  if (e instanceof ApiError) return e;
  const err = e as { statusCode?: number; code?: number | string; message?: string; cause?: { code?: string; message?: string }; name?: string };
  // A DOMException's numeric `code` (23 for a timeout) is not an HTTP status.
  const httpCode = typeof err?.code === 'number' && !(e instanceof DOMException) ? err.code : undefined;
  const status = typeof err?.statusCode === 'number' ? err.statusCode : httpCode;
  if (status !== undefined) return new ApiError(err.message || `HTTP ${status}`, status, reasonFor(status), namespace);
  const cause = err?.cause?.code ?? err?.cause?.message;
  const msg = err?.name === 'TimeoutError' ? 'request timed out' : `${err?.message ?? String(e)}${cause ? ` (${cause})` : ''}`;
  return new ApiError(msg, undefined, undefined, namespace);
}

function reasonFor(status: number): string | undefined {
  return ({ 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 410: 'Expired', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout' } as Record<number, string>)[status];
}

const toStringQuery = (q: Query) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));

/** Limits of {@link clientNodeTransport}'s requests. */
export interface TransportOptions {
  /** A list request that has not answered after this long fails. Default 60 000 ms. */
  listTimeoutMs?: number;
  /**
   * A watch that has not connected, or has sent nothing, for this long is ended. Default 150 000 ms:
   * longer than the informer's stall threshold, so that the informer, which knows whether silence is
   * normal for its kind, decides; and longer than kube-apiserver's one-minute bookmark period, so a
   * quiet but healthy watch lives long enough to receive its bookmarks (client-node's own 30 s would cut
   * it before the first one).
   */
  watchIdleTimeoutMs?: number;
}

/** The transport over a KubeConfig: client-node's authentication, HTTP library and Watch. */
export function clientNodeTransport(kc: KubeConfig, opts: TransportOptions = {}): Transport {
  const http = new IsomorphicFetchHttpLibrary();
  const listTimeoutMs = opts.listTimeoutMs ?? 60_000;
  const watchIdleTimeoutMs = opts.watchIdleTimeoutMs ?? 150_000;
  return {
    async list(path, query) {
      const cluster = kc.getCurrentCluster();
      if (!cluster) throw new ApiError('the kubeconfig has no current cluster');
      const url = new URL(cluster.server.replace(/\/+$/, '') + path);
      for (const [k, v] of Object.entries(toStringQuery(query))) url.searchParams.set(k, v);
      const ctx = new RequestContext(url.toString(), HttpMethod.GET);
      ctx.setHeaderParam('Accept', 'application/json');
      ctx.setSignal(AbortSignal.timeout(listTimeoutMs));
      let status: number;
      let text: string;
      try {
        await kc.applySecurityAuthentication(ctx);
        const res = await http.send(ctx).toPromise();
        status = res.httpStatusCode;
        text = await res.body.text();
      } catch (e) {
        throw toApiError(e);
      }
      if (status >= 200 && status < 300) {
        try {
          return JSON.parse(text) as RawList;
        } catch {
          throw new ApiError(`${path}: the response is not JSON`, status);
        }
      }
      let body: StatusBody | undefined;
      try {
        body = JSON.parse(text) as StatusBody;
      } catch {
        body = undefined;
      }
      throw statusError(body, { message: `${path}: HTTP ${status}`, status });
    },

    async watch(path, query, onEvent, onDone) {
      let handle: AbortController | undefined;
      let done = false;
      let accepted = false;
      const finish = (err: unknown) => {
        if (done) return;
        done = true;
        // client-node gives up on a watch after `requestTimeoutMs` without a byte. On an accepted watch
        // that is a quiet resource, not a failure: end normally so the caller resumes at once.
        if (accepted && (err as { name?: string } | null)?.name === 'TimeoutError') onDone(undefined);
        else onDone(err ? toApiError(err) : undefined);
      };
      try {
        const watch = new Watch(kc);
        // client-node keeps this limit private and offers no option for it; transport.test.ts fails
        // when an upgrade renames it.
        (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = watchIdleTimeoutMs;
        handle = await watch.watch(path, toStringQuery(query), (type: string, obj: unknown) => onEvent(type, obj), finish);
        accepted = !done;
      } catch (e) {
        finish(e);
      }
      return {
        abort: () => {
          // The caller stops listening first: an abort is not a failure to report.
          done = true;
          handle?.abort();
        },
      };
    },
  };
}

/**
 * Load a KubeConfig: an explicit file, else `KUBECONFIG` / `~/.kube/config`, else the in-cluster
 * ServiceAccount (client-node's `loadFromDefault` order, found by {@link locateKubeConfig}); then select
 * `context` when given. Throws {@link KubeConfigError} when there is no kubeconfig, a named file is
 * missing, the file cannot be parsed, or the context does not exist: never a client for a cluster nobody
 * configured.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 * @see https://kubernetes.io/docs/tasks/run-application/access-api-from-pod/
 */
export function loadKubeConfig(opts: { kubeconfig?: string; context?: string; inCluster?: boolean } = {}, sys?: KubeConfigSystem): KubeConfig {
  const where = locateKubeConfig(opts, sys);
  const kc = new KubeConfig();
  if (where.from === 'in-cluster') kc.loadFromCluster();
  else {
    const [first, ...more] = where.files;
    try {
      kc.loadFromFile(first!);
      // Merged in order, as client-node's loadFromDefault does with the same list.
      for (const file of more) {
        const extra = new KubeConfig();
        extra.loadFromFile(file);
        kc.mergeConfig(extra);
      }
    } catch (e) {
      throw new KubeConfigError('invalid', `cannot read kubeconfig ${where.files.join(', ')}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      throw new KubeConfigError('invalid', `kubeconfig has no context "${opts.context}" (contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    }
    kc.setCurrentContext(opts.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new KubeConfigError('invalid', `kubeconfig ${where.from === 'in-cluster' ? '(in-cluster)' : where.files.join(', ')} has no current context with a cluster`);
  }
  return kc;
}
