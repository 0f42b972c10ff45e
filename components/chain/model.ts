/**
 * The first step of the chain diagram: one domain's chain as a graph of plain data, one node per object
 * and one edge per link, keyed by the ids lib/model/ids.ts builds (the ids `Finding.link` and `?focus=`
 * use). No findings, no geometry, no React: lookup.ts places the findings, layout.ts the boxes.
 *
 * Columns (layers): domain (with DNS above, and TLS and Traefik's routers below it) -> [Gateway listener, for
 * a domain an HTTPRoute serves] -> route (Ingress path, HTTPRoute rule or IngressRoute route) -> Service (port)
 * -> EndpointSlice endpoints -> Pods. cert-manager's request chain behind a stuck certificate hangs below
 * the TLS node as a band of its own: Certificate -> CertificateRequest -> Order -> Challenges.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 * @see https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
 */
import { worstHealth } from '../../lib/model/health';
import { edgeLink, endpointGroupId, linkKey, nodeId } from '../../lib/model/ids';
import type {
  AcmeChainState,
  AcmeStepState,
  GatewayListenerState,
  GatewayParentState,
  DnsState,
  LinkHealth,
  DomainChain,
  EndpointCounts,
  EndpointNode,
  Health,
  PodSummary,
  RouteNode,
  ServiceNode,
  TlsState,
  TraefikState,
} from '../../lib/model/chain';
import {
  acmeStepText,
  backendText,
  columnTitles,
  dnsText,
  gatewayText,
  routeKindLabel,
  domainText,
  endpointText,
  KIND_LABEL,
  podGroupText,
  podState,
  podText,
  routeText,
  serviceDetail,
  tlsText,
  traefikText,
  type NodeText,
} from './labels';

/** The kinds of node the diagram draws. `endpoint-group` stands for the endpoints of a collapsed Service. */
export type GraphNodeKind = 'domain' | 'tls' | 'dns' | 'traefik' | 'gateway' | 'route' | 'service' | 'backend' | 'endpoint-group' | 'endpoint' | 'pod' | 'acme';

/** The chain object behind a node, for the details panel. */
export type GraphNodeData =
  | { kind: 'domain'; domain: DomainChain }
  | { kind: 'tls'; tls: TlsState }
  | { kind: 'dns'; dns: DnsState }
  /** Traefik's routers of the domain (one per route), with their entrypoints and Middlewares. */
  | { kind: 'traefik'; traefik: TraefikState }
  /** An HTTPRoute's parent Gateway: one node per listener the host comes through, or the Gateway itself when none takes it (or it is missing). */
  | { kind: 'gateway'; gateway: GatewayParentState; listener?: GatewayListenerState }
  | { kind: 'route'; route: RouteNode }
  /** An IngressRoute's TraefikService backend: shown, not followed. */
  | { kind: 'backend'; route: RouteNode; backendKind: string; name: string }
  /** One step of cert-manager's request chain; `stuck`: the chain stops here. */
  | { kind: 'acme'; step: AcmeStepState; chain: AcmeChainState; stuck: boolean }
  /** `service` is absent when the backend names a Service that does not exist. */
  | { kind: 'service'; name: string; namespace: string; service?: ServiceNode; route: RouteNode }
  /** The endpoints of a collapsed Service whose Pods share one owner and one state; `counts` are theirs. */
  | { kind: 'endpoint-group'; service: ServiceNode; counts: EndpointCounts; namespace: string; endpoints: EndpointNode[]; state: string; owner?: string }
  | { kind: 'endpoint'; endpoint: EndpointNode; service: ServiceNode; namespace: string }
  /** `withoutEndpoint`: a Pod the selector matches that has no endpoint for the Service port. */
  | { kind: 'pod'; pod: PodSummary; withoutEndpoint: boolean; namespace: string };

/** One node of the graph model, before findings are placed on it. */
export interface ModelNode {
  /** Stable id, the same string `Finding.link` and `?focus=` use (`Service/checkout`). */
  id: string;
  kind: GraphNodeKind;
  /** Column, 0 = domain. */
  layer: number;
  /** What kind of object, in words ("Service"). */
  kindLabel: string;
  /** The object's name, in full. */
  name: string;
  /** The short second line (port, path, state). */
  detail: string;
  /** `not-checked` only for a TLS or DNS node nothing verified (drawn grey, never as healthy). */
  health: LinkHealth;
  /** The referenced object does not exist (a backend naming a missing Service). */
  missing: boolean;
  data: GraphNodeData;
}

/**
 * `chain`: the request path; `attach`: TLS/DNS hang off the domain (and the certificate's request chain
 * off TLS); `no-endpoint`: a Pod the Service selects without an endpoint; `step`: from one step of the
 * certificate's request chain to the next.
 */
export type GraphEdgeKind = 'chain' | 'attach' | 'no-endpoint' | 'step';

/** One edge of the graph model, before findings are placed on it. */
export interface ModelEdge {
  /** `from->to`, the `linkKey()` of the edge link between the two nodes. */
  id: string;
  from: string;
  to: string;
  kind: GraphEdgeKind;
  health: LinkHealth;
}

/** The graph model of one domain's chain. */
export interface GraphModel {
  host: string;
  nodes: ModelNode[];
  edges: ModelEdge[];
  /**
   * Ids that are not drawn themselves but stand for drawn nodes: an `Ingress/<name>` for its routes, and
   * the endpoints and Pods of a collapsed Service for its counts node.
   */
  aliases: ReadonlyMap<string, readonly string[]>;
  /** Services shown collapsed to counts, by Service node id. */
  collapsed: string[];
  /** Services large enough to collapse (whether collapsed now or expanded), by Service node id. */
  collapsible: string[];
  /** The title of each column, by layer: the route column names the route kinds drawn. */
  columns: string[];
}

/** Options of {@link buildModel}. */
export interface GraphOptions {
  /** Service node ids the user expanded (all their endpoints), and group node ids (the endpoints of that group). */
  expanded?: ReadonlySet<string>;
  /** A Service with more endpoints than this collapses to groups of Pods by owner and state. Default 3. */
  collapseAbove?: number;
  /** The analysis time (ISO), to say whether a certificate has expired; no clock is read here. */
  now?: string;
}

/**
 * The id that stands for all of a collapsed Service's endpoints (`Service/<name>/endpoints`). Not a
 * Kubernetes object and not drawn: an alias of the Service's group nodes, so older links still land.
 */
export const groupId = endpointGroupId;

/** The id of one group node of a collapsed Service: its Pods of one owner in one state. */
export const podGroupId = (serviceId: string, owner: string | undefined, state: string) =>
  `${endpointGroupId(serviceId)}/${(owner ?? '-').replace(/\//g, ':')}/${state.replace(/[^A-Za-z0-9]+/g, '-')}`;

/** The id of the edge between two nodes: the key of the edge link a finding about it carries. */
export const edgeId = (from: string, to: string) => linkKey(edgeLink(from, to));

/**
 * The column of each kind of node: domain (with DNS and TLS), route, Service, endpoints, Pods; a domain with
 * a Gateway column shifts the route and everything after it one column right. An ACME step's column is its
 * place in the request chain.
 */
const LAYER: Record<GraphNodeKind, number> = { domain: 0, dns: 0, tls: 0, traefik: 0, gateway: 1, route: 1, service: 2, backend: 2, 'endpoint-group': 3, endpoint: 3, pod: 4, acme: 0 };
const SHIFTED = new Set<GraphNodeKind>(['route', 'service', 'backend', 'endpoint-group', 'endpoint', 'pod']);
const ACME_LAYER: Record<AcmeStepState['kind'], number> = { Certificate: 0, CertificateRequest: 1, Order: 2, Challenge: 3 };

/** The model under construction: nodes and edges in insertion order, the first of an id wins. */
class ModelBuilder {
  readonly nodes = new Map<string, ModelNode>();
  readonly edges = new Map<string, ModelEdge>();
  readonly aliases = new Map<string, string[]>();
  readonly collapsed: string[] = [];
  readonly collapsible: string[] = [];

  /** `gatewayColumn`: the domain has a Gateway column, so the route and what follows sit one column right. */
  constructor(private readonly gatewayColumn: boolean) {}

  /** Adds a node of the kind of its `data` unless its id is drawn already; says whether it was added. */
  node(id: string, text: NodeText, health: LinkHealth, data: GraphNodeData, missing = false, kindLabel?: string): boolean {
    if (this.nodes.has(id)) return false;
    const kind = data.kind;
    const layer = data.kind === 'acme' ? ACME_LAYER[data.step.kind] : LAYER[kind] + (this.gatewayColumn && SHIFTED.has(kind) ? 1 : 0);
    this.nodes.set(id, { id, kind, layer, kindLabel: kindLabel ?? KIND_LABEL[kind], ...text, health, missing, data });
    return true;
  }

  edge(from: string, to: string, kind: GraphEdgeKind, health: LinkHealth): void {
    const id = edgeId(from, to);
    if (!this.edges.has(id)) this.edges.set(id, { id, from, to, kind, health });
  }

  alias(from: string, to: string): void {
    const list = this.aliases.get(from);
    if (!list) this.aliases.set(from, [to]);
    else if (!list.includes(to)) list.push(to);
  }
}

/**
 * Builds the graph model of a domain's chain: one node per object, keyed by the ids findings use. A
 * Service with more endpoints than `collapseAbove` collapses to one counts node unless its id is in
 * `expanded`.
 */
export function buildModel(domain: DomainChain, options: GraphOptions = {}): GraphModel {
  const gatewayColumn = domain.routes.some((r) => r.parentGateway);
  const b = new ModelBuilder(gatewayColumn);
  const now = options.now !== undefined ? Date.parse(options.now) : undefined;
  const domainId = nodeId.domain(domain.host);
  b.node(domainId, domainText(domain), domain.health, { kind: 'domain', domain });
  // DNS should point at the Gateway when every route of the domain comes through one.
  const via = domain.routes.length > 0 && domain.routes.every((r) => r.kind === 'HTTPRoute') ? 'Gateway' : 'Ingress';
  b.node(domain.dns.id, dnsText(domain.dns, via), domain.dns.health, { kind: 'dns', dns: domain.dns });
  b.node(domain.tls.id, tlsText(domain.tls, now), domain.tls.health, { kind: 'tls', tls: domain.tls });
  b.edge(domainId, domain.dns.id, 'attach', domain.dns.health);
  b.edge(domainId, domain.tls.id, 'attach', domain.tls.health);
  if (domain.traefik) {
    b.node(domain.traefik.id, traefikText(domain.traefik), domain.traefik.health, { kind: 'traefik', traefik: domain.traefik });
    b.edge(domainId, domain.traefik.id, 'attach', domain.traefik.health);
  }

  for (const route of domain.routes) {
    const middlewares = domain.traefik?.routers.find((r) => r.routeId === route.id)?.middlewares;
    b.node(route.id, routeText(route, middlewares), route.health, { kind: 'route', route }, false, routeKindLabel(route));
    b.alias(nodeId.ingress(route.ingress), route.id);
    const via = route.parentGateway ? addGateway(b, route.parentGateway) : [domainId];
    for (const from of via) {
      if (from !== domainId) b.edge(domainId, from, 'chain', b.nodes.get(from)!.health);
      b.edge(from, route.id, 'chain', route.health);
    }
    addService(b, route, options);
  }
  if (domain.tls.acme) addAcme(b, domain.tls.id, domain.tls.acme);
  const { nodes, edges, aliases, collapsed, collapsible } = b;
  return { host: domain.host, nodes: [...nodes.values()], edges: [...edges.values()], aliases, collapsed, collapsible, columns: columnTitles(domain.routes, gatewayColumn) };
}

const isFalse = (c: { status: string } | undefined) => c?.status === 'False';

/**
 * The health of a Gateway or listener node from what its controller says: a condition False is down, no
 * condition written yet is degraded (pending: not checked, never healthy), a Gateway that could not be
 * read is not checked.
 */
function gatewayHealth(g: GatewayParentState, l: GatewayListenerState | undefined): LinkHealth {
  if (g.state === 'missing') return 'down';
  if (g.state === 'not-checked') return 'not-checked';
  if (isFalse(g.programmed) || isFalse(g.accepted) || isFalse(l?.programmed) || isFalse(l?.accepted)) return 'down';
  if (!l) return g.programmed || g.accepted ? 'down' : 'degraded'; // found, but no listener takes the host
  return l.programmed || l.accepted ? 'healthy' : 'degraded';
}

/**
 * The Gateway nodes of an HTTPRoute: one per listener its host comes through (the Gateway's own id then
 * stands for them), or the Gateway itself when no listener takes the host, or it is missing or unread.
 * Returns the ids the route hangs off.
 */
function addGateway(b: ModelBuilder, g: GatewayParentState): string[] {
  if (g.listeners.length === 0) {
    b.node(g.id, gatewayText(g, undefined), gatewayHealth(g, undefined), { kind: 'gateway', gateway: g }, g.state === 'missing');
    return [g.id];
  }
  for (const l of g.listeners) {
    b.node(l.id, gatewayText(g, l), gatewayHealth(g, l), { kind: 'gateway', gateway: g, listener: l });
    b.alias(g.id, l.id);
  }
  return g.listeners.map((l) => l.id);
}

/** cert-manager's request chain: each step a node, linked in chain order, hanging off the TLS node. */
function addAcme(b: ModelBuilder, tlsId: string, chain: AcmeChainState): void {
  let prev = tlsId;
  let lastBeforeChallenges = tlsId;
  for (const step of chain.steps) {
    const stuck = chain.stuck === step.id;
    const health: LinkHealth = step.progress === 'done' ? 'healthy' : step.progress === 'failed' ? 'down' : stuck ? 'degraded' : 'unknown';
    b.node(step.id, acmeStepText(step, stuck), health, { kind: 'acme', step, chain, stuck }, false, step.kind);
    // Every Challenge of the Order hangs off the Order.
    const from = step.kind === 'Challenge' ? lastBeforeChallenges : prev;
    b.edge(from, step.id, from === tlsId ? 'attach' : 'step', health);
    if (step.kind !== 'Challenge') lastBeforeChallenges = step.id;
    prev = step.id;
  }
}

/** The Service a route's backend names, drawn missing when it does not exist, and what hangs off it. */
function addService(b: ModelBuilder, route: RouteNode, options: GraphOptions): void {
  const s = route.service;
  const name = s ? s.name : route.backend.service?.name;
  const resource = route.backend.resource;
  if (!name && resource?.name && resource.kind === 'TraefikService') {
    // An IngressRoute's TraefikService (weighted or mirrored Services): shown at the end of the route, not followed.
    const id = `Backend/${route.id}`;
    const kind = resource.kind ?? 'resource';
    b.node(id, backendText(resource), 'not-checked', { kind: 'backend', route, backendKind: kind, name: resource.name }, false, kind);
    b.edge(route.id, id, 'chain', 'not-checked');
    return;
  }
  if (!name) return; // nothing to follow
  const sid = s ? s.id : nodeId.service(name);
  const health: Health = s ? s.health : 'down';
  const data: GraphNodeData = { kind: 'service', name, namespace: route.namespace, service: s, route };
  const fresh = b.node(sid, { name, detail: serviceDetail(route, s) }, health, data, !s);
  b.edge(route.id, sid, 'chain', health);
  // A Service reached by two routes is drawn once; its endpoints hang off the first.
  if (!fresh || !s) return;

  const big = s.endpoints.length > (options.collapseAbove ?? 3);
  if (big) b.collapsible.push(sid);
  if (big && !options.expanded?.has(sid)) addEndpointGroups(b, s, route.namespace, options.expanded);
  else addEndpoints(b, s, s.endpoints, route.namespace);
  for (const p of s.podsWithoutEndpoint) {
    b.node(p.id, podText(p, true), p.health, { kind: 'pod', pod: p, withoutEndpoint: true, namespace: route.namespace });
    b.edge(sid, p.id, 'no-endpoint', p.health);
  }
}

const SEVERITY_ORDER: Record<Health, number> = { down: 0, degraded: 1, unknown: 2, healthy: 3 };

/**
 * A collapsed Service: its endpoints grouped by the owner and state of their Pods, one counts node per
 * group ("12 Pods CrashLoopBackOff"), worst first, so a domain with hundreds of Pods stays a few rows
 * tall. A group whose id is in `expanded` shows its endpoints and Pods instead.
 */
function addEndpointGroups(b: ModelBuilder, s: ServiceNode, namespace: string, expanded: ReadonlySet<string> | undefined): void {
  const groups = new Map<string, { owner?: string; state: string; withPod: boolean; endpoints: EndpointNode[] }>();
  for (const e of s.endpoints) {
    const owner = e.pod?.owner;
    const state = e.pod ? podState(e.pod) : endpointText(e).detail.replace(/ :\d+$/, '');
    const id = podGroupId(s.id, e.pod ? owner : undefined, e.pod ? state : `no-pod-${state}`);
    const g = groups.get(id);
    if (g) g.endpoints.push(e);
    else groups.set(id, { owner, state, withPod: Boolean(e.pod), endpoints: [e] });
  }
  const healthOf = (es: EndpointNode[]) => worstHealth(...es.flatMap((e) => (e.pod ? [e.health, e.pod.health] : [e.health])));
  const ordered = [...groups.entries()].sort(
    ([ia, a], [ib, bb]) => SEVERITY_ORDER[healthOf(a.endpoints)] - SEVERITY_ORDER[healthOf(bb.endpoints)] || ia.localeCompare(ib),
  );
  b.collapsed.push(s.id);
  for (const [gid, g] of ordered) {
    if (expanded?.has(gid)) {
      addEndpoints(b, s, g.endpoints, namespace);
      continue;
    }
    const health = healthOf(g.endpoints);
    const counts: EndpointCounts = {
      total: g.endpoints.length,
      ready: g.endpoints.filter((e) => e.ready && !e.terminating).length,
      notReady: g.endpoints.filter((e) => !e.ready && !e.terminating).length,
      terminating: g.endpoints.filter((e) => e.terminating).length,
    };
    const data: GraphNodeData = { kind: 'endpoint-group', service: s, counts, namespace, endpoints: g.endpoints, state: g.state, owner: g.owner };
    b.alias(groupId(s.id), gid);
    b.node(gid, podGroupText(g.endpoints.length, g.state, g.owner, g.withPod), health, data);
    b.edge(s.id, gid, 'chain', health);
    for (const e of g.endpoints) {
      b.alias(e.id, gid);
      if (e.pod) b.alias(e.pod.id, gid);
    }
  }
}

/** An expanded Service (or group): one node per endpoint, and the Pod behind it. */
function addEndpoints(b: ModelBuilder, s: ServiceNode, endpoints: readonly EndpointNode[], namespace: string): void {
  for (const e of endpoints) {    b.node(e.id, endpointText(e), e.health, { kind: 'endpoint', endpoint: e, service: s, namespace });
    b.edge(s.id, e.id, 'chain', e.health);
    if (e.pod) {
      b.node(e.pod.id, podText(e.pod, false), e.pod.health, { kind: 'pod', pod: e.pod, withoutEndpoint: false, namespace });
      b.edge(e.id, e.pod.id, 'chain', e.pod.health);
    }
  }
}
