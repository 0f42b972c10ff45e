import type { CertificateInfo, ObjectRef, PodCondition, ServicePort } from './k8s';
import type { DataGap } from './snapshot';
import type { DnsProbeResult, TlsProbeResult } from './probe';

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
  /** Stable, documented slug such as `service.no-ready-endpoints`. */
  code: string;
  severity: Severity;
  link: ChainLink;
  object: ObjectRef;
  message: string;
  /** What to do next: usually the exact kubectl command that shows the evidence. */
  hint: string;
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
  ingress: string;
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

/** Where the certificate of a domain comes from, read from the Ingress objects. */
export type TlsSource =
  | { type: 'none' }
  | { type: 'resolver'; resolver: string; secretName?: string }
  | { type: 'cert-manager'; issuer: string; secretName?: string }
  | { type: 'secret'; secretName: string };

export interface TlsState {
  id: string;
  /** Is the host served on a TLS entrypoint at all? */
  enabled: boolean;
  source: TlsSource;
  /** Parsed certificate from the Secret, when readable. */
  secretCertificate?: CertificateInfo;
  probe?: TlsProbeResult;
  health: Health;
}

export interface DnsState {
  id: string;
  /** Hostnames external-dns is asked to publish (the annotation), if any. */
  annotatedHostnames: string[];
  /** Addresses the Ingress status publishes (ip or hostname). */
  loadBalancer: string[];
  probe?: DnsProbeResult;
  health: Health;
}

/** One public domain's chain: domain -> routes -> Service -> endpoints -> Pods. */
export interface DomainChain {
  /** The rule host, lower-case; `*` for rules without a host and default backends. */
  host: string;
  /** The namespace of the first Ingress claiming the host. */
  namespace: string;
  /** All namespaces with Ingress rules for this host (usually one). */
  namespaces: string[];
  health: Health;
  routes: RouteNode[];
  tls: TlsState;
  dns: DnsState;
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
