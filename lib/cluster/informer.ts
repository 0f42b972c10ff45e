import 'server-only';
/**
 * One watch cache: list (in pages), then watch from the list's resourceVersion, for one kind in one scope.
 * A 410 Gone relists; a dropped watch reconnects with exponential backoff; a 403 reports `forbidden`.
 * The last good data stays while disconnected. Timers and clock are injectable so tests run fast.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#watch-bookmarks
 */
import type { ResourceKind } from '../model/k8s';
import { emptyCache, reduce, type Cacheable, type CacheChange, type CacheEvent, type CacheState } from './reducer';
import { ApiError, isForbidden, isGone, toApiError, type Transport, type WatchHandle } from './transport';

/** The sync state of one kind in one scope. */
export type KindState =
  | { state: 'syncing' }
  | { state: 'synced'; since: string }
  | { state: 'forbidden'; namespace?: string; message: string }
  | { state: 'disconnected'; staleSince: string; error: string };

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

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
  transport: Transport;
  /** Reshape a raw object at the boundary; undefined drops it. */
  slim: (raw: unknown) => T | undefined;
  /** Page size of the initial list. Default 500 (client-go's). */
  pageSize?: number;
  backoff?: BackoffOptions;
  /** Server-side watch timeout, picked in [min, max] seconds so watches do not all renew at once. Default [300, 600]. */
  watchTimeoutSeconds?: [number, number];
  timers?: Timers;
  now?: () => Date;
  random?: () => number;
  onChanges: (changes: CacheChange<T>[], informer: Informer<T>) => void;
  onState: (state: KindState, informer: Informer<T>) => void;
  log?: (message: string) => void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** How a watch ended. */
type WatchEnd = { type: 'closed'; events: number; ms: number } | { type: 'expired' } | { type: 'error'; error: ApiError };

export class Informer<T extends Cacheable> {
  readonly kind: ResourceKind;
  readonly namespace?: string;
  private cache: CacheState<T> = emptyCache();
  private status: KindState = { state: 'syncing' };
  private stopped = true;
  private loop: Promise<void> | undefined;
  private watchHandle: WatchHandle | undefined;
  private wake: (() => void) | undefined;
  private endWatch: (() => void) | undefined;
  private sleepTimer: unknown;
  private readonly o: InformerOptions<T>;
  private readonly timers: Timers;
  private readonly now: () => Date;
  private readonly random: () => number;

  constructor(opts: InformerOptions<T>) {
    this.o = opts;
    this.kind = opts.kind;
    this.namespace = opts.namespace;
    this.timers = opts.timers ?? realTimers;
    this.now = opts.now ?? (() => new Date());
    this.random = opts.random ?? Math.random;
  }

  get state(): KindState {
    return this.status;
  }

  get data(): CacheState<T> {
    return this.cache;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watchHandle?.abort();
    this.watchHandle = undefined;
    this.endWatch?.();
    if (this.sleepTimer !== undefined) this.timers.clearTimeout(this.sleepTimer);
    this.wake?.();
    await this.loop;
  }

  private dispatch(event: CacheEvent<T>): void {
    const r = reduce(this.cache, event);
    this.cache = r.state;
    if (r.changes.length > 0) this.o.onChanges(r.changes, this);
  }

  private setState(s: KindState): void {
    const cur = this.status;
    if (cur.state === s.state && JSON.stringify(cur) === JSON.stringify(s)) return;
    this.status = s;
    this.o.onState(s, this);
  }

  private markSynced(): void {
    if (this.status.state !== 'synced') this.setState({ state: 'synced', since: this.now().toISOString() });
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        if (this.cache.resourceVersion === '') {
          await this.listAll();
          if (this.stopped) break;
          this.markSynced();
        }
        const end = await this.watchOnce();
        if (this.stopped) break;
        if (end.type === 'expired') {
          this.o.log?.(`${this.label()}: watch expired (410), relisting`);
          this.dispatch({ type: 'EXPIRED' });
          attempt = 0;
          continue;
        }
        if (end.type === 'error') throw end.error;
        // A normal end (server timeout, bookmark-less idle close): resume at once - unless it ends at once
        // with nothing, which would spin; then back off as for an error, without calling it one.
        if (end.events > 0 || end.ms >= 1000) {
          attempt = 0;
          continue;
        }
        await this.sleep(this.delay(attempt++));
      } catch (e) {
        if (this.stopped) break;
        const err = toApiError(e, this.namespace);
        if (isGone(err)) {
          // An expired continue token (or a 410 list): start the list again from the top.
          this.dispatch({ type: 'EXPIRED' });
          continue;
        }
        if (isForbidden(err)) {
          this.setState({ state: 'forbidden', ...(this.namespace !== undefined ? { namespace: this.namespace } : {}), message: err.message });
        } else {
          const staleSince = this.status.state === 'disconnected' ? this.status.staleSince : this.now().toISOString();
          this.setState({ state: 'disconnected', staleSince, error: err.message });
        }
        this.o.log?.(`${this.label()}: ${err.message}; retrying`);
        await this.sleep(this.delay(attempt++));
      }
    }
  }

  private label(): string {
    return this.namespace ? `${this.kind} in ${this.namespace}` : this.kind;
  }

  /** Exponential backoff with jitter: initial * factor^attempt, capped, spread by +-jitter. */
  private delay(attempt: number): number {
    const b = this.o.backoff ?? {};
    const initial = b.initialMs ?? 1000;
    const max = b.maxMs ?? 30_000;
    const base = Math.min(max, initial * (b.factor ?? 2) ** Math.min(attempt, 30));
    const jitter = b.jitter ?? 0.2;
    return Math.max(0, Math.round(base * (1 + jitter * (2 * this.random() - 1))));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        this.sleepTimer = undefined;
        resolve();
      };
      this.sleepTimer = this.timers.setTimeout(() => this.wake?.(), ms);
    });
  }

  /** List every page, then replace the cache with the result (emitting the difference). */
  private async listAll(): Promise<void> {
    const items: T[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.o.transport.list(this.o.path, {
        limit: this.o.pageSize ?? 500,
        continue: token,
        fieldSelector: this.o.fieldSelector,
        labelSelector: this.o.labelSelector,
      });
      if (this.stopped) return;
      for (const raw of page.items ?? []) {
        const o = this.o.slim(raw);
        if (o) items.push(o);
      }
      // Every page of one list carries the first page's resourceVersion; the watch starts from it.
      resourceVersion = page.metadata?.resourceVersion ?? '';
      token = page.metadata?.continue || undefined;
    } while (token);
    this.dispatch({ type: 'RELIST', items, resourceVersion });
  }

  /** Watch from the cache's resourceVersion until the stream ends. */
  private watchOnce(): Promise<WatchEnd> {
    const [min, max] = this.o.watchTimeoutSeconds ?? [300, 600];
    const timeoutSeconds = Math.round(min + (max - min) * this.random());
    const started = Date.now();
    let events = 0;
    let expired = false;
    let failure: ApiError | undefined;
    return new Promise<WatchEnd>((resolve) => {
      let ended = false;
      const end = (e: WatchEnd) => {
        if (ended) return;
        ended = true;
        this.watchHandle = undefined;
        this.endWatch = undefined;
        resolve(e);
      };
      // stop() ends the wait itself: an aborted watch reports nothing.
      this.endWatch = () => end({ type: 'closed', events, ms: 0 });
      const onEvent = (type: string, raw: unknown) => {
        if (this.stopped || ended) return;
        events++;
        const obj = raw as { metadata?: { resourceVersion?: string }; code?: number; message?: string; reason?: string } | undefined;
        switch (type) {
          case 'ADDED':
          case 'MODIFIED':
          case 'DELETED': {
            const o = this.o.slim(raw);
            if (o) this.dispatch({ type, object: o });
            else if (obj?.metadata?.resourceVersion) this.dispatch({ type: 'BOOKMARK', resourceVersion: obj.metadata.resourceVersion });
            break;
          }
          case 'BOOKMARK':
            if (obj?.metadata?.resourceVersion) this.dispatch({ type: 'BOOKMARK', resourceVersion: obj.metadata.resourceVersion });
            break;
          case 'ERROR':
            // The API server reports an expired resourceVersion as an ERROR event with a 410 Status.
            if (obj?.code === 410) expired = true;
            else failure = new ApiError(obj?.message ?? 'watch error', obj?.code, obj?.reason, this.namespace);
            break;
        }
      };
      const onDone = (err?: ApiError) => {
        if (expired || isGone(err)) end({ type: 'expired' });
        else if (err || failure) end({ type: 'error', error: toApiError(err ?? failure, this.namespace) });
        else end({ type: 'closed', events, ms: Date.now() - started });
      };
      void this.o.transport
        .watch(
          this.o.path,
          {
            resourceVersion: this.cache.resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds,
            fieldSelector: this.o.fieldSelector,
            labelSelector: this.o.labelSelector,
          },
          onEvent,
          onDone,
        )
        .then((h) => {
          if (ended || this.stopped) {
            h.abort();
            end({ type: 'closed', events, ms: 0 });
            return;
          }
          this.watchHandle = h;
          // Accepted by the server without an error: the cache is live again.
          if (!failure && !expired) this.markSynced();
        });
    });
  }
}
