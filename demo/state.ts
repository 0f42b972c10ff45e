/**
 * The demo cluster's storage: full API objects, one global resourceVersion counter (as etcd's revision),
 * a bounded history of changes that watches replay from, consistent snapshots for paginated lists, and
 * saved states to restore, as etcd snapshots are restored: the revision goes back with the objects.
 * No I/O: the HTTP layer (./server.ts) turns these results into responses.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 */
import { randomUUID } from 'node:crypto';
import { groupVersion, resourceOf, RESOURCES, type KubeObject, type ResourceType } from './resources';
import type { FieldSelector, LabelSelector } from './selectors';
import { decodeContinue, encodeContinue, revisionOf } from './tokens';
import { changeFor, matches, Watches, type WatchHandle, type WatchSend } from './watches';

export { matches } from './watches';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One stored change. `prev` is the object before the change, so selector watches can see it leave. */
export interface StoredEvent {
  rv: number;
  type: WatchEventType;
  resource: ResourceType;
  object: KubeObject;
  prev?: KubeObject;
}

/** What a watch or list is restricted to. */
export interface Scope {
  resource: ResourceType;
  /** Undefined for all namespaces (and for cluster-scoped resources). */
  namespace?: string;
  labels: LabelSelector;
  fields: FieldSelector;
}

/** A typed error the HTTP layer maps to a Status response. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    public readonly code: number,
    public readonly reason: string,
    message: string,
    public readonly details?: Record<string, unknown>,
    /** For an expired continue token: the token to go on with, inconsistently. */
    public readonly continueToken?: string,
  ) {
    super(message);
  }
}

export interface ListPage {
  resourceVersion: string;
  items: KubeObject[];
  continue?: string;
  remainingItemCount?: number;
}

/** The whole storage at one revision, as `etcdctl snapshot save` keeps it. */
export interface SavedState {
  readonly revision: number;
  readonly objects: ReadonlyMap<ResourceType, ReadonlyMap<string, KubeObject>>;
}

const keyOf = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;
const clone = <T>(o: T): T => structuredClone(o);

export interface ClusterStateOptions {
  /** How many changes to keep for watches to replay; older resourceVersions get 410 Gone. Default 1000. */
  historyLimit?: number;
  /** Clock for creationTimestamp and friends. */
  now?: () => Date;
  /**
   * How long a read at a resourceVersion the storage has not reached waits for it before the 504
   * `ResourceVersionTooLarge` answer. Default 3000 ms, kube-apiserver's watch cache wait.
   */
  freshWaitMs?: number;
}

/** A merge patch (RFC 7386), or a function returning the new object from a copy of the old. */
export type Patch = Record<string, unknown> | ((o: KubeObject) => KubeObject | void);

/**
 * The objects of the demo cluster and their history. Stored objects are never mutated in place: every
 * change stores a fresh copy, so list snapshots and history entries can share them safely.
 */
export class ClusterState {
  private revision = 0;
  /** Every change with rv <= compactedRevision is gone from `history`. */
  private compactedRevision = 0;
  private readonly history: StoredEvent[] = [];
  private readonly objects = new Map<ResourceType, Map<string, KubeObject>>();
  /** The open watches: freeze and thaw them here. */
  readonly watches = new Watches(() => this.revision);
  /** Consistent list snapshots for continue tokens, by `plural.group@rv`. */
  private readonly snapshots = new Map<string, KubeObject[]>();
  readonly historyLimit: number;
  private readonly now: () => Date;
  /** See {@link ClusterStateOptions.freshWaitMs}. */
  readonly freshWaitMs: number;

  constructor(opts: ClusterStateOptions = {}) {
    this.historyLimit = opts.historyLimit ?? 1000;
    this.now = opts.now ?? (() => new Date());
    this.freshWaitMs = opts.freshWaitMs ?? 3000;
    for (const r of RESOURCES) this.objects.set(r, new Map());
  }

  /** The current resourceVersion, as the opaque string clients see. */
  get resourceVersion(): string {
    return String(this.revision);
  }

  /** The oldest resourceVersion a watch can still start from. */
  get oldestWatchableVersion(): string {
    return String(this.compactedRevision);
  }

  /** Load objects without history, as if they had always been there (the initial state). */
  seed(objects: KubeObject[]): void {
    for (const o of objects) this.apply(o);
    this.compact();
  }

  /** Drop all history, as etcd compaction does: every watch from an older resourceVersion gets 410 Gone. */
  compact(): void {
    this.compactedRevision = this.revision;
    this.history.length = 0;
    this.dropSnapshots();
  }

  /** The storage as it is now, to `restore` later. Cheap: stored objects are never mutated. */
  save(): SavedState {
    return { revision: this.revision, objects: new Map([...this.objects].map(([r, m]) => [r, new Map(m)])) };
  }

  /**
   * Go back to a saved state, as an etcd restore without `--bump-revision` does: the objects and the
   * revision of then, no history (a watch from before it gets 410 Gone; one from its lost future is
   * accepted and stays silent), every open watch ended, as kube-apiserver's watch cache ends them.
   *
   * @see https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#restoring-an-etcd-cluster
   */
  restore(saved: SavedState): void {
    for (const [r, m] of saved.objects) this.objects.set(r, new Map(m));
    this.revision = saved.revision;
    this.compactedRevision = saved.revision;
    this.history.length = 0;
    this.snapshots.clear();
    this.watches.endAll();
  }

  /** Create or replace an object (kubectl apply, minus the three-way merge). Returns the stored copy. */
  apply(input: KubeObject): KubeObject {
    const resource = resourceOf(input);
    if (!resource) throw new ApiError(400, 'BadRequest', `no kind "${String(input.kind)}" is registered for version "${String(input.apiVersion)}" in the demo cluster`);
    const o = clone(input);
    o.apiVersion = groupVersion(resource);
    if (!o.metadata || typeof o.metadata.name !== 'string' || o.metadata.name === '') {
      throw new ApiError(422, 'Invalid', `${resource.kind} "" is invalid: metadata.name: Required value: name is required`);
    }
    if (resource.namespaced) {
      o.metadata.namespace ||= 'default';
      // The demo creates missing namespaces instead of refusing the object: dumps often lack them.
      if (!this.objects.get(namespaceType)!.has(keyOf(undefined, o.metadata.namespace))) {
        this.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.metadata.namespace }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
      }
    } else delete o.metadata.namespace;
    const store = this.objects.get(resource)!;
    const key = keyOf(o.metadata.namespace, o.metadata.name);
    const prev = store.get(key);
    o.metadata.uid = prev?.metadata.uid ?? o.metadata.uid ?? randomUUID();
    o.metadata.creationTimestamp = prev?.metadata.creationTimestamp ?? o.metadata.creationTimestamp ?? isoSeconds(this.now());
    if (o.metadata.generation === undefined && prev?.metadata.generation !== undefined) o.metadata.generation = prev.metadata.generation;
    this.revision++;
    o.metadata.resourceVersion = String(this.revision);
    store.set(key, o);
    this.record({ rv: this.revision, type: prev ? 'MODIFIED' : 'ADDED', resource, object: o, prev });
    return o;
  }

  /** Delete an object now (no graceful termination: the timeline does that with deletionTimestamp first). */
  remove(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const resource = this.resource(kind);
    const store = this.objects.get(resource)!;
    const key = keyOf(resource.namespaced ? namespace ?? 'default' : undefined, name);
    const prev = store.get(key);
    if (!prev) return undefined;
    store.delete(key);
    this.revision++;
    // The DELETED event carries the object at the revision of the deletion, as the API server sends it.
    const gone = clone(prev);
    gone.metadata.resourceVersion = String(this.revision);
    this.record({ rv: this.revision, type: 'DELETED', resource, object: gone, prev });
    if (resource.kind === 'Namespace') {
      for (const [r, objs] of this.objects) {
        if (!r.namespaced) continue;
        for (const o of [...objs.values()]) if (o.metadata.namespace === name) this.remove(r.kind, name, o.metadata.name);
      }
    }
    return gone;
  }

  /** Change an object with a merge patch or a function. Throws a 404 ApiError when it does not exist. */
  patch(kind: string, namespace: string | undefined, name: string, patch: Patch): KubeObject {
    const resource = this.resource(kind);
    const cur = this.get(resource, resource.namespaced ? namespace ?? 'default' : undefined, name);
    if (!cur) throw notFound(resource, name);
    let next = clone(cur);
    if (typeof patch === 'function') next = patch(next) ?? next;
    else next = mergePatch(next, patch) as KubeObject;
    next.metadata.name = cur.metadata.name;
    if (resource.namespaced) next.metadata.namespace = cur.metadata.namespace;
    return this.apply(next);
  }

  get(resource: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(resource)!.get(keyOf(resource.namespaced ? namespace : undefined, name));
  }

  /** Every stored object of a kind (all namespaces), in key order. */
  all(kind: string): KubeObject[] {
    const resource = this.resource(kind);
    return [...this.objects.get(resource)!.values()].sort(byKey);
  }

  resource(kind: string): ResourceType {
    const r = RESOURCES.find((x) => x.kind === kind || x.plural === kind);
    if (!r) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (kind ${kind})`);
    return r;
  }

  /**
   * One page of a list. Without `limit` everything matching; with it, at most `limit` items and a continue
   * token that reads the rest from the same snapshot (the object versions of the first page's revision).
   */
  list(scope: Scope, opts: { limit?: number; continue?: string } = {}): ListPage {
    let rv = this.revision;
    let start = '';
    let all: KubeObject[];
    if (opts.continue) {
      const token = decodeContinue(opts.continue);
      if (!token) throw new ApiError(400, 'BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
      const snap = this.snapshots.get(snapshotKey(scope.resource, token.rv));
      if (token.rv < this.compactedRevision || !snap) {
        // As the API server: 410, and a token that goes on from the same key over the latest state.
        const fresh = encodeContinue(this.revision, token.start);
        this.snapshots.set(snapshotKey(scope.resource, this.revision), this.sortedAll(scope.resource));
        throw new ApiError(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
          undefined,
          fresh,
        );
      }
      rv = token.rv;
      start = token.start;
      all = snap;
    } else {
      all = this.sortedAll(scope.resource);
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const items: KubeObject[] = [];
    let i = start ? lowerBound(all, start) : 0;
    for (; i < all.length && items.length < limit; i++) {
      if (matches(scope, all[i]!)) items.push(all[i]!);
    }
    // Only claim more when a later item would match; clients rely on an empty continue meaning "done".
    let more = false;
    for (let j = i; j < all.length; j++) if (matches(scope, all[j]!)) { more = true; break; }
    const page: ListPage = { resourceVersion: String(rv), items };
    if (more) {
      const last = items[items.length - 1]!;
      page.continue = encodeContinue(rv, sortKey(last) + '\u0000');
      const key = snapshotKey(scope.resource, rv);
      if (!this.snapshots.has(key)) this.snapshots.set(key, all);
      this.trimSnapshots();
      // The API server only counts the rest when no selector filters it (counting would cost a full scan).
      if (scope.labels.length === 0 && scope.fields.length === 0) {
        let rest = 0;
        for (let j = i; j < all.length; j++) if (matches(scope, all[j]!)) rest++;
        page.remainingItemCount = rest;
      }
    }
    return page;
  }

  /**
   * Start a watch. From `fromVersion` (a resourceVersion string) the changes after it are replayed from
   * history; `''`/`'0'` first sends the current objects as ADDED. Throws ApiError 410 when the version is
   * older than the kept history. `end` is called when the storage ends the watch (a restore).
   */
  watch(scope: Scope, fromVersion: string, send: WatchSend, end?: () => void): WatchHandle {
    const initial: [WatchEventType, KubeObject][] = [];
    let from = this.revision;
    if (fromVersion === '' || fromVersion === '0') {
      for (const o of this.sortedAll(scope.resource)) if (matches(scope, o)) initial.push(['ADDED', o]);
    } else {
      from = parseRevision(fromVersion);
      if (from < this.compactedRevision) {
        throw new ApiError(410, 'Expired', `too old resource version: ${fromVersion} (${this.compactedRevision + 1})`);
      }
      for (const e of this.history) {
        const type = e.rv > from && e.resource === scope.resource ? changeFor(scope, e) : undefined;
        if (type) initial.push([type, e.object]);
      }
    }
    return this.watches.add(scope, from, send, initial, end);
  }

  /** Count of open watches, for tests that check nothing leaks. */
  get watchCount(): number {
    return this.watches.size;
  }

  private record(e: StoredEvent): void {
    this.history.push(e);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedRevision = dropped[dropped.length - 1]!.rv;
      this.dropSnapshots();
    }
    this.watches.deliver(e);
  }

  private sortedAll(resource: ResourceType): KubeObject[] {
    return [...this.objects.get(resource)!.values()].sort(byKey);
  }

  private dropSnapshots(): void {
    for (const k of this.snapshots.keys()) {
      const rv = Number(k.slice(k.lastIndexOf('@') + 1));
      if (rv < this.compactedRevision) this.snapshots.delete(k);
    }
  }

  private trimSnapshots(): void {
    // Bounded like the API server's watch cache: the oldest snapshots go first.
    while (this.snapshots.size > 32) this.snapshots.delete(this.snapshots.keys().next().value!);
  }
}

const namespaceType = RESOURCES.find((r) => r.kind === 'Namespace')!;

/** A resourceVersion as the demo's own counter; 400 as the API server answers one that is not a number. */
export function parseRevision(resourceVersion: string): number {
  const n = revisionOf(resourceVersion);
  if (n === undefined) {
    throw new ApiError(400, 'BadRequest', `resourceVersion: Invalid value: "${resourceVersion}": strconv.ParseUint: parsing "${resourceVersion}": invalid syntax`);
  }
  return n;
}

const sortKey = (o: KubeObject) => keyOf(o.metadata.namespace, o.metadata.name);
const byKey = (a: KubeObject, b: KubeObject) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0);
const snapshotKey = (r: ResourceType, rv: number) => `${r.plural}.${r.group}@${rv}`;

function lowerBound(all: KubeObject[], start: string): number {
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortKey(all[mid]!) < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function notFound(resource: ResourceType, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${resource.plural}${resource.group ? '.' + resource.group : ''} "${name}" not found`, {
    name,
    ...(resource.group ? { group: resource.group } : {}),
    kind: resource.plural,
  });
}

/** RFC 7386 JSON merge patch: null deletes, objects merge, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return clone(patch);
  const out: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** RFC 3339 with seconds, as the API server writes metadata timestamps. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
