import 'server-only';
/**
 * What an informer is told (its options) and what it tells (its sync state), and the small policies it
 * follows: the backoff between retries and the default stall threshold.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#watch-bookmarks
 */
import type { ResourceKind } from '../model/k8s';
import type { Informer } from './informer';
import type { Cacheable, CacheChange } from './reducer';
import type { Transport } from './transport';

/** The timer functions the informers and the live source use; tests pass their own. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The sync state of one kind in one scope. */
export type KindState =
  | { state: 'syncing' }
  | { state: 'synced'; since: string }
  /**
   * Watching, but a watch that carries bookmarks has received nothing since `since` (the last event,
   * bookmark or list), longer than the stall threshold: the data may be stale. The watch is being
   * renewed.
   */
  | { state: 'stalled'; since: string }
  | { state: 'forbidden'; namespace?: string; message: string }
  /** The kind's API is not served (its CRD is not installed): there is nothing to read. Checked again with backoff. */
  | { state: 'not-installed'; message: string }
  | { state: 'disconnected'; staleSince: string; error: string };

/**
 * The default stall threshold. kube-apiserver sends a watch a BOOKMARK once a minute, but only once its
 * watch cache has moved past the watch's resourceVersion: on a quiet kube-apiserver 1.36 a healthy
 * watch went up to 161 s without one. Three minutes keeps a quiet healthy kind from being flagged, and
 * still shows a frozen watch within about three and a half minutes (the check runs every sixth of it).
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#watch-bookmarks
 */
export const DEFAULT_STALL_AFTER_MS = 180_000;

export interface BackoffOptions {
  /** First retry delay. Default 1000 ms. */
  initialMs?: number;
  /** Upper bound. Default 30 000 ms. */
  maxMs?: number;
  /** Growth per failed attempt. Default 2. */
  factor?: number;
  /** Random spread, as a fraction of the delay, so many caches do not retry in lockstep. Default 0.2. */
  jitter?: number;
}

export interface InformerOptions<T extends Cacheable> {
  kind: ResourceKind;
  /** Set for a namespace-scoped informer (namespace-list mode). */
  namespace?: string;
  /** Collection path, e.g. `/api/v1/pods` or `/api/v1/namespaces/ns/pods`. */
  path: string;
  fieldSelector?: string;
  labelSelector?: string;
  /** A 404 on the list means the kind's API is not installed (an optional CRD): state `not-installed`. */
  notFoundIsNotInstalled?: boolean;
  transport: Transport;
  /** Reshape a raw object at the boundary; undefined drops it. */
  slim: (raw: unknown) => T | undefined;
  /** Page size of the initial list. Default 500 (client-go's). */
  pageSize?: number;
  backoff?: BackoffOptions;
  /** Server-side watch timeout, picked in [min, max] seconds so watches do not all renew at once. Default [300, 600]. */
  watchTimeoutSeconds?: [number, number];
  /**
   * Silence (no event, no BOOKMARK, no list) after which `checkSilence()` takes a watch for stalled,
   * ends it and resumes it, in ms. Default {@link DEFAULT_STALL_AFTER_MS}; 0 turns the check off.
   */
  stallAfterMs?: number;
  timers?: Timers;
  now?: () => Date;
  random?: () => number;
  onChanges: (changes: CacheChange<T>[], informer: Informer<T>) => void;
  onState: (state: KindState, informer: Informer<T>) => void;
  log?: (message: string) => void;
}

/** The timers of the process; tests pass their own. */
export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** The timers of the process for work that is never a reason for it to stay up (checks, refreshes). */
export const unrefTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Exponential backoff with jitter: initial * factor^attempt, capped, spread by +-jitter. */
export function backoffDelay(b: BackoffOptions = {}, attempt: number, random: () => number): number {
  const initial = b.initialMs ?? 1000;
  const max = b.maxMs ?? 30_000;
  const base = Math.min(max, initial * (b.factor ?? 2) ** Math.min(attempt, 30));
  const jitter = b.jitter ?? 0.2;
  return Math.max(0, Math.round(base * (1 + jitter * (2 * random() - 1))));
}
