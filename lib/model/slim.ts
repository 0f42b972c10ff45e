/**
 * Reshape API objects (as `kubectl get -o json/yaml` writes them, or as a watch event carries them) into
 * the slim types at the boundary. Drops managedFields, status noise and every annotation the engine does
 * not read, so a cache of 50,000 Pods stays small. Pure: no I/O; never throws on odd shapes - fields of
 * the wrong type are dropped, and `slimObject` reports objects it cannot use.
 */
import type {
  AcmeOwner,
  AcmeState,
  CertManagerIssuerRef,
  SlimAcmeChallenge,
  SlimAcmeOrder,
  SlimCertificateRequest,
  SlimCertManagerIssuer,
  ContainerPort,
  ContainerStateDetail,
  ContainerStatus,
  Endpoint,
  EndpointConditions,
  OwnerRef,
  PodCondition,
  ResourceKind,
  SlimCertManagerCertificate,
  SlimContainer,
  SlimEndpointSlice,
  SlimEvent,
  SlimIngress,
  SlimIngressClass,
  SlimMeta,
  SlimNamespace,
  SlimObject,
  SlimPod,
  SlimService,
  SlimTraefikIngressRoute,
  SlimTraefikMiddleware,
  GatewayCondition,
  GatewayObjectRef,
  HTTPRouteParentRef,
  LabelSelector,
  SlimGateway,
  SlimGatewayClass,
  SlimHTTPRoute,
  SlimReferenceGrant,
} from './k8s';

/** The annotations the engine reads; all others are dropped when slimming. */
export const KEPT_ANNOTATIONS: readonly string[] = [
  'kubernetes.io/ingress.class',
  'ingressclass.kubernetes.io/is-default-class',
  'traefik.ingress.kubernetes.io/router.tls',
  'traefik.ingress.kubernetes.io/router.tls.certresolver',
  'traefik.ingress.kubernetes.io/router.entrypoints',
  'traefik.ingress.kubernetes.io/router.middlewares',
  'external-dns.alpha.kubernetes.io/hostname',
  'external-dns.alpha.kubernetes.io/target',
  'cert-manager.io/cluster-issuer',
  'cert-manager.io/issuer',
  'kubernetes.io/tls-acme',
  // The ACME chain finds a Certificate's latest request by these two (lib/chain/steps/acme.ts).
  'cert-manager.io/certificate-name',
  'cert-manager.io/certificate-revision',
  // The HTTP checks read these two (lib/probe/targets.ts).
  'chainboard.io/probe-path',
  'chainboard.io/expect-status',
];

type Json = Record<string, unknown>;

// Reshaping runs once per object of a 50,000-Pod dump or list, so the shapes a cluster holds many of
// (Pod status, containers, endpoints, every object's metadata) are built field by field, with nothing
// copied twice. Absent fields are left out rather than set to undefined, so reshaped objects compare
// equal to hand-written fixtures, and never deleted: `delete` drops V8 objects into dictionary mode,
// which made a cache of 50,000 slim Pods nearly twice as large (425 vs 228 MB) and the analysis a
// quarter slower. Each object starts as `{}`, which V8 gives room for four fields in the object itself,
// and arrays come from `map`, exactly as long as they need to be: both keep the cache as small as it
// was. Fields are set in the API's order, the order JSON output shows them in.

const NONE: Json = Object.freeze({}) as Json;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Json => (isObj(v) ? v : NONE);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/** The objects of an array, each reshaped; [] for anything but an array. */
function objs<T>(v: unknown, reshape: (o: Json) => T): T[] {
  if (!Array.isArray(v)) return [];
  for (const x of v) if (!isObj(x)) return v.filter(isObj).map((o) => reshape(o));
  return v.map((o: Json) => reshape(o));
}

/** `objs`, but undefined for anything but an array. */
const someObjs = <T>(v: unknown, reshape: (o: Json) => T): T[] | undefined => (Array.isArray(v) ? objs(v, reshape) : undefined);

/** The strings of an array; [] for anything but an array. */
function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function strMap(v: unknown): Record<string, string> | undefined {
  if (!isObj(v)) return undefined;
  const out: Record<string, string> = {};
  for (const k of Object.keys(v)) {
    const val = v[k];
    if (typeof val === 'string') out[k] = val;
  }
  return out;
}

/** A copy without the keys whose value is undefined: for the shapes a cluster holds few of. */
function compact<T extends object>(o: T): T {
  const out = {} as T;
  for (const k in o) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

const slimOwner = (o: Json): OwnerRef => compact({ kind: str(o.kind) ?? '', name: str(o.name) ?? '', uid: str(o.uid), controller: bool(o.controller) });

/** Object metadata: identity, labels, owners and the annotations the engine reads ({@link KEPT_ANNOTATIONS}). */
export function slimMeta(m: unknown): SlimMeta {
  const md = obj(m);
  const out = {} as SlimMeta;
  out.name = str(md.name) ?? '';
  const namespace = str(md.namespace);
  if (namespace !== undefined) out.namespace = namespace;
  const uid = str(md.uid);
  if (uid !== undefined) out.uid = uid;
  const resourceVersion = str(md.resourceVersion);
  if (resourceVersion !== undefined) out.resourceVersion = resourceVersion;
  const created = str(md.creationTimestamp);
  if (created !== undefined) out.creationTimestamp = created;
  const deleted = str(md.deletionTimestamp);
  if (deleted !== undefined) out.deletionTimestamp = deleted;
  const grace = num(md.deletionGracePeriodSeconds);
  if (grace !== undefined) out.deletionGracePeriodSeconds = grace;
  const labels = strMap(md.labels);
  if (labels !== undefined) out.labels = labels;
  if (isObj(md.annotations)) {
    let kept: Record<string, string> | undefined;
    for (const key of KEPT_ANNOTATIONS) {
      const v = md.annotations[key];
      if (typeof v === 'string') (kept ??= {})[key] = v;
    }
    if (kept) out.annotations = kept;
  }
  const owners = objs(md.ownerReferences, slimOwner);
  if (owners.length) out.ownerReferences = owners;
  return out;
}

function slimBackend(b: unknown) {
  if (!isObj(b)) return undefined;
  const svc = isObj(b.service) ? b.service : undefined;
  const res = isObj(b.resource) ? b.resource : undefined;
  const port = svc && isObj(svc.port) ? compact({ name: str(svc.port.name), number: num(svc.port.number) }) : undefined;
  return compact({
    service: svc ? compact({ name: str(svc.name), port }) : undefined,
    resource: res ? compact({ apiGroup: str(res.apiGroup), kind: str(res.kind), name: str(res.name) }) : undefined,
  });
}

/** @see https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/namespace-v1/ */
export function slimNamespace(o: Json): SlimNamespace {
  return { metadata: slimMeta(o.metadata), status: compact({ phase: str(obj(o.status).phase) }) };
}

/** @see https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-class-v1/ */
export function slimIngressClass(o: Json): SlimIngressClass {
  return { metadata: slimMeta(o.metadata), spec: compact({ controller: str(obj(o.spec).controller) }) };
}

/** @see https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-v1/ */
export function slimIngress(o: Json): SlimIngress {
  const spec = obj(o.spec);
  const lb = obj(obj(o.status).loadBalancer);
  return {
    metadata: slimMeta(o.metadata),
    spec: compact({
      ingressClassName: str(spec.ingressClassName),
      defaultBackend: slimBackend(spec.defaultBackend),
      rules: someObjs(spec.rules, (r) =>
        compact({
          host: str(r.host),
          http: isObj(r.http) ? { paths: objs(r.http.paths, (p) => compact({ path: str(p.path), pathType: str(p.pathType), backend: slimBackend(p.backend) })) } : undefined,
        }),
      ),
      tls: someObjs(spec.tls, (t) => compact({ hosts: Array.isArray(t.hosts) ? strs(t.hosts) : undefined, secretName: str(t.secretName) })),
    }),
    status: { loadBalancer: { ingress: objs(lb.ingress, (i) => compact({ ip: str(i.ip), hostname: str(i.hostname) })) } },
  };
}

/** @see https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/ */
export function slimService(o: Json): SlimService {
  const spec = obj(o.spec);
  return {
    metadata: slimMeta(o.metadata),
    spec: compact({
      type: str(spec.type) ?? 'ClusterIP',
      selector: strMap(spec.selector),
      clusterIP: str(spec.clusterIP),
      externalName: str(spec.externalName),
      publishNotReadyAddresses: bool(spec.publishNotReadyAddresses),
      ports: objs(spec.ports, (p) =>
        compact({
          name: str(p.name),
          protocol: str(p.protocol),
          port: num(p.port) ?? 0,
          targetPort: typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : undefined,
          nodePort: num(p.nodePort),
          appProtocol: str(p.appProtocol),
        }),
      ),
    }),
  };
}

function slimEndpoint(e: Json): Endpoint {
  const out = {} as Endpoint;
  out.addresses = strs(e.addresses);
  if (isObj(e.conditions)) {
    const c = e.conditions;
    const conditions: EndpointConditions = {};
    const ready = bool(c.ready);
    if (ready !== undefined) conditions.ready = ready;
    const serving = bool(c.serving);
    if (serving !== undefined) conditions.serving = serving;
    const terminating = bool(c.terminating);
    if (terminating !== undefined) conditions.terminating = terminating;
    out.conditions = conditions;
  }
  const hostname = str(e.hostname);
  if (hostname !== undefined) out.hostname = hostname;
  const nodeName = str(e.nodeName);
  if (nodeName !== undefined) out.nodeName = nodeName;
  const zone = str(e.zone);
  if (zone !== undefined) out.zone = zone;
  if (isObj(e.targetRef)) {
    const t = e.targetRef;
    out.targetRef = compact({ kind: str(t.kind), namespace: str(t.namespace), name: str(t.name), uid: str(t.uid) });
  }
  return out;
}

/** @see https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoint-slice-v1/ */
export function slimEndpointSlice(o: Json): SlimEndpointSlice {
  return {
    metadata: slimMeta(o.metadata),
    addressType: str(o.addressType) ?? 'IPv4',
    endpoints: objs(o.endpoints, slimEndpoint),
    ports: objs(o.ports, (p) => compact({ name: str(p.name), port: num(p.port), protocol: str(p.protocol), appProtocol: str(p.appProtocol) })),
  };
}

const slimContainerPort = (p: Json): ContainerPort => compact({ name: str(p.name), containerPort: num(p.containerPort) ?? 0, protocol: str(p.protocol) });

function slimContainer(c: Json): SlimContainer {
  const out = {} as SlimContainer;
  out.name = str(c.name) ?? '';
  const image = str(c.image);
  if (image !== undefined) out.image = image;
  const ports = objs(c.ports, slimContainerPort);
  if (ports.length) out.ports = ports;
  return out;
}

function slimState(s: unknown): ContainerStateDetail | undefined {
  if (!isObj(s)) return undefined;
  const out: ContainerStateDetail = {};
  if (isObj(s.waiting)) out.waiting = compact({ reason: str(s.waiting.reason), message: str(s.waiting.message) });
  if (isObj(s.running)) {
    const startedAt = str(s.running.startedAt);
    out.running = startedAt !== undefined ? { startedAt } : {};
  }
  if (isObj(s.terminated)) {
    const t = s.terminated;
    out.terminated = compact({ reason: str(t.reason), message: str(t.message), exitCode: num(t.exitCode), finishedAt: str(t.finishedAt), startedAt: str(t.startedAt) });
  }
  return out;
}

function slimContainerStatus(c: Json): ContainerStatus {
  const out = {} as ContainerStatus;
  out.name = str(c.name) ?? '';
  out.ready = bool(c.ready) ?? false;
  const started = bool(c.started);
  if (started !== undefined) out.started = started;
  out.restartCount = num(c.restartCount) ?? 0;
  const image = str(c.image);
  if (image !== undefined) out.image = image;
  const state = slimState(c.state);
  if (state !== undefined) out.state = state;
  const lastState = slimState(c.lastState);
  if (lastState !== undefined) out.lastState = lastState;
  return out;
}

/** Pod and Certificate conditions. */
function slimCondition(c: Json): PodCondition {
  const out = {} as PodCondition;
  out.type = str(c.type) ?? '';
  out.status = str(c.status) ?? 'Unknown';
  const reason = str(c.reason);
  if (reason !== undefined) out.reason = reason;
  const message = str(c.message);
  if (message !== undefined) out.message = message;
  const since = str(c.lastTransitionTime);
  if (since !== undefined) out.lastTransitionTime = since;
  return out;
}

const slimPodIP = (p: Json) => ({ ip: str(p.ip) ?? '' });

/** @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/ */
export function slimPod(o: Json): SlimPod {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const podSpec: NonNullable<SlimPod['spec']> = {};
  const nodeName = str(spec.nodeName);
  if (nodeName !== undefined) podSpec.nodeName = nodeName;
  podSpec.containers = objs(spec.containers, slimContainer);
  const initContainers = someObjs(spec.initContainers, slimContainer);
  if (initContainers !== undefined) podSpec.initContainers = initContainers;
  const grace = num(spec.terminationGracePeriodSeconds);
  if (grace !== undefined) podSpec.terminationGracePeriodSeconds = grace;
  return { metadata: slimMeta(o.metadata), spec: podSpec, status: slimPodStatus(status) };
}

function slimPodStatus(status: Json): NonNullable<SlimPod['status']> {
  const out: NonNullable<SlimPod['status']> = {};
  const phase = str(status.phase);
  if (phase !== undefined) out.phase = phase;
  const reason = str(status.reason);
  if (reason !== undefined) out.reason = reason;
  const message = str(status.message);
  if (message !== undefined) out.message = message;
  const podIP = str(status.podIP);
  if (podIP !== undefined) out.podIP = podIP;
  const podIPs = someObjs(status.podIPs, slimPodIP);
  if (podIPs !== undefined) out.podIPs = podIPs;
  const startTime = str(status.startTime);
  if (startTime !== undefined) out.startTime = startTime;
  const conditions = someObjs(status.conditions, slimCondition);
  if (conditions !== undefined) out.conditions = conditions;
  const containerStatuses = someObjs(status.containerStatuses, slimContainerStatus);
  if (containerStatuses !== undefined) out.containerStatuses = containerStatuses;
  const initContainerStatuses = someObjs(status.initContainerStatuses, slimContainerStatus);
  if (initContainerStatuses !== undefined) out.initContainerStatuses = initContainerStatuses;
  return out;
}

/** core/v1 Event, or events.k8s.io/v1 Event (`regarding`, `note`, `deprecatedCount`) reshaped alike. */
export function slimEvent(o: Json): SlimEvent {
  const inv = isObj(o.involvedObject) ? o.involvedObject : obj(o.regarding);
  const series = obj(o.series);
  return compact({
    metadata: slimMeta(o.metadata),
    type: str(o.type),
    reason: str(o.reason),
    message: str(o.message) ?? str(o.note),
    involvedObject: compact({ kind: str(inv.kind), namespace: str(inv.namespace), name: str(inv.name), uid: str(inv.uid) }),
    count: num(o.count) ?? num(o.deprecatedCount) ?? num(series.count),
    firstTimestamp: str(o.firstTimestamp) ?? str(o.deprecatedFirstTimestamp),
    lastTimestamp: str(o.lastTimestamp) ?? str(o.deprecatedLastTimestamp) ?? str(series.lastObservedTime),
    eventTime: str(o.eventTime),
  });
}

/** A cert-manager `Certificate` (cert-manager.io/v1). @see https://cert-manager.io/docs/reference/api-docs/#cert-manager.io/v1.Certificate */
export function slimCertManagerCertificate(o: Json): SlimCertManagerCertificate {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const ir = isObj(spec.issuerRef) ? spec.issuerRef : undefined;
  return {
    metadata: slimMeta(o.metadata),
    spec: compact({
      secretName: str(spec.secretName),
      dnsNames: Array.isArray(spec.dnsNames) ? strs(spec.dnsNames) : undefined,
      issuerRef: ir ? compact({ name: str(ir.name), kind: str(ir.kind), group: str(ir.group) }) : undefined,
    }),
    status: compact({ conditions: someObjs(status.conditions, slimCondition), notAfter: str(status.notAfter), renewalTime: str(status.renewalTime), revision: num(status.revision) }),
  };
}

/** A Traefik `Middleware`: only which kind of middleware it is, never its settings. */
export function slimTraefikMiddleware(o: Json): SlimTraefikMiddleware {
  const spec = obj(o.spec);
  const type = Object.keys(spec).sort()[0];
  return compact({ metadata: slimMeta(o.metadata), type });
}

/**
 * A Traefik `IngressRoute`: its entrypoints, each route's rule, backends and Middleware names, and where
 * its certificate comes from; `legacy` when its group is the old `traefik.containo.us`.
 */
export function slimTraefikIngressRoute(o: Json): SlimTraefikIngressRoute {
  const spec = obj(o.spec);
  const tls = isObj(spec.tls) ? spec.tls : undefined;
  const options = tls && isObj(tls.options) ? tls.options : undefined;
  const portOf = (v: unknown) => (typeof v === 'string' ? (/^\d+$/.test(v) ? Number(v) : v) : num(v));
  const out: SlimTraefikIngressRoute = { metadata: slimMeta(o.metadata) };
  if (str(o.apiVersion)?.startsWith('traefik.containo.us/')) out.legacy = true;
  out.spec = compact({
    entryPoints: Array.isArray(spec.entryPoints) ? strs(spec.entryPoints) : undefined,
    routes: someObjs(spec.routes, (r) =>
      compact({
        match: str(r.match),
        kind: str(r.kind),
        services: someObjs(r.services, (b) =>
          compact({ name: str(b.name), namespace: str(b.namespace), port: portOf(b.port), kind: str(b.kind), weight: num(b.weight) }),
        ),
        middlewares: someObjs(r.middlewares, (m) => compact({ name: str(m.name), namespace: str(m.namespace) })),
      }),
    ),
    tls: tls
      ? compact({
          secretName: str(tls.secretName),
          certResolver: str(tls.certResolver),
          options: options ? compact({ name: str(options.name), namespace: str(options.namespace) }) : undefined,
        })
      : undefined,
  });
  return out;
}

// cert-manager's request chain. These objects are few (one chain per Certificate being issued), so they
// are built with `compact`. A field of the wrong shape is dropped and named in `malformed`, so the
// chain can say why it cannot follow an object instead of reading it as absent.

const ACME_STATES: ReadonlySet<string> = new Set<AcmeState>(['pending', 'ready', 'processing', 'valid', 'invalid', 'expired', 'errored']);

/** A field that is present but not a string is malformed; absent is not. */
function strField(v: unknown, field: string, bad: string[]): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  bad.push(`${field} is not a string`);
  return undefined;
}

function acmeState(v: unknown, field: string, bad: string[]): AcmeState | undefined {
  const s = strField(v, field, bad);
  if (s === undefined || s === '') return undefined;
  if (ACME_STATES.has(s)) return s as AcmeState;
  bad.push(`${field} "${s}" is not an ACME state`);
  return undefined;
}

function issuerRef(v: unknown, field: string, bad: string[]): CertManagerIssuerRef | undefined {
  if (v === undefined) return undefined;
  if (!isObj(v)) {
    bad.push(`${field} is not an object`);
    return undefined;
  }
  return compact({ name: str(v.name), kind: str(v.kind), group: str(v.group) });
}

function conditions(v: unknown, bad: string[]): PodCondition[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) {
    bad.push('status.conditions is not a list');
    return undefined;
  }
  return objs(v, slimCondition);
}

/** The controlling owner of one of the kinds given, else the first owner of such a kind. */
function ownerOf(meta: SlimMeta, kinds: readonly string[]): AcmeOwner | undefined {
  const owners = (meta.ownerReferences ?? []).filter((o) => kinds.includes(o.kind) && o.name !== '');
  const o = owners.find((x) => x.controller) ?? owners[0];
  return o ? { kind: o.kind, name: o.name } : undefined;
}

const withBad = <T extends object>(o: T, bad: string[]): T & { malformed?: string[] } => (bad.length ? { ...o, malformed: bad } : o);

/** A cert-manager `CertificateRequest` (cert-manager.io/v1). @see https://cert-manager.io/docs/reference/api-docs/#cert-manager.io/v1.CertificateRequest */
export function slimCertificateRequest(o: Json): SlimCertificateRequest {
  const bad: string[] = [];
  const metadata = slimMeta(o.metadata);
  const spec = obj(o.spec);
  const status = obj(o.status);
  const ann = metadata.annotations ?? {};
  const byAnnotation = ann['cert-manager.io/certificate-name'];
  const owner = ownerOf(metadata, ['Certificate']) ?? (byAnnotation ? { kind: 'Certificate', name: byAnnotation } : undefined);
  const rev = ann['cert-manager.io/certificate-revision'];
  let revision: number | undefined;
  if (rev !== undefined) {
    if (/^\d+$/.test(rev)) revision = Number(rev);
    else bad.push(`annotation cert-manager.io/certificate-revision "${rev}" is not a number`);
  }
  return withBad(
    compact({
      metadata,
      owner,
      revision,
      spec: compact({ issuerRef: issuerRef(spec.issuerRef, 'spec.issuerRef', bad) }),
      status: compact({ conditions: conditions(status.conditions, bad), failureTime: strField(status.failureTime, 'status.failureTime', bad) }),
    }),
    bad,
  );
}

/** An ACME `Order` (acme.cert-manager.io/v1). */
export function slimAcmeOrder(o: Json): SlimAcmeOrder {
  const bad: string[] = [];
  const metadata = slimMeta(o.metadata);
  const spec = obj(o.spec);
  const status = obj(o.status);
  if (status.authorizations !== undefined && !Array.isArray(status.authorizations)) bad.push('status.authorizations is not a list');
  return withBad(
    compact({
      metadata,
      owner: ownerOf(metadata, ['CertificateRequest']),
      spec: compact({ dnsNames: Array.isArray(spec.dnsNames) ? strs(spec.dnsNames) : undefined, issuerRef: issuerRef(spec.issuerRef, 'spec.issuerRef', bad) }),
      status: compact({
        state: acmeState(status.state, 'status.state', bad),
        reason: strField(status.reason, 'status.reason', bad),
        url: strField(status.url, 'status.url', bad),
        failureTime: strField(status.failureTime, 'status.failureTime', bad),
        authorizations: someObjs(status.authorizations, (a) => {
          const id = obj(a.identifier);
          return compact({ identifier: typeof a.identifier === 'string' ? a.identifier : str(id.value), wildcard: bool(a.wildcard), state: str(a.initialState) ?? str(a.state), url: str(a.url) });
        }),
      }),
    }),
    bad,
  );
}

/** An ACME `Challenge` (acme.cert-manager.io/v1). The key authorization is not kept: only the token, which is public. */
export function slimAcmeChallenge(o: Json): SlimAcmeChallenge {
  const bad: string[] = [];
  const metadata = slimMeta(o.metadata);
  const spec = obj(o.spec);
  const status = obj(o.status);
  const t = strField(spec.type, 'spec.type', bad);
  let type: 'HTTP-01' | 'DNS-01' | undefined;
  if (t !== undefined) {
    const u = t.toUpperCase();
    if (u === 'HTTP-01' || u === 'DNS-01') type = u;
    else bad.push(`spec.type "${t}" is neither HTTP-01 nor DNS-01`);
  }
  const presented = status.presented === undefined ? undefined : bool(status.presented);
  if (status.presented !== undefined && presented === undefined) bad.push('status.presented is not a boolean');
  return withBad(
    compact({
      metadata,
      owner: ownerOf(metadata, ['Order']),
      spec: compact({
        type,
        dnsName: strField(spec.dnsName, 'spec.dnsName', bad),
        token: strField(spec.token, 'spec.token', bad),
        wildcard: bool(spec.wildcard),
        issuerRef: issuerRef(spec.issuerRef, 'spec.issuerRef', bad),
      }),
      status: compact({
        state: acmeState(status.state, 'status.state', bad),
        reason: strField(status.reason, 'status.reason', bad),
        presented,
        processing: bool(status.processing),
      }),
    }),
    bad,
  );
}

/** An `Issuer` or `ClusterIssuer` (cert-manager.io/v1): readiness and ACME server only. */
export function slimCertManagerIssuer(o: Json): SlimCertManagerIssuer {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const acme = isObj(spec.acme) ? spec.acme : undefined;
  return compact({
    metadata: slimMeta(o.metadata),
    spec: acme ? { acme: compact({ server: str(acme.server) }) } : {},
    status: compact({ conditions: someObjs(status.conditions, slimCondition) }),
  });
}

/** A Gateway API status condition; one without a type says nothing and is dropped. */
const slimGatewayCondition = (c: Json): GatewayCondition =>
  compact({ type: str(c.type) ?? '', status: str(c.status) ?? 'Unknown', reason: str(c.reason), message: str(c.message) });
const gatewayConditions = (v: unknown): GatewayCondition[] | undefined => {
  const cs = someObjs(v, slimGatewayCondition)?.filter((c) => c.type !== '');
  return cs && cs.length > 0 ? cs : undefined;
};
const slimGatewayRef = (r: Json): GatewayObjectRef => compact({ group: str(r.group), kind: str(r.kind), name: str(r.name), namespace: str(r.namespace) });
const slimParentRef = (r: Json): HTTPRouteParentRef => compact({ ...slimGatewayRef(r), sectionName: str(r.sectionName), port: num(r.port) });
const slimStatusOf = <T extends object>(v: T): T | undefined => (Object.keys(v).length > 0 ? v : undefined);

function slimSelector(v: unknown): LabelSelector | undefined {
  if (!isObj(v)) return undefined;
  return compact({
    matchLabels: strMap(v.matchLabels),
    matchExpressions: someObjs(v.matchExpressions, (e) => compact({ key: str(e.key), operator: str(e.operator), values: Array.isArray(e.values) ? strs(e.values) : undefined })),
  });
}

/** A GatewayClass: its controller and the conditions that controller wrote. */
export function slimGatewayClass(o: Json): SlimGatewayClass {
  const status = slimStatusOf(compact({ conditions: gatewayConditions(obj(o.status).conditions) }));
  return compact({ metadata: slimMeta(o.metadata), spec: compact({ controllerName: str(obj(o.spec).controllerName) }), status });
}

/** A Gateway: its class, its listeners (hostname, port, protocol, certificates, allowed routes) and their status. */
export function slimGateway(o: Json): SlimGateway {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const listeners = someObjs(spec.listeners, (l) => {
    const tls = isObj(l.tls) ? l.tls : undefined;
    const allowed = isObj(l.allowedRoutes) ? l.allowedRoutes : undefined;
    const nsFrom = allowed && isObj(allowed.namespaces) ? allowed.namespaces : undefined;
    return compact({
      name: str(l.name),
      hostname: str(l.hostname),
      port: num(l.port),
      protocol: str(l.protocol),
      tls: tls ? compact({ mode: str(tls.mode), certificateRefs: someObjs(tls.certificateRefs, slimGatewayRef) }) : undefined,
      allowedRoutes: allowed
        ? compact({
            namespaces: nsFrom ? compact({ from: str(nsFrom.from), selector: slimSelector(nsFrom.selector) }) : undefined,
            kinds: someObjs(allowed.kinds, (k) => compact({ group: str(k.group), kind: str(k.kind) })),
          })
        : undefined,
    });
  });
  return compact({
    metadata: slimMeta(o.metadata),
    spec: compact({ gatewayClassName: str(spec.gatewayClassName), listeners }),
    status: slimStatusOf(
      compact({
        addresses: someObjs(status.addresses, (a) => compact({ type: str(a.type), value: str(a.value) })),
        conditions: gatewayConditions(status.conditions),
        listeners: someObjs(status.listeners, (l) => compact({ name: str(l.name), attachedRoutes: num(l.attachedRoutes), conditions: gatewayConditions(l.conditions) })),
      }),
    ),
  });
}

/** An HTTPRoute: its parents, hostnames, rules (matches, filter types, backends) and the status per parent. */
export function slimHTTPRoute(o: Json): SlimHTTPRoute {
  const spec = obj(o.spec);
  const status = obj(o.status);
  return compact({
    metadata: slimMeta(o.metadata),
    spec: compact({
      parentRefs: someObjs(spec.parentRefs, slimParentRef),
      hostnames: Array.isArray(spec.hostnames) ? strs(spec.hostnames) : undefined,
      rules: someObjs(spec.rules, (r) =>
        compact({
          name: str(r.name),
          matches: someObjs(r.matches, (m) => compact({ path: isObj(m.path) ? compact({ type: str(m.path.type), value: str(m.path.value) }) : undefined })),
          filters: someObjs(r.filters, (f) => compact({ type: str(f.type) })),
          backendRefs: someObjs(r.backendRefs, (b) => compact({ ...slimGatewayRef(b), port: num(b.port), weight: num(b.weight) })),
        }),
      ),
    }),
    status: slimStatusOf(
      compact({
        parents: someObjs(status.parents, (p) =>
          compact({ parentRef: isObj(p.parentRef) ? slimParentRef(p.parentRef) : undefined, controllerName: str(p.controllerName), conditions: gatewayConditions(p.conditions) }),
        ),
      }),
    ),
  });
}

/** A ReferenceGrant: who (`from`) may refer to what (`to`) in its namespace. */
export function slimReferenceGrant(o: Json): SlimReferenceGrant {
  const spec = obj(o.spec);
  return compact({
    metadata: slimMeta(o.metadata),
    spec: compact({
      from: someObjs(spec.from, (f) => compact({ group: str(f.group), kind: str(f.kind), namespace: str(f.namespace) })),
      to: someObjs(spec.to, (t) => compact({ group: str(t.group), kind: str(t.kind), name: str(t.name) })),
    }),
  });
}

/** The Gateway API's group, and the kinds of it Chainboard reads. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
const GATEWAY_API_KINDS: ReadonlySet<string> = new Set(['GatewayClass', 'Gateway', 'HTTPRoute', 'ReferenceGrant']);

/** Kinds this module reshapes without I/O. Secrets need certificate parsing (lib/cluster). */
const RESHAPERS: Partial<Record<ResourceKind, (o: Json) => object>> = {
  Namespace: slimNamespace,
  IngressClass: slimIngressClass,
  Ingress: slimIngress,
  Service: slimService,
  EndpointSlice: slimEndpointSlice,
  Pod: slimPod,
  Event: slimEvent,
  Certificate: slimCertManagerCertificate,
  Middleware: slimTraefikMiddleware,
  IngressRoute: slimTraefikIngressRoute,
  CertificateRequest: slimCertificateRequest,
  Order: slimAcmeOrder,
  Challenge: slimAcmeChallenge,
  Issuer: slimCertManagerIssuer,
  ClusterIssuer: slimCertManagerIssuer,
  GatewayClass: slimGatewayClass,
  Gateway: slimGateway,
  HTTPRoute: slimHTTPRoute,
  ReferenceGrant: slimReferenceGrant,
};

export type SlimResult = { ok: true; object: SlimObject } | { ok: false; error: string };

/**
 * Reshape any supported object by its `kind`. Returns an error (never throws) for objects without kind,
 * without metadata.name, or of a kind Chainboard does not read.
 */
export function slimObject(o: unknown, kindHint?: ResourceKind): SlimResult {
  if (!isObj(o)) return { ok: false, error: 'not an object' };
  const kind = (str(o.kind) ?? kindHint) as ResourceKind | undefined;
  if (!kind) return { ok: false, error: 'object has no kind' };
  const reshape = RESHAPERS[kind];
  if (!reshape) return { ok: false, error: `kind ${kind} is not read by Chainboard` };
  // Other projects have kinds of these names (Istio's networking.istio.io Gateway): only the Gateway API's are read.
  const apiVersion = str(o.apiVersion);
  if (GATEWAY_API_KINDS.has(kind) && apiVersion !== undefined && !apiVersion.startsWith(`${GATEWAY_API_GROUP}/`)) {
    return { ok: false, error: `${kind} of ${apiVersion} is not read by Chainboard (only ${GATEWAY_API_GROUP})` };
  }
  if (!isObj(o.metadata) || typeof o.metadata.name !== 'string' || o.metadata.name === '') {
    return { ok: false, error: `${kind} has no metadata.name` };
  }
  return { ok: true, object: { kind, ...reshape(o) } as SlimObject };
}
