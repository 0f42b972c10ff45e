import 'server-only';
/**
 * The analysis store: the current AnalysisResult over a LiveSource's caches, kept up to date
 * incrementally. A watch event marks its namespace dirty (an IngressClass change or a cluster-wide gap
 * change mark all); dirty namespaces are re-analysed together after a short debounce with
 * `analyzeNamespace`, and the parts are merged with the cheap `combine`. So a Pod restart costs one
 * namespace's analysis, not the cluster's. The periodic refresh (ages, certificate expiry) goes round the
 * namespaces a slice at a time, so it never blocks the server for a whole cluster's analysis either.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 */
import { analyzeNamespace as engineAnalyzeNamespace, combine as engineCombine, DEFAULT_NAMESPACE_PREFIX, type NamespaceAnalysis } from '../chain';
import type { AnalyzeOptions } from '../chain';
import type { AnalysisResult } from '../model/chain';
import type { ResourceKind, SlimEvent, SlimGateway, SlimIngress, SlimReferenceGrant, SlimTraefikMiddleware } from '../model/k8s';

const SHARED_GATEWAY_KINDS: ReadonlySet<ResourceKind> = new Set(['GatewayClass', 'Gateway', 'ReferenceGrant']);
import type { ProbeResults } from '../model/probe';
import type { Snapshot } from '../model/snapshot';
import type { TraefikView } from '../model/traefik';
import { unrefTimers } from './informer-options';
import type { KindStatus, LiveSource, SourceEvent, Timers } from './live';
import type { Cacheable } from './reducer';

/** What the routes read: the result (once settled), when it was in sync, and every kind's state. */
export interface StoreView {
  /** Every kind listed once (or was refused) and the first analysis is done. */
  ready: boolean;
  /** Undefined until ready. */
  result?: AnalysisResult;
  /**
   * Since when the data is known to be current: the oldest `freshAt` of the kinds (their last list,
   * event or bookmark received), so a silent watch makes it age instead of a timer moving it.
   */
  syncedAt?: string;
  /** Present while a cache is disconnected: `result` is the last good data. */
  stale?: { since: string; error: string };
  /** Present while caches are stalled (watching, but silent past the threshold): their data may be stale since `since`. */
  stalled?: { since: string; kinds: string[] };
  kinds: KindStatus[];
  /** Why there is no result yet. */
  notReadyReason?: string;
}

export interface Engine {
  analyzeNamespace(s: Snapshot, namespace: string, opts: AnalyzeOptions): NamespaceAnalysis;
  combine(parts: NamespaceAnalysis[], opts: AnalyzeOptions): AnalysisResult;
}

export interface AnalysisStoreOptions {
  source: LiveSource;
  /** Only namespaces starting with this are analysed. Default: {@link DEFAULT_NAMESPACE_PREFIX}. */
  namespacePrefix?: string;
  /** Engine thresholds (everything but `now` and the prefix). */
  analyzeOptions?: Omit<AnalyzeOptions, 'now' | 'namespacePrefix'>;
  /** Wait this long after the first dirty mark before re-analysing, to batch bursts. Default 100 ms. */
  debounceMs?: number;
  /**
   * Re-analyse every namespace this often anyway (ages, certificate expiry). Default 60 s; 0 disables. Done
   * in `REFRESH_SLICES` slices spread over the period, not all at once: at 500 namespaces a whole analysis
   * holds the event loop for about a second, and every request waits behind it.
   */
  refreshMs?: number;
  now?: () => Date;
  timers?: Timers;
  /** The analysis engine; injectable so tests can count calls. Default lib/chain. */
  engine?: Engine;
  log?: (message: string) => void;
}

/** The periodic refresh re-analyses this many slices of the namespaces per `refreshMs`. */
export const REFRESH_SLICES = 30;


const eventNamespace = (e: SlimEvent) => e.involvedObject?.namespace ?? e.metadata.namespace;

export class AnalysisStore {
  private readonly source: LiveSource;
  private readonly prefix: string;
  private readonly engine: Engine;
  private readonly timers: Timers;
  private readonly now: () => Date;
  private readonly debounceMs: number;
  private readonly refreshMs: number;
  private readonly parts = new Map<string, NamespaceAnalysis>();
  private readonly dirty = new Set<string>();
  private allDirty = true;
  private flushTimer: unknown;
  private refreshTimer: unknown;
  private result: AnalysisResult | undefined;
  private probes: ProbeResults | undefined;
  private traefik: TraefikView | undefined;
  /** The Middlewares of every namespace, shared by every namespace's snapshot until one changes. */
  private middlewares: SlimTraefikMiddleware[] | undefined;
  /** The Gateways, GatewayClasses and ReferenceGrants of every namespace, shared likewise. */
  private gatewayShared: Pick<Snapshot, 'gatewayClasses' | 'gateways' | 'referenceGrants'> | undefined;
  private readonly listeners = new Set<(v: StoreView) => void>();
  private readyWaiters: (() => void)[] = [];
  private unsubscribe: (() => void) | undefined;
  private gapKeys = new Map<string, string>();
  /** Where the periodic refresh goes on, in the sorted namespace names. */
  private refreshCursor = 0;
  /** How many namespace analyses ran, for tests and metrics. */
  analyses = 0;

  constructor(private readonly opts: AnalysisStoreOptions) {
    this.source = opts.source;
    this.prefix = opts.namespacePrefix ?? DEFAULT_NAMESPACE_PREFIX;
    this.engine = opts.engine ?? { analyzeNamespace: engineAnalyzeNamespace, combine: engineCombine };
    // Analysis is never a reason for the process to stay up.
    this.timers = opts.timers ?? unrefTimers;
    this.now = opts.now ?? (() => new Date());
    this.debounceMs = opts.debounceMs ?? 100;
    this.refreshMs = opts.refreshMs ?? 60_000;
  }

  /** Subscribe to the source and analyse once it has settled. Does not start the source. */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.source.onChange((e) => this.onSource(e));
    this.allDirty = true;
    if (this.source.settled()) this.schedule();
    this.scheduleRefresh();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.flushTimer !== undefined) this.timers.clearTimeout(this.flushTimer);
    if (this.refreshTimer !== undefined) this.timers.clearTimeout(this.refreshTimer);
    this.flushTimer = this.refreshTimer = undefined;
  }

  /** The current view. Cheap: no analysis happens here. */
  getResult(): StoreView {
    const kinds = this.source.kinds();
    const view: StoreView = { ready: this.result !== undefined, kinds };
    if (this.result) view.result = this.result;
    // ISO 8601 times of one clock order as strings do.
    const fresh = kinds.flatMap((k) => (k.state !== 'forbidden' && k.freshAt !== undefined ? [k.freshAt] : []));
    if (this.result && fresh.length > 0) view.syncedAt = fresh.reduce((a, b) => (b < a ? b : a));
    const down = kinds.filter((k): k is Extract<KindStatus, { state: 'disconnected' }> => k.state === 'disconnected');
    if (down.length > 0 && this.result) {
      const first = down.reduce((a, b) => (b.staleSince < a.staleSince ? b : a));
      view.stale = { since: first.staleSince, error: first.error };
    }
    const stalled = kinds.filter((k): k is Extract<KindStatus, { state: 'stalled' }> => k.state === 'stalled');
    if (stalled.length > 0 && this.result) {
      view.stalled = { since: stalled.reduce((a, b) => (b.since < a ? b.since : a), stalled[0]!.since), kinds: stalled.map(kindLabel) };
    }
    if (!this.result) view.notReadyReason = notReadyReason(kinds);
    return view;
  }

  /** Called after every re-analysis with the new view. */
  onChange(listener: (v: StoreView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves after the first complete analysis. Bound it with a timeout: an unreachable cluster never settles. */
  ready(): Promise<void> {
    if (this.result) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * Feed network probe results (TLS, DNS per host). Namespaces serving a host whose result changed are
   * re-analysed; the others are not touched.
   */
  setProbes(results: ProbeResults): void {
    const wasOff = this.probes === undefined;
    const old = this.probes ?? {};
    this.probes = results;
    // Probing turned on: every domain's TLS and DNS go from "probes off" to "not yet probed".
    if (wasOff) for (const ns of this.source.namespaceNames()) if (ns.startsWith(this.prefix)) this.markDirty(ns);
    const changed = new Set<string>();
    for (const host of new Set([...Object.keys(old), ...Object.keys(results)])) {
      if (old[host] !== results[host] && JSON.stringify(old[host]) !== JSON.stringify(results[host])) changed.add(host.toLowerCase());
    }
    if (changed.size === 0) return;
    for (const ns of this.source.namespaceNames()) {
      if (!ns.startsWith(this.prefix)) continue;
      const ings = this.source.objectsIn<SlimIngress & { metadata: { name: string } }>('Ingress', ns);
      if (ings.some((i) => (i.spec?.rules ?? []).some((r) => r.host && changed.has(r.host.toLowerCase())) || (i.spec?.tls ?? []).some((t) => (t.hosts ?? []).some((h) => changed.has(h.toLowerCase()))))) {
        this.markDirty(ns);
      }
    }
    // Domains that already merged the old results, e.g. a host whose Ingress just went away.
    for (const [ns, part] of this.parts) if (part.domains.some((d) => changed.has(d.host))) this.markDirty(ns);
  }

  /**
   * Feed Traefik's runtime view (lib/traefik's poller). Any namespace may be served by any router, so
   * every namespace is re-analysed; the poller calls this only when the view changed.
   */
  setTraefik(view: TraefikView | undefined): void {
    if (view === this.traefik) return;
    this.traefik = view;
    this.allDirty = true;
    this.schedule();
  }

  /** The snapshot one namespace is analysed from: as `partitionSnapshot` would cut it from the whole. */
  snapshotFor(namespace: string): Snapshot {
    const s = this.source;
    const gaps = s.gaps().filter((g) => g.namespace === undefined || g.namespace === namespace || SHARED_GATEWAY_KINDS.has(g.kind));
    const snap: Snapshot = {
      namespaces: s.clusterObjects('Namespace'),
      ingressClasses: s.clusterObjects('IngressClass'),
      ingresses: s.objectsIn('Ingress', namespace),
      services: s.objectsIn('Service', namespace),
      endpointSlices: s.objectsIn('EndpointSlice', namespace),
      pods: s.objectsIn('Pod', namespace),
      // The API requires an Event to live in the namespace of the object it is about, so the cache's
      // namespace is the engine's event namespace; filter anyway to cut exactly as the engine does.
      events: s.objectsIn<SlimEvent & { metadata: { name: string } }>('Event', namespace).filter((e) => eventNamespace(e) === namespace),
      gaps,
    };
    if (s.reads('Secret')) snap.tlsSecrets = s.objectsIn('Secret', namespace);
    if (s.reads('Certificate')) snap.certificates = s.objectsIn('Certificate', namespace);
    if (this.probes) snap.probes = this.probes;
    if (s.reads('Middleware')) {
      this.middlewares ??= [...s.namespaceNames()].flatMap((ns) => s.objectsIn<SlimTraefikMiddleware & Cacheable>('Middleware', ns));
      snap.middlewares = this.middlewares;
    }
    if (s.reads('IngressRoute')) snap.ingressRoutes = s.objectsIn('IngressRoute', namespace);
    // cert-manager's request chain: a kind whose CRD is not installed is not read, so its step reads "not checked".
    if (s.reads('CertificateRequest')) snap.certificateRequests = s.objectsIn('CertificateRequest', namespace);
    if (s.reads('Order')) snap.orders = s.objectsIn('Order', namespace);
    if (s.reads('Challenge')) snap.challenges = s.objectsIn('Challenge', namespace);
    if (s.reads('Issuer')) snap.issuers = s.objectsIn('Issuer', namespace);
    if (s.reads('ClusterIssuer')) snap.clusterIssuers = s.clusterObjects('ClusterIssuer');
    if (s.reads('HTTPRoute')) {
      // Gateways, GatewayClasses and ReferenceGrants are shared: a route attaches to another namespace's Gateway.
      this.gatewayShared ??= {
        gatewayClasses: s.clusterObjects('GatewayClass'),
        gateways: [...s.namespaceNames()].flatMap((ns) => s.objectsIn<SlimGateway & Cacheable>('Gateway', ns)),
        referenceGrants: [...s.namespaceNames()].flatMap((ns) => s.objectsIn<SlimReferenceGrant & Cacheable>('ReferenceGrant', ns)),
      };
      Object.assign(snap, this.gatewayShared);
      snap.httpRoutes = s.objectsIn('HTTPRoute', namespace);
    }
    if (this.traefik) snap.traefik = this.traefik;
    return snap;
  }

  private analyzeOptions(now: Date): AnalyzeOptions {
    return { ...this.opts.analyzeOptions, now, namespacePrefix: this.prefix };
  }

  private onSource(e: SourceEvent): void {
    if (e.type === 'objects') {
      if (e.kind === 'IngressClass' || e.kind === 'Middleware' || e.kind === 'ClusterIssuer' || SHARED_GATEWAY_KINDS.has(e.kind)) {
        // Every Ingress may name any class, and any namespace's Middleware; a Certificate any ClusterIssuer:
        // all namespaces. Likewise every HTTPRoute may attach to any namespace's Gateway, and a grant opens
        // a namespace to others.
        if (e.kind === 'Middleware') this.middlewares = undefined;
        if (SHARED_GATEWAY_KINDS.has(e.kind)) this.gatewayShared = undefined;
        this.allDirty = true;
      } else if (e.kind === 'Namespace') {
        for (const c of e.changes) this.markDirty(c.name, false);
      } else if (e.kind === 'Event') {
        for (const c of e.changes) {
          const ns = eventNamespace(c.object as unknown as SlimEvent);
          if (ns) this.markDirty(ns, false);
        }
      } else {
        for (const c of e.changes) if (c.namespace) this.markDirty(c.namespace, false);
      }
      this.schedule();
      return;
    }
    // A state change matters to the analysis only when it changes the gaps.
    const key = `${e.kind}/${e.namespace ?? ''}`;
    // A kind found not installed (or installed after all) changes what is read, without a gap.
    const gap = JSON.stringify(this.source.gaps().filter((g) => g.kind === e.kind && g.namespace === e.namespace)) + (e.state.state === 'not-installed' ? '#not-installed' : '');
    if (this.gapKeys.get(key) !== gap) {
      this.gapKeys.set(key, gap);
      if (e.namespace !== undefined) this.markDirty(e.namespace, false);
      else this.allDirty = true;
    }
    if (this.source.settled()) this.schedule();
    this.emitView();
  }

  private markDirty(ns: string, schedule = true): void {
    if (!ns.startsWith(this.prefix)) return;
    this.dirty.add(ns);
    if (schedule) this.schedule();
  }

  private schedule(): void {
    if (this.flushTimer !== undefined) return;
    if (!this.allDirty && this.dirty.size === 0) return;
    this.flushTimer = this.timers.setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, this.debounceMs);
  }

  private scheduleRefresh(): void {
    if (this.refreshMs <= 0 || !this.unsubscribe) return;
    this.refreshTimer = this.timers.setTimeout(() => {
      // The next slice of the namespaces, so each is re-analysed about once per refreshMs.
      const names = [...new Set([...this.source.namespaceNames(), ...this.parts.keys()])].filter((n) => n.startsWith(this.prefix)).sort();
      const per = Math.max(1, Math.ceil(names.length / REFRESH_SLICES));
      if (this.refreshCursor >= names.length) this.refreshCursor = 0;
      for (const ns of names.slice(this.refreshCursor, this.refreshCursor + per)) this.dirty.add(ns);
      this.refreshCursor += per;
      this.schedule();
      this.scheduleRefresh();
    }, this.refreshMs / REFRESH_SLICES);
  }

  /** Re-analyse the dirty namespaces now (the debounce timer calls this). */
  flush(): void {
    if (!this.source.settled()) return;
    const now = this.now();
    const opts = this.analyzeOptions(now);
    const names = this.source.namespaceNames();
    const todo = this.allDirty ? new Set([...names, ...this.parts.keys()]) : new Set(this.dirty);
    this.allDirty = false;
    this.dirty.clear();
    for (const ns of todo) {
      if (!ns.startsWith(this.prefix)) continue;
      if (!names.has(ns) && !this.source.gaps().some((g) => g.namespace === ns)) {
        this.parts.delete(ns);
        continue;
      }
      try {
        this.parts.set(ns, this.engine.analyzeNamespace(this.snapshotFor(ns), ns, opts));
        this.analyses++;
      } catch (e) {
        // Keep the namespace's last analysis: one odd object must not blank the dashboard.
        this.opts.log?.(`analysis of ${ns} failed: ${(e as Error).message}`);
      }
    }
    this.result = this.engine.combine([...this.parts.values()], opts);
    for (const w of this.readyWaiters.splice(0)) w();
    this.emitView();
  }

  private emitView(): void {
    if (this.listeners.size === 0) return;
    const v = this.getResult();
    for (const l of [...this.listeners]) l(v);
  }
}

/** "Pod", or "Pod in hst-acme" for a kind watched per namespace. */
const kindLabel = (k: KindStatus) => (k.namespace ? `${k.kind} in ${k.namespace}` : k.kind);

/** Why there is no result yet, in one sentence for a 503. */
function notReadyReason(kinds: KindStatus[]): string {
  const down = kinds.filter((k) => k.state === 'disconnected');
  if (down.length > 0) {
    const k = down[0] as Extract<KindStatus, { state: 'disconnected' }>;
    return `the Kubernetes API is unreachable (${kindLabel(k)}: ${k.error})`;
  }
  const waiting = kinds.filter((k) => k.state === 'syncing').map(kindLabel);
  if (waiting.length > 0) return `waiting for the first list of ${waiting.join(', ')}`;
  return 'the first analysis has not run yet';
}

/** The sync summary the JSON API serves (lib/api's `SyncInfo` shape), as of `now`. */
export function syncInfo(
  v: StoreView,
  now: Date = new Date(),
): {
  ready: boolean;
  syncedAt?: string;
  dataAgeMs?: number;
  stale?: { since: string; error?: string };
  stalled?: { since: string; kinds: string[] };
  kinds: { kind: string; namespace?: string; state: KindStatus['state']; since?: string; message?: string; lastEventAt?: string }[];
} {
  return {
    ready: v.ready,
    ...(v.syncedAt ? { syncedAt: v.syncedAt, dataAgeMs: Math.max(0, now.getTime() - Date.parse(v.syncedAt)) } : {}),
    ...(v.stale ? { stale: v.stale } : {}),
    ...(v.stalled ? { stalled: v.stalled } : {}),
    kinds: v.kinds.map((k) => {
      const base = {
        kind: k.kind,
        ...(k.namespace !== undefined ? { namespace: k.namespace } : {}),
        state: k.state,
        ...(k.lastEventAt !== undefined ? { lastEventAt: k.lastEventAt } : {}),
      };
      switch (k.state) {
        case 'synced': return { ...base, since: k.since };
        case 'stalled': return { ...base, since: k.since, message: `no event or bookmark since ${k.since}` };
        case 'disconnected': return { ...base, since: k.staleSince, message: k.error };
        case 'forbidden': return { ...base, message: k.message };
        case 'not-installed': return { ...base, message: `not installed: ${k.message}` };
        default: return base;
      }
    }),
  };
}
