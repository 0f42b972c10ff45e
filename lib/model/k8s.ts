/**
 * Slim Kubernetes object types: the fields Chainboard reads, with the API's own field names, so that a
 * `kubectl get -o json` object and a watch event's object reshape into them by picking fields (see
 * {@link ./slim.ts}). Everything else (managedFields, most annotations, spec fields the engine does not
 * read) is dropped at the boundary so the caches stay small.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/
 */

/** The kinds Chainboard reads. `Secret` and `Certificate` only when configured and permitted. */
export type ResourceKind =
  | 'Namespace'
  | 'IngressClass'
  | 'Ingress'
  | 'Service'
  | 'EndpointSlice'
  | 'Pod'
  | 'Event'
  | 'Secret'
  | 'Certificate'
  | 'Middleware'
  | 'IngressRoute'
  | 'CertificateRequest'
  | 'Order'
  | 'Challenge'
  | 'Issuer'
  | 'ClusterIssuer'
  | 'GatewayClass'
  | 'Gateway'
  | 'HTTPRoute'
  | 'ReferenceGrant';

export interface ObjectRef {
  kind: ResourceKind | string;
  namespace?: string;
  name: string;
}

export interface OwnerRef {
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export interface SlimMeta {
  name: string;
  namespace?: string;
  uid?: string;
  /** Opaque: compare with `===` only, never parse. */
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  /** Only the annotations listed in `KEPT_ANNOTATIONS` survive slimming. */
  annotations?: Record<string, string>;
  ownerReferences?: OwnerRef[];
}

export interface SlimNamespace {
  metadata: SlimMeta;
  status?: { phase?: string };
}

/** @see https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class */
export interface SlimIngressClass {
  metadata: SlimMeta;
  spec?: { controller?: string };
}

export interface ServiceBackendPort {
  name?: string;
  number?: number;
}

export interface IngressBackend {
  service?: { name?: string; port?: ServiceBackendPort };
  resource?: { apiGroup?: string; kind?: string; name?: string };
}

export interface IngressPath {
  path?: string;
  pathType?: string;
  backend?: IngressBackend;
}

export interface IngressRule {
  host?: string;
  http?: { paths?: IngressPath[] };
}

export interface IngressTLS {
  hosts?: string[];
  secretName?: string;
}

export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
}

/** @see https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-v1/ */
export interface SlimIngress {
  metadata: SlimMeta;
  spec?: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    rules?: IngressRule[];
    tls?: IngressTLS[];
  };
  status?: { loadBalancer?: { ingress?: LoadBalancerIngress[] } };
}

export interface ServicePort {
  name?: string;
  protocol?: string;
  port: number;
  /** A number or an IANA port name; absent means the same as `port`. */
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
}

/** @see https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/ */
export interface SlimService {
  metadata: SlimMeta;
  spec?: {
    type?: string;
    selector?: Record<string, string>;
    ports?: ServicePort[];
    clusterIP?: string;
    externalName?: string;
    publishNotReadyAddresses?: boolean;
  };
}

export interface EndpointConditions {
  /** Unset means ready (the API says consumers should interpret unknown as ready). */
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

export interface Endpoint {
  addresses: string[];
  conditions?: EndpointConditions;
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef?: { kind?: string; namespace?: string; name?: string; uid?: string };
}

export interface EndpointPort {
  name?: string;
  port?: number;
  protocol?: string;
  appProtocol?: string;
}

/** @see https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoint-slice-v1/ */
export interface SlimEndpointSlice {
  metadata: SlimMeta;
  addressType: string;
  endpoints?: Endpoint[];
  ports?: EndpointPort[];
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface SlimContainer {
  name: string;
  image?: string;
  ports?: ContainerPort[];
}

export interface ContainerStateDetail {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number; finishedAt?: string; startedAt?: string };
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  image?: string;
  state?: ContainerStateDetail;
  lastState?: ContainerStateDetail;
}

export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/ */
export interface SlimPod {
  metadata: SlimMeta;
  spec?: {
    nodeName?: string;
    containers?: SlimContainer[];
    initContainers?: SlimContainer[];
    terminationGracePeriodSeconds?: number;
  };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    startTime?: string;
    conditions?: PodCondition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

/** A core/v1 Event (or events.k8s.io/v1 reshaped into the same fields). */
export interface SlimEvent {
  metadata: SlimMeta;
  type?: string;
  reason?: string;
  message?: string;
  involvedObject: { kind?: string; namespace?: string; name?: string; uid?: string };
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
}

/** Parsed public part of a certificate. Never carries key material. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** DNS names from subjectAltName (lower-case). */
  sans: string[];
  notBefore: string;
  notAfter: string;
  serialNumber: string;
  fingerprint256: string;
  selfSigned: boolean;
}

/**
 * A `kubernetes.io/tls` Secret as Chainboard keeps it: only the parsed public certificate of `tls.crt`.
 * `tls.key` is dropped at the boundary and never stored.
 */
export interface SlimTlsSecret {
  metadata: SlimMeta;
  type?: string;
  certificate?: CertificateInfo;
  /** Why `tls.crt` could not be parsed. */
  parseError?: string;
}

/** A cert-manager `Certificate` (cert-manager.io/v1), slimmed. */
export interface SlimCertManagerCertificate {
  metadata: SlimMeta;
  spec?: { secretName?: string; dnsNames?: string[]; issuerRef?: { name?: string; kind?: string; group?: string } };
  status?: { conditions?: PodCondition[]; notAfter?: string; renewalTime?: string; revision?: number };
}

/** A cert-manager `issuerRef`: `kind` unset means `Issuer`. */
export interface CertManagerIssuerRef {
  name?: string;
  kind?: string;
  group?: string;
}

/**
 * The owner of a cert-manager ACME object, as its ownerReferences (or, for a CertificateRequest, the
 * annotation `cert-manager.io/certificate-name`) name it.
 */
export interface AcmeOwner {
  kind: string;
  name: string;
}

/**
 * A cert-manager `CertificateRequest` (cert-manager.io/v1), slimmed to the chain's needs: whose request it
 * is (`owner`, `revision`), which issuer it asks, and its conditions (Ready, Approved, Denied,
 * InvalidRequest). `malformed` lists the fields that had the wrong shape and were dropped.
 * @see https://cert-manager.io/docs/usage/certificaterequest/
 */
export interface SlimCertificateRequest {
  metadata: SlimMeta;
  owner?: AcmeOwner;
  /** `cert-manager.io/certificate-revision`, as a number; absent when missing or not a number. */
  revision?: number;
  spec?: { issuerRef?: CertManagerIssuerRef };
  status?: { conditions?: PodCondition[]; failureTime?: string };
  malformed?: string[];
}

/** The states an ACME Order or Challenge reports (RFC 8555 section 7.1.6, plus cert-manager's `errored`). */
export type AcmeState = 'pending' | 'ready' | 'processing' | 'valid' | 'invalid' | 'expired' | 'errored';

/**
 * A cert-manager ACME `Order` (acme.cert-manager.io/v1).
 * @see https://cert-manager.io/docs/reference/api-docs/#acme.cert-manager.io/v1.Order
 */
export interface SlimAcmeOrder {
  metadata: SlimMeta;
  owner?: AcmeOwner;
  spec?: { dnsNames?: string[]; issuerRef?: CertManagerIssuerRef };
  status?: { state?: AcmeState; reason?: string; url?: string; failureTime?: string; authorizations?: { identifier?: string; wildcard?: boolean; state?: string; url?: string }[] };
  malformed?: string[];
}

/**
 * A cert-manager ACME `Challenge` (acme.cert-manager.io/v1): what it proves (`type`, `dnsName`, the
 * token), and where it stands: `reason` holds the self-check's error while it waits.
 * @see https://cert-manager.io/docs/troubleshooting/acme/#3-troubleshooting-challenges
 */
export interface SlimAcmeChallenge {
  metadata: SlimMeta;
  owner?: AcmeOwner;
  spec?: { type?: 'HTTP-01' | 'DNS-01'; dnsName?: string; token?: string; wildcard?: boolean; issuerRef?: CertManagerIssuerRef };
  status?: { state?: AcmeState; reason?: string; presented?: boolean; processing?: boolean };
  malformed?: string[];
}

/**
 * A cert-manager `Issuer` or `ClusterIssuer` (cert-manager.io/v1): its Ready condition and, for an ACME
 * issuer, the ACME server it registers with. Nothing of its solvers or secrets is kept.
 */
export interface SlimCertManagerIssuer {
  metadata: SlimMeta;
  spec?: { acme?: { server?: string } };
  status?: { conditions?: PodCondition[] };
}

/**
 * A Traefik `Middleware` (traefik.io/v1alpha1), slimmed to its identity and its type (the one key of its
 * spec, e.g. `basicAuth`); its settings may hold secrets' names and are never kept.
 * @see https://doc.traefik.io/traefik/reference/routing-configuration/kubernetes/crd/http/middleware/
 */
export interface SlimTraefikMiddleware {
  metadata: SlimMeta;
  type?: string;
}

/** A backend of an IngressRoute route: a Kubernetes Service (kind `Service` or unset) or a `TraefikService`. */
export interface IngressRouteService {
  name?: string;
  namespace?: string;
  /** A Service port number or name. */
  port?: number | string;
  kind?: string;
  weight?: number;
}

/** One route of an IngressRoute: the Traefik rule, the backends and the Middlewares it names. */
export interface IngressRouteRoute {
  match?: string;
  kind?: string;
  services?: IngressRouteService[];
  middlewares?: { name?: string; namespace?: string }[];
}

/**
 * A Traefik `IngressRoute` (traefik.io/v1alpha1), slimmed to what the chain reads. `legacy` marks an object
 * of the old group `traefik.containo.us`, which Traefik v3 no longer reads.
 * @see https://doc.traefik.io/traefik/reference/routing-configuration/kubernetes/crd/http/ingressroute/
 */
export interface SlimTraefikIngressRoute {
  metadata: SlimMeta;
  legacy?: boolean;
  spec?: {
    entryPoints?: string[];
    routes?: IngressRouteRoute[];
    tls?: { secretName?: string; certResolver?: string; options?: { name?: string; namespace?: string } };
  };
}

export type SlimObject =
  | ({ kind: 'Namespace' } & SlimNamespace)
  | ({ kind: 'IngressClass' } & SlimIngressClass)
  | ({ kind: 'Ingress' } & SlimIngress)
  | ({ kind: 'Service' } & SlimService)
  | ({ kind: 'EndpointSlice' } & SlimEndpointSlice)
  | ({ kind: 'Pod' } & SlimPod)
  | ({ kind: 'Event' } & SlimEvent)
  | ({ kind: 'Secret' } & SlimTlsSecret)
  | ({ kind: 'Certificate' } & SlimCertManagerCertificate)
  | ({ kind: 'Middleware' } & SlimTraefikMiddleware)
  | ({ kind: 'IngressRoute' } & SlimTraefikIngressRoute)
  | ({ kind: 'CertificateRequest' } & SlimCertificateRequest)
  | ({ kind: 'Order' } & SlimAcmeOrder)
  | ({ kind: 'Challenge' } & SlimAcmeChallenge)
  | ({ kind: 'Issuer' } & SlimCertManagerIssuer)
  | ({ kind: 'ClusterIssuer' } & SlimCertManagerIssuer)
  | ({ kind: 'GatewayClass' } & SlimGatewayClass)
  | ({ kind: 'Gateway' } & SlimGateway)
  | ({ kind: 'HTTPRoute' } & SlimHTTPRoute)
  | ({ kind: 'ReferenceGrant' } & SlimReferenceGrant);

/**
 * A status condition as a Gateway API controller writes it (`Accepted`, `Programmed`, `ResolvedRefs`...):
 * the controller's own verdict, with its reason.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/
 */
export interface GatewayCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** A GatewayClass (gateway.networking.k8s.io/v1): which controller serves it, and whether it accepted it. */
export interface SlimGatewayClass {
  metadata: SlimMeta;
  spec?: { controllerName?: string };
  status?: { conditions?: GatewayCondition[] };
}

/** A reference to an object by group, kind, name and namespace, as the Gateway API writes them. */
export interface GatewayObjectRef {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

/** One listener of a Gateway: where it listens, for which hostname, with which certificate, for which routes. */
export interface GatewayListener {
  name?: string;
  hostname?: string;
  port?: number;
  protocol?: string;
  tls?: { mode?: string; certificateRefs?: GatewayObjectRef[] };
  allowedRoutes?: {
    namespaces?: { from?: string; selector?: LabelSelector };
    kinds?: { group?: string; kind?: string }[];
  };
}

/** A Kubernetes label selector (matchLabels and matchExpressions). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

/** The status a controller writes for one listener of a Gateway. */
export interface GatewayListenerStatus {
  name?: string;
  attachedRoutes?: number;
  conditions?: GatewayCondition[];
}

/** A Gateway (gateway.networking.k8s.io/v1), slimmed to its class, listeners and the controller's status. */
export interface SlimGateway {
  metadata: SlimMeta;
  spec?: { gatewayClassName?: string; listeners?: GatewayListener[] };
  status?: {
    addresses?: { type?: string; value?: string }[];
    conditions?: GatewayCondition[];
    listeners?: GatewayListenerStatus[];
  };
}

/** The parent an HTTPRoute attaches to: a Gateway (by default), optionally one listener of it by name or port. */
export interface HTTPRouteParentRef extends GatewayObjectRef {
  sectionName?: string;
  port?: number;
}

/** A backend of an HTTPRoute rule: a Service (by default) and port, with its share of the traffic. */
export interface HTTPRouteBackendRef extends GatewayObjectRef {
  port?: number;
  weight?: number;
}

/** One rule of an HTTPRoute: what it matches, the filters it applies, where it sends the traffic. */
export interface HTTPRouteRule {
  name?: string;
  matches?: { path?: { type?: string; value?: string } }[];
  filters?: { type?: string }[];
  backendRefs?: HTTPRouteBackendRef[];
}

/** What one controller says about an HTTPRoute for one of its parents. */
export interface HTTPRouteParentStatus {
  parentRef?: HTTPRouteParentRef;
  controllerName?: string;
  conditions?: GatewayCondition[];
}

/**
 * An HTTPRoute (gateway.networking.k8s.io/v1), slimmed to its parents, hostnames, rules and the status
 * each controller wrote for each parent.
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
export interface SlimHTTPRoute {
  metadata: SlimMeta;
  spec?: { parentRefs?: HTTPRouteParentRef[]; hostnames?: string[]; rules?: HTTPRouteRule[] };
  status?: { parents?: HTTPRouteParentStatus[] };
}

/**
 * A ReferenceGrant (gateway.networking.k8s.io/v1beta1): lets objects of the `from` namespaces refer to
 * the `to` objects of its own namespace, such as an HTTPRoute to another namespace's Service.
 * @see https://gateway-api.sigs.k8s.io/api-types/referencegrant/
 */
export interface SlimReferenceGrant {
  metadata: SlimMeta;
  spec?: { from?: { group?: string; kind?: string; namespace?: string }[]; to?: { group?: string; kind?: string; name?: string }[] };
}
