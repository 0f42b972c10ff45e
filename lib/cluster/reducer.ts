/**
 * The watch cache of one kind in one scope (all namespaces, or one namespace) as a pure reducer:
 * `(state, event) -> { state, changes }`. The informer feeds it list results and watch events; the
 * analysis store reads `changes` to know which namespaces became dirty.
 *
 * - `resourceVersion` is opaque: it is stored and compared with `===`, never parsed or ordered.
 * - A relist replaces the whole scope and reports the difference, so objects deleted while the watch was
 *   down vanish (no ghosts) and nothing is counted twice (no duplicates).
 * - Objects are kept in a two-level map (namespace -> name -> object) and copied per namespace, so an
 *   event costs the size of its namespace, not of the cluster.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
 */

/** The least an object needs to be cached: a name, maybe a namespace, maybe a resourceVersion. */
export interface Cacheable {
  metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string };
}

export interface CacheState<T extends Cacheable> {
  /** Namespace (`''` for cluster-scoped objects) -> name -> object. Never mutated: replaced. */
  readonly objects: ReadonlyMap<string, ReadonlyMap<string, T>>;
  /** Where the next watch starts; `''` means the next round must list first. */
  readonly resourceVersion: string;
  /** Has a list completed at least once? */
  readonly listed: boolean;
}

export type CacheEvent<T extends Cacheable> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  /** Progress without change: only the resourceVersion moves. */
  | { type: 'BOOKMARK'; resourceVersion: string }
  /** A complete list of the scope, at `resourceVersion`. */
  | { type: 'RELIST'; items: T[]; resourceVersion: string }
  /** 410 Gone: the resourceVersion is too old to watch from; the next round relists. */
  | { type: 'EXPIRED' };

export interface CacheChange<T extends Cacheable> {
  type: 'added' | 'modified' | 'deleted';
  /** `''` for cluster-scoped objects. */
  namespace: string;
  name: string;
  object: T;
  previous?: T;
}

export interface Reduced<T extends Cacheable> {
  state: CacheState<T>;
  changes: CacheChange<T>[];
}

export function emptyCache<T extends Cacheable>(): CacheState<T> {
  return { objects: new Map(), resourceVersion: '', listed: false };
}

const nsOf = (o: Cacheable) => o.metadata.namespace ?? '';

/** Same object version? Opaque resourceVersions compare with `===` only; without one, assume changed. */
const sameVersion = (a: Cacheable, b: Cacheable) =>
  a.metadata.resourceVersion !== undefined && a.metadata.resourceVersion === b.metadata.resourceVersion && a.metadata.uid === b.metadata.uid;

/** Apply one event to a cache. Pure: `state` is not touched; unchanged parts are shared with the result. */
export function reduce<T extends Cacheable>(state: CacheState<T>, event: CacheEvent<T>): Reduced<T> {
  switch (event.type) {
    case 'BOOKMARK':
      return { state: { ...state, resourceVersion: event.resourceVersion }, changes: [] };
    case 'EXPIRED':
      return { state: { ...state, resourceVersion: '' }, changes: [] };
    case 'RELIST':
      return relist(state, event.items, event.resourceVersion);
    case 'ADDED':
    case 'MODIFIED':
      return upsert(state, event.object);
    case 'DELETED':
      return remove(state, event.object);
  }
}

function withResourceVersion<T extends Cacheable>(state: CacheState<T>, o: T): string {
  // An event's object carries the resourceVersion to resume from; keep the old one if it is missing.
  return o.metadata.resourceVersion ?? state.resourceVersion;
}

function upsert<T extends Cacheable>(state: CacheState<T>, o: T): Reduced<T> {
  const ns = nsOf(o);
  const inner = state.objects.get(ns);
  const previous = inner?.get(o.metadata.name);
  const resourceVersion = withResourceVersion(state, o);
  if (previous && sameVersion(previous, o)) return { state: { ...state, resourceVersion }, changes: [] };
  const nextInner = new Map(inner);
  nextInner.set(o.metadata.name, o);
  const objects = new Map(state.objects);
  objects.set(ns, nextInner);
  const change: CacheChange<T> = previous
    ? { type: 'modified', namespace: ns, name: o.metadata.name, object: o, previous }
    : { type: 'added', namespace: ns, name: o.metadata.name, object: o };
  return { state: { ...state, objects, resourceVersion }, changes: [change] };
}

function remove<T extends Cacheable>(state: CacheState<T>, o: T): Reduced<T> {
  const ns = nsOf(o);
  const inner = state.objects.get(ns);
  const previous = inner?.get(o.metadata.name);
  const resourceVersion = withResourceVersion(state, o);
  if (!inner || !previous) return { state: { ...state, resourceVersion }, changes: [] };
  const objects = new Map(state.objects);
  if (inner.size === 1) objects.delete(ns);
  else {
    const nextInner = new Map(inner);
    nextInner.delete(o.metadata.name);
    objects.set(ns, nextInner);
  }
  return { state: { ...state, objects, resourceVersion }, changes: [{ type: 'deleted', namespace: ns, name: o.metadata.name, object: previous, previous }] };
}

function relist<T extends Cacheable>(state: CacheState<T>, items: T[], resourceVersion: string): Reduced<T> {
  const objects = new Map<string, Map<string, T>>();
  const changes: CacheChange<T>[] = [];
  for (const o of items) {
    const ns = nsOf(o);
    let inner = objects.get(ns);
    if (!inner) objects.set(ns, (inner = new Map()));
    // A list never holds one name twice; if it did, the last one wins rather than counting twice.
    inner.set(o.metadata.name, o);
  }
  for (const [ns, inner] of objects) {
    const old = state.objects.get(ns);
    for (const [name, o] of inner) {
      const previous = old?.get(name);
      if (!previous) changes.push({ type: 'added', namespace: ns, name, object: o });
      else if (!sameVersion(previous, o)) changes.push({ type: 'modified', namespace: ns, name, object: o, previous });
    }
  }
  for (const [ns, old] of state.objects) {
    const inner = objects.get(ns);
    for (const [name, o] of old) if (!inner?.has(name)) changes.push({ type: 'deleted', namespace: ns, name, object: o, previous: o });
  }
  // Share unchanged namespaces with the old state so readers holding it see no copying cost.
  const shared = new Map<string, ReadonlyMap<string, T>>();
  const touched = new Set(changes.map((c) => c.namespace));
  for (const [ns, inner] of objects) shared.set(ns, touched.has(ns) ? inner : state.objects.get(ns) ?? inner);
  return { state: { objects: shared, resourceVersion, listed: true }, changes };
}

/** Every object of a cache, in no particular order. */
export function* cachedObjects<T extends Cacheable>(state: CacheState<T>): Generator<T> {
  for (const inner of state.objects.values()) yield* inner.values();
}

/** The number of cached objects. */
export function cacheSize<T extends Cacheable>(state: CacheState<T>): number {
  let n = 0;
  for (const inner of state.objects.values()) n += inner.size;
  return n;
}
