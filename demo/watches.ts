/**
 * The open watches of the demo cluster's storage, and what each is owed, as kube-apiserver's watch cache
 * serves them: every stored change after the resourceVersion the watch started from, in order; a
 * BOOKMARK with the storage's resourceVersion, but none while the storage has not reached the watch's (so
 * a watch from the lost future of a storage restored to an older snapshot is accepted and stays silent);
 * an end when the storage is restored. kube-apiserver sends a bookmark only once its watch cache has
 * moved past the watch's resourceVersion, which a real cluster's background writes (leases) see to; the
 * quiet demo sends it at that resourceVersion too, so an idle healthy watch proves it is alive. While frozen, a watch receives nothing and what it is owed
 * waits, as bytes wait in a stalled TCP connection, until it is thawed or ended. Also the reads that
 * wait for the storage to reach a resourceVersion. No I/O: the HTTP layer (./list-watch.ts) writes.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#watch-bookmarks
 */
import type { KubeObject } from './resources';
import { matchesFields, matchesLabels } from './selectors';
import type { Scope, StoredEvent, WatchEventType } from './state';

/** What a watch sends: a change of an object it selects. */
export type WatchSend = (type: WatchEventType, o: KubeObject) => void;

/** One open watch, as its HTTP stream sees it. */
export interface WatchHandle {
  /** Stop delivering (the client went). */
  stop(): void;
  /**
   * The resourceVersion for a BOOKMARK now: the storage's; undefined while frozen, or while the storage
   * has not reached the resourceVersion the watch started from.
   */
  bookmark(): string | undefined;
}

interface Watch {
  scope: Scope;
  /** The resourceVersion it started from: changes at or before it are not its business. */
  from: number;
  send: WatchSend;
  end?: () => void;
  frozen: boolean;
  /** What it is owed while frozen. */
  held: [WatchEventType, KubeObject][];
}

/** Does `o` belong to the scope (namespace, label and field selectors)? */
export function matches(scope: Scope, o: KubeObject): boolean {
  if (scope.namespace !== undefined && scope.resource.namespaced && o.metadata.namespace !== scope.namespace) return false;
  return matchesLabels(scope.labels, o.metadata.labels) && matchesFields(scope.fields, o, scope.resource);
}

/** How a stored change looks to one scope: selector entries and exits become ADDED and DELETED; undefined when not its business. */
export function changeFor(scope: Scope, e: StoredEvent): WatchEventType | undefined {
  const now = matches(scope, e.object);
  const before = e.prev ? matches(scope, e.prev) : false;
  if (e.type === 'DELETED') return before ? 'DELETED' : undefined;
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  return before ? 'DELETED' : undefined;
}

/** The open watches of one storage. */
export class Watches {
  private readonly open = new Set<Watch>();
  /** Watches opened from now on start frozen too. */
  private freezeNew = false;
  private readonly waiters = new Set<{ revision: number; wake: (reached: boolean) => void }>();

  /** `revision`: the storage's current revision. */
  constructor(private readonly revision: () => number) {}

  /** Open watches. */
  get size(): number {
    return this.open.size;
  }

  /** Are watches frozen (and those opened meanwhile too, unless only the open ones were)? */
  get frozen(): boolean {
    return this.freezeNew || [...this.open].some((w) => w.frozen);
  }

  /**
   * Register a watch from `from`; `initial` is what it is sent first (the current objects for a watch
   * from "now", the replayed history otherwise), through the same gate as later changes. `end` is called
   * when the storage ends it.
   */
  add(scope: Scope, from: number, send: WatchSend, initial: [WatchEventType, KubeObject][], end?: () => void): WatchHandle {
    const w: Watch = { scope, from, send, end, frozen: this.freezeNew, held: [] };
    this.open.add(w);
    for (const [type, o] of initial) this.emit(w, type, o);
    return {
      stop: () => this.open.delete(w),
      bookmark: () => (w.frozen || this.revision() < w.from ? undefined : String(this.revision())),
    };
  }

  /** Hand a stored change to every watch it concerns, and wake the reads waiting for its revision. */
  deliver(e: StoredEvent): void {
    for (const w of [...this.open]) {
      if (e.resource !== w.scope.resource || e.rv <= w.from) continue;
      const type = changeFor(w.scope, e);
      if (type) this.emit(w, type, e.object);
    }
    for (const waiter of [...this.waiters]) if (e.rv >= waiter.revision) waiter.wake(true);
  }

  private emit(w: Watch, type: WatchEventType, o: KubeObject): void {
    if (w.frozen) w.held.push([type, o]);
    else w.send(type, o);
  }

  /** Freeze the open watches, and with `openOnly` false those opened until `thaw()` as well. Returns how many are open. */
  freeze(openOnly: boolean): number {
    for (const w of this.open) w.frozen = true;
    this.freezeNew = !openOnly;
    return this.open.size;
  }

  /** Let every watch go on, sending first what it is owed. */
  thaw(): void {
    this.freezeNew = false;
    for (const w of [...this.open]) {
      w.frozen = false;
      for (const [type, o] of w.held.splice(0)) w.send(type, o);
    }
  }

  /** End every watch (what they are owed is dropped), as a restored storage does. */
  endAll(): void {
    const all = [...this.open];
    this.open.clear();
    for (const w of all) w.end?.();
  }

  /** Resolves true once a change reaches `revision`, false after `ms` without. */
  reach(revision: number, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter = {
        revision,
        wake: (reached: boolean) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.wake(false), ms);
      timer.unref();
      this.waiters.add(waiter);
    });
  }
}
