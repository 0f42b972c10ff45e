import type { CertificateInfo, ObjectRef, PodCondition, ServicePort } from './k8s';
import type { DataGap } from './snapshot';
import type { DnsProbeResult, HttpProbeResult, TlsProbeResult } from './probe';

export type Severity = 'critical' | 'warning' | 'info';

/**
 * Health of a route, domain or namespace. `unknown` means data is missing (forbidden, not synced): it is
 * never shown as healthy.
 */
export type Health = 'healthy' | 'degraded' | 'down' | 'unknown';

/** Worst first: the order lists and roll-ups use. */
export const HEALTH_ORDER: readonly Health[] = ['down', 'unknown', 'degraded', 'healthy'];
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'warning', 'info'];

/**
 * The part of the chain a finding is about, so the diagram can colour exactly that part.
 * Node ids are stable strings built by `nodeId()` in lib/chain: `Domain/<host>`, `TLS/<host>`,
 * `DNS/<host>`, `Route/<ingress>/<ruleIndex>/<pathIndex>`, `Ingress/<name>`, `Service/<name>`,
 * `Endpoint/<slice>/<address>`, `Pod/<name>`. An edge joins two node ids.
 */
export type ChainLink =
  | { type: 'node'; id: string }
  | { type: 'edge'; from: string; to: string };

/** A broken or noteworthy link, with evidence and the next command to run. */
export interface Finding {
  /**
   * Names this finding within an analysis and across analyses of the same objects:
   * `<code>:<namespace>/<Kind>/<name>`, then `@<link>` when the finding is linked elsewhere than its
   * object's own node, and `#<key>` for what tells apart findings of one code on one object (the Service
   * port, the rival of a route conflict, the reason of a data gap); e.g.
   * `pod.crash-loop:hst-acme/Pod/checkout-7c9d-r7fpn`, `service.no-endpoints:hst-acme/Service/checkout#80`.
   * `causes` refers to findings by it.
   */
  id: string;
  /** Stable, documented slug such as `service.no-ready-endpoints`. */
  code: string;
  severity: Severity;
  link: ChainLink;
  object: ObjectRef;
  message: string;
  /** What to do next: usually the exact kubectl command that shows the evidence. */
  hint: string;
  /**
   * Present on a symptom when other findings of the same chain explain it: their ids, worst first. A
   * Service with no ready endpoints is caused by the findings of the Pods behind its endpoints (a crash
   * loop, a pending Pod...), a Service with no endpoints by those of the Pods it selects. Each id is that
   * of a finding in the same domain's `findings`; a cause may itself have causes.
   */
  causes?: string[];
}

export interface EventSummary {
  object: ObjectRef;
  type: string;
  reason: string;
  message: string;
  count: number;
  lastTimestamp?: string;
}

export interface ContainerSummary {
  name: string;
  image?: string;
  ready: boolean;
  restartCount: number;
  /** `running`, `waiting`, `terminated` or `unknown`. */
  state: 'running' | 'waiting' | 'terminated' | 'unknown';
  /** The waiting/terminated reason, e.g. `CrashLoopBackOff`. */
  reason?: string;
  message?: string;
  lastTerminationReason?: string;
  lastTerminationExitCode?: number;
  lastTerminationAt?: string;
}

export interface PodSummary {
  id: string;
  name: string;
  phase: string;
  ready: boolean;
  /** The most telling reason: a container waiting reason, the pod reason, or the phase. */
  reason?: string;
  restarts: number;
  nodeName?: string;
  podIP?: string;
  deleting: boolean;
  startTime?: string;
  conditions: PodCondition[];
  containers: ContainerSummary[];
  /** Owning controller, e.g. `ReplicaSet/my-app-5d8f`. */
  owner?: string;
  health: Health;
}

export interface EndpointNode {
  id: string;
  slice: string;
  addressType: string;
  addresses: string[];
  /** Resolved per the API: an unset `ready` counts as ready. */
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
  zone?: string;
  /** The port number of this slice that serves the route's Service port. */
  port?: number;
  targetRef?: ObjectRef;
  /** The Pod behind the endpoint, when it exists in the snapshot. */
  pod?: PodSummary;
  health: Health;
}

export interface EndpointCounts {
  ready: number;
  notReady: number;
  terminating: number;
  total: number;
}

export interface ServiceNode {
  id: string;
  name: string;
  type: string;
  selector?: Record<string, string>;
  externalName?: string;
  /** The Service port the backend resolved to; absent when it did not resolve. */
  port?: ServicePort;
  ports: ServicePort[];
  endpoints: EndpointNode[];
  counts: EndpointCounts;
  /** Pods the selector matches that have no endpoint for this port. */
  podsWithoutEndpoint: PodSummary[];
  health: Health;
}

export interface RouteBackendRef {
  service?: { name?: string; port?: { name?: string; number?: number } };
  resource?: { apiGroup?: string; kind?: string; name?: string };
}

export interface RouteNode {
  id: string;
  namespace: string;
  /**
   * The kind of object `ingress` names: absent for an Ingress, `IngressRoute` for a Traefik IngressRoute,
   * `HTTPRoute` for a Gateway API HTTPRoute.
   */
  kind?: 'IngressRoute' | 'HTTPRoute';
  /** The name of the Ingress (or, with `kind`, the IngressRoute or HTTPRoute) the route comes from. */
  ingress: string;
  /**
   * For an HTTPRoute, the Gateway it attaches to (`namespace/name`) and the listeners the host comes
   * through, as `name (PROTOCOL port)`; none when no listener takes it.
   */
  gateway?: { name: string; listeners: string[] };
  /** For an HTTPRoute, its parent Gateway and those listeners as the controller reports them: what the diagram draws. */
  parentGateway?: GatewayParentState;
  ingressClass?: string;
  /** `/` for a rule without paths' explicit path; `*` marks the Ingress default backend. */
  path: string;
  pathType: string;
  isDefaultBackend: boolean;
  backend: RouteBackendRef;
  /** Absent when the backend names no Service or the Service does not exist. */
  service?: ServiceNode;
  health: Health;
}

/** A status condition as a controller wrote it (`Programmed`, `Accepted`), or cert-manager (`Ready`). */
export interface ConditionState {
  status: string;
  reason?: string;
  message?: string;
}

/** One listener of a Gateway an HTTPRoute's host comes through, with what the controller says of it. */
export interface GatewayListenerState {
  /** `Gateway/<namespace>/<name>/<listener>` (lib/model/ids.ts). */
  id: string;
  name: string;
  protocol?: string;
  port?: number;
  hostname?: string;
  /** Absent: the controller has written no such condition (not checked yet, never healthy). */
  programmed?: ConditionState;
  accepted?: ConditionState;
  attachedRoutes?: number;
}

/**
 * The Gateway an HTTPRoute attaches to, as read: `found` with the listeners that take the host (none when
 * no listener does), `missing` when Gateways are read and none has that name, `not-checked` when
 * Gateways could not be read.
 */
export interface GatewayParentState {
  /** `Gateway/<namespace>/<name>` (lib/model/ids.ts). */
  id: string;
  namespace: string;
  name: string;
  state: 'found' | 'missing' | 'not-checked';
  className?: string;
  /** `status.addresses`: where the Gateway's hosts should resolve to. */
  addresses: string[];
  programmed?: ConditionState;
  accepted?: ConditionState;
  listeners: GatewayListenerState[];
}

/** One object of cert-manager's request chain behind a certificate. */
export interface AcmeStepState {
  /** `ACME/<host>/<Kind>/<name>` (lib/model/ids.ts). */
  id: string;
  kind: 'Certificate' | 'CertificateRequest' | 'Order' | 'Challenge';
  name: string;
  /** Its state in cert-manager's words: `Ready`, `pending`, `invalid`, `Ready=False (Pending)`... */
  state: string;
  /** The object's own reason, when it gives one (a Challenge's self-check error, an Order's CA answer). */
  reason?: string;
  /** `done`: this step succeeded; `waiting`: under way; `failed`: it will not succeed as it is. */
  progress: 'done' | 'waiting' | 'failed';
  /** For a Challenge: its type (`HTTP-01`, `DNS-01`) and the name it proves. */
  detail?: string;
}

/**
 * cert-manager's request chain behind a not-Ready (or stuck renewing) Certificate of the domain:
 * Certificate -> latest CertificateRequest -> ACME Order -> Challenges, as far as it goes. `stuck` is
 * the id of the step the chain stops at (the last one not done, or the first that failed).
 */
export interface AcmeChainState {
  steps: AcmeStepState[];
  stuck?: string;
  /** Kinds of the chain that could not be read (so the chain may go on past its last step). */
  unread: string[];
}

/** Where the certificate of a domain comes from, read from the Ingress objects. */
export type TlsSource =
  | { type: 'none' }
  | { type: 'resolver'; resolver: string; secretName?: string }
  | { type: 'cert-manager'; issuer: string; secretName?: string }
  | { type: 'secret'; secretName: string };

/**
 * Why the certificate or the DNS of a domain was not checked:
 * - `probes-off`: network probes are off (or a dump is analysed), so nothing was dialled or resolved;
 * - `not-probed`: probes are on but have no result for the host yet;
 * - `no-address`: the host was resolved but there was no address to dial for the TLS handshake (the
 *   Ingress status has no load balancer, or the address is not allowed);
 * - `wildcard-host`: a wildcard (or host-less) rule names no single domain to dial or resolve;
 * - `secret-unreadable`: the certificate is in a Secret that Chainboard may not read.
 */
export type NotCheckedReason = 'probes-off' | 'not-probed' | 'no-address' | 'wildcard-host' | 'secret-unreadable';

/**
 * Whether a TLS or DNS link was verified at all: by a probe (what the domain serves or resolves to) or,
 * for a certificate, by the Secret it is served from. An unchecked link has no findings because nothing
 * was looked at, which is not the same as healthy.
 */
export type LinkCheck =
  | { state: 'checked'; by: 'probe' | 'secret' }
  /** `reasons` is never empty; the probe's reason first. */
  | { state: 'not-checked'; reasons: NotCheckedReason[] };

/**
 * The health of a TLS or DNS link: that of the findings linked to it, except that a link nothing was
 * checked of and no finding is about reads `not-checked` instead of `healthy`. It does not lower the
 * domain's health, which is judged by its findings and gaps (see `DomainChain.health`).
 */
export type LinkHealth = Health | 'not-checked';

export interface TlsState {
  id: string;
  /** Is the host served on a TLS entrypoint at all? */
  enabled: boolean;
  source: TlsSource;
  /** Parsed certificate from the Secret, when readable. */
  secretCertificate?: CertificateInfo;
  probe?: TlsProbeResult;
  /** cert-manager's request chain, when a Certificate of the host is not Ready and the chain is read. */
  acme?: AcmeChainState;
  check: LinkCheck;
  health: LinkHealth;
}

export interface DnsState {
  id: string;
  /** Hostnames external-dns is asked to publish (the annotation), if any. */
  annotatedHostnames: string[];
  /** Addresses the Ingress status publishes (ip or hostname). */
  loadBalancer: string[];
  probe?: DnsProbeResult;
  check: LinkCheck;
  health: LinkHealth;
}

/**
 * What requests to the domain get: one HTTP check per route path. Its findings sit on the links they
 * blame (route, Service, domain); `health` is the worst of the `http.*` findings, or `not-checked` when
 * no check ran (probes off, no address, not yet probed), never `healthy` then.
 */
export interface HttpState {
  /** The domain node: the diagram shows the HTTP result there. */
  id: string;
  probes: HttpProbeResult[];
  check: LinkCheck;
  health: LinkHealth;
}

/**
 * Why Traefik's view of a domain was not checked: its API is not configured (`api-off`), not read yet
 * (`api-pending`) or has never answered (`api-unreachable`); Middleware references are not checked when
 * Middlewares are not read (`middlewares-off`); every route of the domain is an HTTPRoute, whose verdict is
 * the Gateway controller's status, not a router of Traefik's (`gateway-routes`).
 */
export type TraefikNotCheckedReason = 'api-off' | 'api-pending' | 'api-unreachable' | 'middlewares-off' | 'gateway-routes';

/** A Middleware an Ingress names in `traefik.ingress.kubernetes.io/router.middlewares`, and its state. */
export interface TraefikMiddlewareRef {
  /** As written in the annotation, e.g. `hst-acme-auth@kubernetescrd`. */
  name: string;
  /**
   * `ok`: the Middleware exists (and Traefik, when asked, has it enabled); `missing`: it does not;
   * `error`: Traefik reports it in error; `not-checked`: Chainboard cannot tell (Middlewares not read,
   * another provider, a namespace not read).
   */
  state: 'ok' | 'missing' | 'error' | 'not-checked';
}

/** The Traefik router of one route, as Traefik's API reports it (or as Traefik would name it). */
export interface TraefikRouterState {
  /** The route (`RouteNode.id`) the router serves. */
  routeId: string;
  /** Traefik's name, e.g. `hst-acme-shop-shop-acme-example@kubernetes`; the expected one when not found. */
  name: string;
  /** `undefined` when the API was not asked or has no router of that name. */
  status?: 'enabled' | 'disabled' | 'warning' | 'missing';
  error?: string[];
  entryPoints: string[];
  middlewares: TraefikMiddlewareRef[];
}

/**
 * Traefik between the domain and its routes: one router per route, with its entrypoints and
 * Middlewares. Not checked without the API (`check`), grey like unprobed TLS and DNS.
 */
export interface TraefikState {
  id: string;
  check: { state: 'checked'; fetchedAt: string; staleSince?: string; error?: string } | { state: 'not-checked'; reasons: TraefikNotCheckedReason[]; error?: string };
  routers: TraefikRouterState[];
  health: LinkHealth;
}

/** One public domain's chain: domain -> routes -> Service -> endpoints -> Pods. */
export interface DomainChain {
  /** The rule host, lower-case; `*` for rules without a host and default backends. */
  host: string;
  /** The namespace of the first Ingress claiming the host. */
  namespace: string;
  /** All namespaces with Ingress rules for this host (usually one). */
  namespaces: string[];
  /**
   * The worst severity of the chain's findings (a gap makes it `unknown`). A TLS or DNS link that was not
   * checked adds nothing: the domain is judged by what was checked, and the link says `not-checked`.
   */
  health: Health;
  routes: RouteNode[];
  tls: TlsState;
  dns: DnsState;
  /** Absent only in chains made before HTTP checks existed (shared links, old dumps): read as not checked. */
  http?: HttpState;
  /** Traefik's routers of the domain; absent on chains built before Traefik was read. */
  traefik?: TraefikState;
  /** The findings of the whole chain, worst first. */
  findings: Finding[];
  /** Warning events about any object of the chain, newest first. */
  events: EventSummary[];
  /** Data that could not be read for this chain. */
  gaps: DataGap[];
}

export interface HealthCounts {
  healthy: number;
  degraded: number;
  down: number;
  unknown: number;
}

export interface NamespaceSummary {
  name: string;
  health: Health;
  domainCount: number;
  counts: HealthCounts;
  /** The hosts served from this namespace. */
  hosts: string[];
  /** The few worst findings of the namespace, worst first. */
  worstFindings: Finding[];
  /** Findings that belong to no domain (e.g. `ingress.no-rules`). */
  findings: Finding[];
  /** Services that no Ingress route reaches. */
  unreachableServices: string[];
  unhealthyPods: PodSummary[];
  warningEvents: EventSummary[];
  gaps: DataGap[];
}

export interface AnalysisResult {
  namespacePrefix: string;
  /** The `now` the analysis was made with (ISO). */
  analyzedAt: string;
  domains: DomainChain[];
  namespaces: NamespaceSummary[];
}
