import 'server-only';
/**
 * The live source: watch caches (list, then watch) over @kubernetes/client-node for every kind the engine
 * reads - Namespaces, IngressClasses, Ingresses, Services, EndpointSlices (discovery.k8s.io/v1, never the
 * v1 Endpoints API), Pods, Warning Events, and optionally `kubernetes.io/tls` Secrets, cert-manager
 * Certificates with cert-manager's request chain (CertificateRequests, ACME Orders and Challenges,
 * Issuers, ClusterIssuers), Traefik Middlewares and Traefik IngressRoutes, and the Gateway API
 * (GatewayClasses, Gateways, HTTPRoutes, ReferenceGrants). Objects are slimmed
 * at the boundary (a Secret's `tls.key` is dropped as it is parsed).
 *
 * Cluster-wide by default. With an explicit namespace list every namespaced kind is watched per
 * namespace, so a namespace-scoped Role is enough, and a 403 in one namespace is that namespace's gap
 * only. Each kind (and namespace) reports `syncing`, `synced`, `stalled`, `forbidden`, `disconnected` or,
 * for an optional API whose CRDs are not installed, `not-installed`, and when its last list, event or
 * bookmark arrived.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type {
  ResourceKind,
  SlimEndpointSlice,
  SlimEvent,
  SlimIngress,
  SlimIngressClass,
  SlimNamespace,
  SlimPod,
  SlimService,
  SlimTlsSecret,
  SlimCertManagerCertificate,
  SlimTraefikMiddleware,
  SlimTraefikIngressRoute,
  SlimAcmeChallenge,
  SlimAcmeOrder,
  SlimCertificateRequest,
  SlimCertManagerIssuer,
  SlimGateway,
  SlimGatewayClass,
  SlimHTTPRoute,
  SlimReferenceGrant,
} from '../model/k8s';
import { slimObject } from '../model/slim';
import type { DataGap, Snapshot } from '../model/snapshot';
import { slimTlsSecret } from './certificate';
import { DEFAULT_STALL_AFTER_MS, Informer, type InformerOptions, type KindState, type Timers } from './informer';
import { unrefTimers } from './informer-options';
import { cachedObjects, type Cacheable, type CacheChange } from './reducer';
import { clientNodeTransport, type Transport } from './transport';

export { loadKubeConfig } from './transport';
export type { KindState, BackoffOptions, Timers } from './informer';

/**
 * The state of one kind, and of one namespace when watched per namespace, with when its last list,
 * event or bookmark arrived (`lastEventAt`) and since when its cache is known current (`freshAt`, see
 * `Informer.freshAt`); both are absent before the first list.
 */
export type KindStatus = { kind: ResourceKind; namespace?: string; lastEventAt?: string; freshAt?: string } & KindState;

/** What the source tells its listener. */
export type SourceEvent =
  | { type: 'objects'; kind: ResourceKind; changes: CacheChange<Cacheable>[] }
  | { type: 'state'; kind: ResourceKind; namespace?: string; state: KindState };

/** The tuning every watch cache takes is passed through as it is (see InformerOptions). */
export interface LiveSourceOptions
  extends Pick<InformerOptions<Cacheable>, 'pageSize' | 'backoff' | 'watchTimeoutSeconds' | 'stallAfterMs' | 'timers' | 'now' | 'random' | 'log'> {
  /** How to reach the cluster: a KubeConfig (see `loadKubeConfig`), or a transport of your own. */
  kubeConfig?: KubeConfig;
  transport?: Transport;
  /** Watch only these namespaces (namespace-scoped RBAC). Default: cluster-wide. */
  namespaces?: string[];
  /** Also cache `kubernetes.io/tls` Secrets (their parsed public certificate only). Default false. */
  withSecrets?: boolean;
  /**
   * Also cache cert-manager `Certificate`s (cert-manager.io/v1). Opt-in because the kind only exists
   * where cert-manager is installed: on a cluster without the CRD the list would 404 for ever. With it
   * come the kinds of the request chain behind a Certificate (CertificateRequests, Issuers and
   * ClusterIssuers of cert-manager.io/v1, Orders and Challenges of acme.cert-manager.io/v1); a 404 on
   * those is `not-installed` (their step is then not checked), never an outage.
   */
  withCertificates?: boolean;
  /**
   * Also cache Traefik `Middleware`s (traefik.io/v1alpha1), to check the Middlewares Ingresses name.
   * Opt-in for the same reason: the kind exists only where Traefik's CRDs are installed.
   */
  withMiddlewares?: boolean;
  /**
   * Also cache Traefik `IngressRoute`s (traefik.io/v1alpha1), a route kind of their own. Opt-in like the
   * Middlewares: the kind exists only where Traefik's CRDs are installed.
   */
  withIngressRoutes?: boolean;
  /**
   * Also cache the Gateway API (gateway.networking.k8s.io): GatewayClasses, Gateways, HTTPRoutes and
   * ReferenceGrants. Opt-in: the kinds exist only where the Gateway API's CRDs are installed; where they
   * are not, their lists answer 404 and the kinds read `not-installed`, not an error.
   * `gatewayNamespaces`: in namespace-list mode, the namespaces outside the list whose Gateways and
   * ReferenceGrants are read too, because Gateways usually live in a shared namespace of their own.
   * Cluster-wide, every namespace's are read.
   */
  withGatewayApi?: boolean | { gatewayNamespaces?: readonly string[] };
}

interface KindSpec {
  kind: ResourceKind;
  /** Group-version prefix of the URL. */
  base: string;
  plural: string;
  namespaced: boolean;
  fieldSelector?: string;
  /** One of cert-manager's kinds: read only with `withCertificates`. */
  certManagerChain?: boolean;
  /** Its API may not be installed: a 404 on its list is `not-installed`, not an outage. */
  optionalApi?: boolean;
  /** Read also in the extra namespaces of its option (Gateways of a shared namespace). */
  shared?: boolean;
}

/** The kinds, in the order their state is reported. */
const SPECS: readonly KindSpec[] = [
  { kind: 'Namespace', base: '/api/v1', plural: 'namespaces', namespaced: false },
  { kind: 'IngressClass', base: '/apis/networking.k8s.io/v1', plural: 'ingressclasses', namespaced: false },
  { kind: 'Ingress', base: '/apis/networking.k8s.io/v1', plural: 'ingresses', namespaced: true },
  { kind: 'Service', base: '/api/v1', plural: 'services', namespaced: true },
  { kind: 'EndpointSlice', base: '/apis/discovery.k8s.io/v1', plural: 'endpointslices', namespaced: true },
  { kind: 'Pod', base: '/api/v1', plural: 'pods', namespaced: true },
  // Only Warnings: Normal events are most of the churn and the engine does not read them.
  { kind: 'Event', base: '/api/v1', plural: 'events', namespaced: true, fieldSelector: 'type=Warning' },
  { kind: 'Secret', base: '/api/v1', plural: 'secrets', namespaced: true, fieldSelector: 'type=kubernetes.io/tls' },
  { kind: 'Certificate', base: '/apis/cert-manager.io/v1', plural: 'certificates', namespaced: true, certManagerChain: true, optionalApi: true },
  { kind: 'CertificateRequest', base: '/apis/cert-manager.io/v1', plural: 'certificaterequests', namespaced: true, certManagerChain: true, optionalApi: true },
  { kind: 'Order', base: '/apis/acme.cert-manager.io/v1', plural: 'orders', namespaced: true, certManagerChain: true, optionalApi: true },
  { kind: 'Challenge', base: '/apis/acme.cert-manager.io/v1', plural: 'challenges', namespaced: true, certManagerChain: true, optionalApi: true },
  { kind: 'Issuer', base: '/apis/cert-manager.io/v1', plural: 'issuers', namespaced: true, certManagerChain: true, optionalApi: true },
  { kind: 'ClusterIssuer', base: '/apis/cert-manager.io/v1', plural: 'clusterissuers', namespaced: false, certManagerChain: true, optionalApi: true },
  { kind: 'Middleware', base: '/apis/traefik.io/v1alpha1', plural: 'middlewares', namespaced: true },
  { kind: 'IngressRoute', base: '/apis/traefik.io/v1alpha1', plural: 'ingressroutes', namespaced: true },
  { kind: 'GatewayClass', base: '/apis/gateway.networking.k8s.io/v1', plural: 'gatewayclasses', namespaced: false, optionalApi: true },
  { kind: 'Gateway', base: '/apis/gateway.networking.k8s.io/v1', plural: 'gateways', namespaced: true, optionalApi: true, shared: true },
  { kind: 'HTTPRoute', base: '/apis/gateway.networking.k8s.io/v1', plural: 'httproutes', namespaced: true, optionalApi: true },
  { kind: 'ReferenceGrant', base: '/apis/gateway.networking.k8s.io/v1beta1', plural: 'referencegrants', namespaced: true, optionalApi: true, shared: true },
];

const GATEWAY_KINDS: ReadonlySet<ResourceKind> = new Set(['GatewayClass', 'Gateway', 'HTTPRoute', 'ReferenceGrant']);

/** Reshape a raw object of a kind into its slim form without `kind`; undefined when unusable. */
function slimmer(kind: ResourceKind): (raw: unknown) => Cacheable | undefined {
  if (kind === 'Secret') {
    return (raw) => {
      if (typeof raw !== 'object' || raw === null) return undefined;
      const md = (raw as { metadata?: { name?: unknown } }).metadata;
      if (typeof md?.name !== 'string' || md.name === '') return undefined;
      return slimTlsSecret(raw as Record<string, unknown>) as Cacheable | undefined;
    };
  }
  return (raw) => {
    const r = slimObject(raw, kind);
    if (!r.ok) return undefined;
    const { kind: _kind, ...rest } = r.object;
    return rest as Cacheable;
  };
}

type AnyInformer = Informer<Cacheable>;

/** The watch caches of one cluster. */
export class LiveSource {
  readonly namespaceList?: readonly string[];
  readonly withSecrets: boolean;
  readonly withCertificates: boolean;
  readonly withMiddlewares: boolean;
  readonly withIngressRoutes: boolean;
  readonly withGatewayApi: boolean;
  private readonly informers: AnyInformer[] = [];
  private readonly byKind = new Map<ResourceKind, AnyInformer[]>();
  private readonly listeners = new Set<(e: SourceEvent) => void>();
  private readonly settledWaiters: (() => void)[] = [];
  private started = false;
  private readonly createdAt: string;
  private readonly timers: Timers;
  /** How often every cache is asked whether its watch has fallen silent; 0: never. */
  private readonly silenceCheckMs: number;
  private silenceTimer: unknown;

  constructor(opts: LiveSourceOptions) {
    this.createdAt = (opts.now ?? (() => new Date()))().toISOString();
    this.timers = opts.timers ?? unrefTimers;
    const stallAfterMs = opts.stallAfterMs ?? DEFAULT_STALL_AFTER_MS;
    // A stall is seen at most a sixth of the threshold late, by one timer for all the caches.
    this.silenceCheckMs = stallAfterMs > 0 ? Math.max(10, Math.round(stallAfterMs / 6)) : 0;
    // The transport's own idle limit stays above the stall threshold, so the informer's watchdog decides.
    const watchIdleTimeoutMs = Math.max(opts.stallAfterMs || DEFAULT_STALL_AFTER_MS, 90_000) + 60_000;
    const transport = opts.transport ?? (opts.kubeConfig ? clientNodeTransport(opts.kubeConfig, { watchIdleTimeoutMs }) : undefined);
    if (!transport) throw new Error('LiveSource needs a kubeConfig or a transport');
    this.namespaceList = opts.namespaces?.length ? [...new Set(opts.namespaces)].sort() : undefined;
    this.withSecrets = opts.withSecrets ?? false;
    this.withCertificates = opts.withCertificates ?? false;
    this.withMiddlewares = opts.withMiddlewares ?? false;
    this.withIngressRoutes = opts.withIngressRoutes ?? false;
    this.withGatewayApi = !!opts.withGatewayApi;
    const gatewayNamespaces = typeof opts.withGatewayApi === 'object' ? (opts.withGatewayApi.gatewayNamespaces ?? []) : [];
    for (const spec of SPECS) {
      if (GATEWAY_KINDS.has(spec.kind) && !this.withGatewayApi) continue;
      if (spec.kind === 'Middleware' && !this.withMiddlewares) continue;
      if (spec.kind === 'IngressRoute' && !this.withIngressRoutes) continue;
      if (spec.kind === 'Secret' && !this.withSecrets) continue;
      if (spec.certManagerChain && !this.withCertificates) continue;
      // A namespace-scoped Role cannot list Namespaces; in namespace-list mode they are the configured ones.
      if (spec.kind === 'Namespace' && this.namespaceList) continue;
      const perNamespace = this.namespaceList ? [...new Set([...this.namespaceList, ...(spec.shared ? gatewayNamespaces : [])])].sort() : [];
      const scopes: (string | undefined)[] = spec.namespaced && this.namespaceList ? perNamespace : [undefined];
      for (const namespace of scopes) {
        const path = namespace !== undefined ? `${spec.base}/namespaces/${encodeURIComponent(namespace)}/${spec.plural}` : `${spec.base}/${spec.plural}`;
        const informer: AnyInformer = new Informer<Cacheable>({
          kind: spec.kind,
          namespace,
          path,
          fieldSelector: spec.fieldSelector,
          notFoundIsNotInstalled: spec.optionalApi,
          transport,
          slim: slimmer(spec.kind),
          pageSize: opts.pageSize,
          backoff: opts.backoff,
          watchTimeoutSeconds: opts.watchTimeoutSeconds,
          stallAfterMs: opts.stallAfterMs,
          timers: opts.timers,
          now: opts.now,
          random: opts.random,
          log: opts.log,
          onChanges: (changes) => this.emit({ type: 'objects', kind: spec.kind, changes }),
          onState: (state, inf) => {
            this.emit({ type: 'state', kind: spec.kind, ...(inf.namespace !== undefined ? { namespace: inf.namespace } : {}), state });
            if (this.settled()) for (const w of this.settledWaiters.splice(0)) w();
          },
        });
        this.informers.push(informer);
        const list = this.byKind.get(spec.kind) ?? [];
        list.push(informer);
        this.byKind.set(spec.kind, list);
      }
    }
  }

  /** Start every watch cache. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const i of this.informers) i.start();
    this.scheduleSilenceCheck();
  }

  /** Stop every watch cache; resolves when no request is left open. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.silenceTimer !== undefined) this.timers.clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
    await Promise.all(this.informers.map((i) => i.stop()));
  }

  private scheduleSilenceCheck(): void {
    if (this.silenceCheckMs <= 0 || !this.started) return;
    this.silenceTimer = this.timers.setTimeout(() => {
      for (const i of this.informers) i.checkSilence();
      this.scheduleSilenceCheck();
    }, this.silenceCheckMs);
  }

  onChange(listener: (e: SourceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: SourceEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  /** Has every cache listed once, been refused (403), or found its kind not installed? Then a snapshot means something. */
  settled(): boolean {
    return this.informers.every((i) => i.state.state === 'forbidden' || i.state.state === 'not-installed' || i.data.listed);
  }

  /** Resolves once `settled()`: every cache listed or was refused. Bound it with a timeout. */
  whenSettled(): Promise<void> {
    if (this.settled()) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** The state of every kind (per namespace in namespace-list mode). */
  kinds(): KindStatus[] {
    const out: KindStatus[] = this.informers.map((i) => {
      const { lastEventAt, freshAt } = i;
      return {
        kind: i.kind,
        ...(i.namespace !== undefined ? { namespace: i.namespace } : {}),
        ...(lastEventAt !== undefined ? { lastEventAt } : {}),
        ...(freshAt !== undefined ? { freshAt } : {}),
        ...i.state,
      } as KindStatus;
    });
    // In namespace-list mode the Namespaces are the configured ones: known from the start.
    if (this.namespaceList) out.unshift({ kind: 'Namespace', state: 'synced', since: this.createdAt });
    return out;
  }

  /**
   * What could not be read: forbidden caches, and caches that never listed (syncing, or unreachable
   * from the start). A cache that is disconnected after a good list is not a gap: its last good data
   * stays, and the store reports it as stale instead.
   */
  gaps(): DataGap[] {
    const gaps: DataGap[] = [];
    for (const i of this.informers) {
      const s = i.state;
      const ns = i.namespace !== undefined ? { namespace: i.namespace } : {};
      if (s.state === 'forbidden') gaps.push({ reason: 'forbidden', kind: i.kind, ...ns, message: s.message });
      // Not installed is not a gap: nothing is missing, and the kind is not read (see `reads`).
      else if (s.state === 'not-installed') continue;
      else if (!i.data.listed) {
        const message = s.state === 'disconnected' ? `not listed yet: ${s.error}` : 'not listed yet';
        gaps.push({ reason: 'not-synced', kind: i.kind, ...ns, message });
      }
    }
    return gaps;
  }

  /** Cluster-scoped objects of a kind (Namespaces, IngressClasses, ClusterIssuers, GatewayClasses). */
  clusterObjects<T extends Cacheable>(kind: 'Namespace' | 'IngressClass' | 'ClusterIssuer' | 'GatewayClass'): T[] {
    if (kind === 'Namespace' && this.namespaceList) {
      return this.namespaceList.map((name) => ({ metadata: { name }, status: { phase: 'Active' } }) as unknown as T);
    }
    const out: T[] = [];
    for (const i of this.byKind.get(kind) ?? []) for (const o of cachedObjects(i.data)) out.push(o as T);
    return out;
  }

  /** Objects of a namespaced kind in one namespace. */
  objectsIn<T extends Cacheable>(kind: ResourceKind, namespace: string): T[] {
    const out: T[] = [];
    for (const i of this.byKind.get(kind) ?? []) {
      if (i.namespace !== undefined && i.namespace !== namespace) continue;
      const inner = i.data.objects.get(namespace);
      if (inner) for (const o of inner.values()) out.push(o as T);
    }
    return out;
  }

  /**
   * Is this kind being read at all (e.g. Secrets only with `withSecrets`)? A kind the server does not
   * serve (`not-installed` in every scope) is not.
   */
  reads(kind: ResourceKind): boolean {
    const informers = this.byKind.get(kind);
    if (informers) return informers.some((i) => i.state.state !== 'not-installed');
    return kind === 'Namespace' && this.namespaceList !== undefined;
  }

  /** Is a namespaced kind forbidden in this namespace (or everywhere)? */
  forbiddenIn(kind: ResourceKind, namespace: string): boolean {
    return (this.byKind.get(kind) ?? []).some((i) => i.state.state === 'forbidden' && (i.namespace === undefined || i.namespace === namespace));
  }

  /** Every namespace with a Namespace object, a cached object, or a cache of its own. */
  namespaceNames(): Set<string> {
    const names = new Set<string>(this.namespaceList ?? []);
    for (const n of this.clusterObjects('Namespace')) names.add(n.metadata.name);
    for (const i of this.informers) {
      if (i.kind === 'Namespace' || i.kind === 'IngressClass' || i.kind === 'ClusterIssuer' || i.kind === 'GatewayClass') continue;
      for (const ns of i.data.objects.keys()) names.add(ns);
    }
    return names;
  }

  /** The whole cache as one snapshot (what `chainboard check` reads from a live cluster). */
  snapshot(): Snapshot {
    const all = <T extends Cacheable>(kind: ResourceKind): T[] => {
      const out: T[] = [];
      for (const i of this.byKind.get(kind) ?? []) for (const o of cachedObjects(i.data)) out.push(o as T);
      return out;
    };
    const s: Snapshot = {
      namespaces: this.clusterObjects<SlimNamespace & Cacheable>('Namespace'),
      ingressClasses: this.clusterObjects<SlimIngressClass & Cacheable>('IngressClass'),
      ingresses: all<SlimIngress & Cacheable>('Ingress'),
      services: all<SlimService & Cacheable>('Service'),
      endpointSlices: all<SlimEndpointSlice & Cacheable>('EndpointSlice'),
      pods: all<SlimPod & Cacheable>('Pod'),
      events: all<SlimEvent & Cacheable>('Event'),
      gaps: this.gaps(),
    };
    if (this.withSecrets) s.tlsSecrets = all<SlimTlsSecret & Cacheable>('Secret');
    if (this.withCertificates) s.certificates = all<SlimCertManagerCertificate & Cacheable>('Certificate');
    if (this.reads('CertificateRequest')) s.certificateRequests = all<SlimCertificateRequest & Cacheable>('CertificateRequest');
    if (this.reads('Order')) s.orders = all<SlimAcmeOrder & Cacheable>('Order');
    if (this.reads('Challenge')) s.challenges = all<SlimAcmeChallenge & Cacheable>('Challenge');
    if (this.reads('Issuer')) s.issuers = all<SlimCertManagerIssuer & Cacheable>('Issuer');
    if (this.reads('ClusterIssuer')) s.clusterIssuers = all<SlimCertManagerIssuer & Cacheable>('ClusterIssuer');
    if (this.withMiddlewares) s.middlewares = all<SlimTraefikMiddleware & Cacheable>('Middleware');
    if (this.withIngressRoutes) s.ingressRoutes = all<SlimTraefikIngressRoute & Cacheable>('IngressRoute');
    if (this.withGatewayApi) {
      s.gatewayClasses = all<SlimGatewayClass & Cacheable>('GatewayClass');
      s.gateways = all<SlimGateway & Cacheable>('Gateway');
      s.httpRoutes = all<SlimHTTPRoute & Cacheable>('HTTPRoute');
      s.referenceGrants = all<SlimReferenceGrant & Cacheable>('ReferenceGrant');
    }
    return s;
  }
}
