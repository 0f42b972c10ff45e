import 'server-only';
/**
 * One watch cache: list (in pages), then watch from the list's resourceVersion, for one kind in one scope.
 * A 410 Gone relists; a dropped watch reconnects with exponential backoff; a 403 reports `forbidden`.
 * The last good data stays while disconnected. Timers and clock are injectable so tests run fast.
 *
 * What the cache cannot see for itself is guarded as well:
 * - Silence. A watch that receives nothing (no event, no BOOKMARK) for `stallAfterMs` is ended by
 *   `checkSilence()`, which the owner calls periodically, and resumed from the cache's resourceVersion,
 *   which also replays what a frozen connection held back; a kind whose watches carry bookmarks is
 *   reported `stalled` meanwhile, and relisted when the resumed watch stays silent too.
 * - A server behind the cache, as after an etcd restore: every failure to reach the server ends in a
 *   relist rather than a resumed watch, and before resuming after an unexpected end or a silence the
 *   server is asked whether it holds the cache's resourceVersion; its `ResourceVersionTooLarge` answer
 *   relists as a 410 does.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#watch-bookmarks
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
 */
import type { ResourceKind } from '../model/k8s';
import { backoffDelay, DEFAULT_STALL_AFTER_MS, realTimers, type InformerOptions, type KindState, type Timers } from './informer-options';
import { holdsResourceVersion, listPages } from './list';
import { emptyCache, reduce, type Cacheable, type CacheEvent, type CacheState } from './reducer';
import { ApiError, isForbidden, isGone, isResourceVersionTooLarge, statusError, toApiError, type StatusBody, type WatchHandle } from './transport';

export { DEFAULT_STALL_AFTER_MS, type BackoffOptions, type InformerOptions, type KindState, type Timers } from './informer-options';

/** How a watch ended. `early`: the server closed it before the timeout it was asked for. */
type WatchEnd =
  | { type: 'closed'; events: number; ms: number; early: boolean }
  | { type: 'expired' }
  | { type: 'too-large' }
  | { type: 'silent' }
  | { type: 'error'; error: ApiError };

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
  private readonly stallAfterMs: number;
  /** Epoch ms of the last list, event or bookmark received; NaN before the first list. */
  private lastReceivedMs = NaN;
  /** Epoch ms at which the server last accepted a watch. */
  private lastWatchMs = NaN;
  /** Has a watch of this cache ever carried a BOOKMARK? Then silence means something. */
  private bookmarks = false;
  /** Watches in a row that ended silent. */
  private silentRounds = 0;
  /** The open watch, for `checkSilence()`: when it started, whether it started overdue, how to end it. */
  private current: { started: number; overdue: boolean; silent: () => void } | undefined;

  constructor(opts: InformerOptions<T>) {
    this.o = opts;
    this.kind = opts.kind;
    this.namespace = opts.namespace;
    this.timers = opts.timers ?? realTimers;
    this.now = opts.now ?? (() => new Date());
    this.random = opts.random ?? Math.random;
    this.stallAfterMs = opts.stallAfterMs ?? DEFAULT_STALL_AFTER_MS;
  }

  get state(): KindState {
    return this.status;
  }

  /** When the last list, watch event or BOOKMARK of this cache arrived (ISO 8601); undefined before the first list. */
  get lastEventAt(): string | undefined {
    return Number.isNaN(this.lastReceivedMs) ? undefined : new Date(this.lastReceivedMs).toISOString();
  }

  /**
   * Since when the cache is known to be current. For a cache whose watches carry bookmarks, that is
   * `lastEventAt`: a healthy watch proves itself at least once a bookmark period. A watch without
   * bookmarks (kube-apiserver serves Events without a watch cache, and so without bookmarks) proves
   * nothing by its silence; it counts from the last watch the server accepted, which the watchdog
   * renews after each silent period.
   */
  get freshAt(): string | undefined {
    const ms = this.bookmarks || Number.isNaN(this.lastWatchMs) ? this.lastReceivedMs : Math.max(this.lastReceivedMs, this.lastWatchMs);
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
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

  /**
   * End the open watch if it has received nothing for the stall threshold: silence counts from the last
   * thing received, or, for a watch that started overdue (the one resumed after a silence), from its
   * start. A kind whose watches carry bookmarks turns `stalled`. Cheap, and without timers of its own,
   * so one periodic call by the owner serves every cache. True when it ended the watch.
   */
  checkSilence(): boolean {
    const w = this.current;
    if (!w || this.stopped || this.stallAfterMs <= 0) return false;
    const since = w.overdue ? Math.max(this.lastReceivedMs, w.started) : this.lastReceivedMs;
    if (this.now().getTime() - since < this.stallAfterMs) return false;
    w.silent();
    return true;
  }

  /** Something arrived from the server: the cache is current as of now. */
  private received(): void {
    this.lastReceivedMs = this.now().getTime();
    this.silentRounds = 0;
    if (this.status.state === 'stalled') this.markSynced();
  }

  /** Drop the resourceVersion, so the next round lists from scratch and replaces the cache. */
  private relist(why: string): void {
    this.o.log?.(`${this.label()}: ${why}; relisting`);
    this.dispatch({ type: 'EXPIRED' });
  }

  private async run(): Promise<void> {
    let attempt = 0;
    // Ask the server whether it holds the cache's resourceVersion before the next watch.
    let verify = false;
    while (!this.stopped) {
      try {
        if (this.cache.resourceVersion === '') {
          verify = false;
          await this.listAll();
          if (this.stopped) break;
          this.markSynced();
        } else if (verify) {
          verify = false;
          const held = await this.serverHoldsResourceVersion();
          if (this.stopped) break;
          if (!held) {
            this.relist(`the API server has not reached resourceVersion ${this.cache.resourceVersion} (restored from an older state?)`);
            continue;
          }
        }
        const end = await this.watchOnce();
        if (this.stopped) break;
        switch (end.type) {
          case 'expired':
            this.relist('watch expired (410)');
            attempt = 0;
            continue;
          case 'too-large':
            this.relist(`the API server has not reached resourceVersion ${this.cache.resourceVersion} (restored from an older state?)`);
            attempt = 0;
            continue;
          case 'silent':
            attempt = 0;
            this.silentRounds++;
            if (!this.bookmarks) continue;
            // A server that sends bookmarks and stays silent across a resumed watch is not merely quiet.
            if (this.silentRounds >= 2) this.relist(`no event or bookmark since ${this.lastEventAt ?? 'the start'}, across a resumed watch`);
            else {
              this.o.log?.(`${this.label()}: no event or bookmark since ${this.lastEventAt ?? 'the start'}; resuming the watch`);
              verify = true;
            }
            continue;
          case 'error':
            throw end.error;
          case 'closed':
            // Closed before its time: the server went away, or its watch cache started over (as after an
            // etcd restore), so it may no longer hold the resourceVersion.
            verify = end.early;
            // A normal end (server timeout, idle close): resume at once - unless it ends at once with
            // nothing, which would spin; then back off as for an error, without calling it one.
            if (end.events > 0 || end.ms >= 1000) {
              attempt = 0;
              continue;
            }
            await this.sleep(this.delay(attempt++));
        }
      } catch (e) {
        if (this.stopped) break;
        const err = toApiError(e, this.namespace);
        if (isGone(err)) {
          // An expired continue token (or a 410 list): start the list again from the top.
          this.dispatch({ type: 'EXPIRED' });
          continue;
        }
        let next = 'retrying';
        if (this.o.notFoundIsNotInstalled && err.status === 404 && !this.cache.listed) {
          this.setState({ state: 'not-installed', message: err.message });
          next = 'checking again later';
        } else if (isForbidden(err)) {
          this.setState({ state: 'forbidden', ...(this.namespace !== undefined ? { namespace: this.namespace } : {}), message: err.message });
        } else {
          const staleSince = this.status.state === 'disconnected' ? this.status.staleSince : this.now().toISOString();
          this.setState({ state: 'disconnected', staleSince, error: err.message });
          // A server that could not be reached may come back restored from an older etcd snapshot, where a
          // watch from the cache's resourceVersion is accepted and never tells what was lost: only a list
          // is sure to, and it ends the outage with data known to be current.
          if (this.cache.resourceVersion !== '') {
            this.dispatch({ type: 'EXPIRED' });
            next = 'retrying, relisting';
          }
        }
        this.o.log?.(`${this.label()}: ${err.message}; ${next}`);
        await this.sleep(this.delay(attempt++));
      }
    }
  }

  private serverHoldsResourceVersion(): Promise<boolean> {
    const { transport, path, fieldSelector, labelSelector } = this.o;
    return holdsResourceVersion(transport, path, this.cache.resourceVersion, { fieldSelector, labelSelector }, this.namespace);
  }

  private label(): string {
    return this.namespace ? `${this.kind} in ${this.namespace}` : this.kind;
  }

  private delay(attempt: number): number {
    return backoffDelay(this.o.backoff, attempt, this.random);
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
    const listed = await listPages(this.o.transport, this.o.path, { pageSize: this.o.pageSize ?? 500, fieldSelector: this.o.fieldSelector, labelSelector: this.o.labelSelector }, this.o.slim, () => this.stopped);
    if (!listed) return;
    this.dispatch({ type: 'RELIST', items: listed.items, resourceVersion: listed.resourceVersion });
    this.received();
  }

  /** Watch from the cache's resourceVersion until the stream ends, fails or falls silent. */
  private watchOnce(): Promise<WatchEnd> {
    const [min, max] = this.o.watchTimeoutSeconds ?? [300, 600];
    const timeoutSeconds = Math.round(min + (max - min) * this.random());
    const started = this.now().getTime();
    let events = 0;
    let expired = false;
    let tooLarge = false;
    let failure: ApiError | undefined;
    return new Promise<WatchEnd>((resolve) => {
      let ended = false;
      const end = (e: WatchEnd) => {
        if (ended) return;
        ended = true;
        this.current = undefined;
        this.watchHandle = undefined;
        this.endWatch = undefined;
        resolve(e);
      };
      // stop() ends the wait itself: an aborted watch reports nothing.
      this.endWatch = () => end({ type: 'closed', events, ms: 0, early: false });
      this.current = {
        started,
        overdue: started - this.lastReceivedMs >= this.stallAfterMs,
        silent: () => {
          if (this.bookmarks && this.status.state === 'synced') this.setState({ state: 'stalled', since: this.lastEventAt ?? this.now().toISOString() });
          this.watchHandle?.abort();
          end({ type: 'silent' });
        },
      };
      const onEvent = (type: string, raw: unknown) => {
        if (this.stopped || ended) return;
        events++;
        const obj = raw as ({ metadata?: { resourceVersion?: string } } & StatusBody) | undefined;
        switch (type) {
          case 'ADDED':
          case 'MODIFIED':
          case 'DELETED': {
            this.received();
            const o = this.o.slim(raw);
            if (o) this.dispatch({ type, object: o });
            else if (obj?.metadata?.resourceVersion) this.dispatch({ type: 'BOOKMARK', resourceVersion: obj.metadata.resourceVersion });
            break;
          }
          case 'BOOKMARK':
            this.bookmarks = true;
            this.received();
            if (obj?.metadata?.resourceVersion) this.dispatch({ type: 'BOOKMARK', resourceVersion: obj.metadata.resourceVersion });
            break;
          case 'ERROR': {
            // The API server reports an expired resourceVersion as an ERROR event with a 410 Status.
            const err = statusError(obj, { message: 'watch error' }, this.namespace);
            if (isGone(err)) expired = true;
            else if (isResourceVersionTooLarge(err)) tooLarge = true;
            else failure = err;
            break;
          }
        }
      };
      const onDone = (err?: ApiError) => {
        if (expired || isGone(err)) end({ type: 'expired' });
        else if (tooLarge || isResourceVersionTooLarge(err)) end({ type: 'too-large' });
        else if (err || failure) end({ type: 'error', error: toApiError(err ?? failure, this.namespace) });
        else {
          const ms = this.now().getTime() - started;
          end({ type: 'closed', events, ms, early: ms < timeoutSeconds * 900 });
        }
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
            end({ type: 'closed', events, ms: 0, early: false });
            return;
          }
          this.watchHandle = h;
          this.lastWatchMs = this.now().getTime();
          // Accepted by the server without an error: the cache is live again - but a stalled one only
          // once something arrives.
          if (!failure && !expired && !tooLarge && this.status.state !== 'stalled') this.markSynced();
        });
    });
  }
}
