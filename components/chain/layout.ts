/**
 * The chain diagram as data: a pure graph model of one domain's chain and its left-to-right layered
 * layout. d3-hierarchy places the nodes of each column, d3-shape draws the edge paths; React only renders
 * what this module returns (see ChainDiagram.tsx). Nothing here knows React or the DOM, so the layout is
 * unit-tested (layout.test.ts) and the same ids reach the SVG, the findings and the `?focus=` query.
 *
 * Columns: domain (with DNS above and TLS below it) -> Ingress route (path) -> Service (port) ->
 * EndpointSlice endpoints -> Pods.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 * @see https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
 */
import { hierarchy, tree } from 'd3-hierarchy';
import { linkHorizontal, linkVertical } from 'd3-shape';
import { nodeId } from '../../lib/model/ids';
import {
  HEALTH_ORDER,
  SEVERITY_ORDER,
  type DnsState,
  type DomainChain,
  type EndpointCounts,
  type EndpointNode,
  type Finding,
  type Health,
  type PodSummary,
  type RouteNode,
  type ServiceNode,
  type Severity,
  type TlsState,
} from '../../lib/model/chain';

/** The kinds of node the diagram draws. `endpoint-group` stands for the endpoints of a collapsed Service. */
export type GraphNodeKind = 'domain' | 'tls' | 'dns' | 'route' | 'service' | 'endpoint-group' | 'endpoint' | 'pod';

/** The chain object behind a node, for the details panel. */
export type GraphNodeData =
  | { kind: 'domain'; domain: DomainChain }
  | { kind: 'tls'; tls: TlsState }
  | { kind: 'dns'; dns: DnsState }
  | { kind: 'route'; route: RouteNode }
  /** `service` is absent when the backend names a Service that does not exist. */
  | { kind: 'service'; name: string; namespace: string; service?: ServiceNode; route: RouteNode }
  | { kind: 'endpoint-group'; service: ServiceNode; counts: EndpointCounts; namespace: string }
  | { kind: 'endpoint'; endpoint: EndpointNode; service: ServiceNode; namespace: string }
  /** `withoutEndpoint`: a Pod the selector matches that has no endpoint for the Service port. */
  | { kind: 'pod'; pod: PodSummary; withoutEndpoint: boolean; namespace: string };

/** One node of the graph model, before layout. */
export interface GraphNode {
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
  health: Health;
  /** The referenced object does not exist (a backend naming a missing Service). */
  missing: boolean;
  /** Worst severity of the critical/warning findings placed on this node: the broken link. */
  mark?: Exclude<Severity, 'info'>;
  /** Findings placed on this node, worst first (info included). */
  findings: Finding[];
  data: GraphNodeData;
}

/** `chain`: the request path; `attach`: TLS/DNS hang off the domain; `no-endpoint`: a Pod the Service selects without an endpoint. */
export type GraphEdgeKind = 'chain' | 'attach' | 'no-endpoint';

/** One edge of the graph model, before layout. */
export interface GraphEdge {
  /** `from->to`, the same form as `linkKey()` of an edge link. */
  id: string;
  from: string;
  to: string;
  kind: GraphEdgeKind;
  health: Health;
  mark?: Exclude<Severity, 'info'>;
  findings: Finding[];
}

/** The graph model of one domain's chain. */
export interface ChainGraph {
  host: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Findings whose link names nothing drawn (e.g. namespace-level): listed, not placed. */
  unplaced: Finding[];
  /** Services shown collapsed to counts, by Service node id. */
  collapsed: string[];
  /** Services large enough to collapse (whether collapsed now or expanded), by Service node id. */
  collapsible: string[];
}

/** Options of {@link buildGraph}. */
export interface GraphOptions {
  /** Service node ids the user expanded. */
  expanded?: ReadonlySet<string>;
  /** A Service with more endpoints than this collapses to counts. Default 8. */
  collapseAbove?: number;
  /** The analysis time (ISO), to say whether a certificate has expired; no clock is read here. */
  now?: string;
}

/** Column titles, by layer. */
export const COLUMN_TITLES = ['Domain', 'Ingress route', 'Service', 'Endpoints', 'Pods'] as const;

const KIND_LABEL: Record<GraphNodeKind, string> = {
  domain: 'Domain',
  tls: 'TLS',
  dns: 'DNS',
  route: 'Ingress route',
  service: 'Service',
  'endpoint-group': 'Endpoints',
  endpoint: 'Endpoint',
  pod: 'Pod',
};

const healthRank = (h: Health) => HEALTH_ORDER.indexOf(h);
const severityRank = (s: Severity) => SEVERITY_ORDER.indexOf(s);

/** The worse of two healths (`down` beats `unknown` beats `degraded` beats `healthy`). */
export function worseHealth(a: Health, b: Health): Health {
  return healthRank(a) <= healthRank(b) ? a : b;
}

function worseMark(a: GraphNode['mark'], s: Severity): GraphNode['mark'] {
  if (s === 'info') return a;
  if (!a) return s;
  return severityRank(s) < severityRank(a) ? s : a;
}

const edgeId = (from: string, to: string) => `${from}->${to}`;

/** The id of the node that stands for a collapsed Service's endpoints. Not a Kubernetes object. */
export const groupId = (serviceId: string) => `${serviceId}/endpoints`;

function serviceDetail(route: RouteNode, s: ServiceNode | undefined): string {
  const wanted = route.backend.service?.port;
  const wantedText = wanted?.name ?? (wanted?.number !== undefined ? String(wanted.number) : '?');
  if (!s) return `missing (port ${wantedText})`;
  if (s.type === 'ExternalName') return `ExternalName ${s.externalName ?? ''}`.trim();
  if (!s.port) return `no port ${wantedText}`;
  const target = s.port.targetPort ?? s.port.port;
  return `:${s.port.port} → ${target}`;
}

function endpointState(e: EndpointNode): string {
  if (e.terminating) return e.serving ? 'terminating, serving' : 'terminating';
  return e.ready ? 'ready' : 'not ready';
}

function podDetail(p: PodSummary, withoutEndpoint: boolean): string {
  const state = p.deleting ? 'Terminating' : (p.reason ?? p.phase);
  const parts = [p.ready && !p.deleting ? `${state}, ready` : state];
  if (p.restarts > 0) parts.push(`${p.restarts} restart${p.restarts === 1 ? '' : 's'}`);
  if (withoutEndpoint) parts.push('no endpoint');
  return parts.join(' · ');
}

/** The TLS node's name: where the certificate comes from. */
function tlsName(t: TlsState): string {
  if (!t.enabled) return 'plain HTTP';
  switch (t.source.type) {
    case 'resolver':
      return `resolver ${t.source.resolver}`;
    case 'cert-manager':
      return 'cert-manager';
    case 'secret':
      return `Secret ${t.source.secretName}`;
    default:
      return 'no certificate';
  }
}

/**
 * The TLS node's second line: what the served (or stored) certificate says, judged at `now` (the
 * analysis time, so the same data always gives the same text).
 */
function tlsDetail(t: TlsState, now: number | undefined): string {
  const p = t.probe;
  if (p?.status === 'error') return `handshake ${p.errorKind}`;
  const cert = p?.status === 'ok' ? p.chain[0] : t.secretCertificate;
  if (cert) {
    const day = (iso: string) => iso.slice(0, 10);
    if (now !== undefined && Date.parse(cert.notAfter) < now) return `expired ${day(cert.notAfter)}`;
    if (now !== undefined && Date.parse(cert.notBefore) > now) return `not valid before ${day(cert.notBefore)}`;
    return `${p?.status === 'ok' && !p.trusted ? 'untrusted, ' : ''}until ${day(cert.notAfter)}`;
  }
  if (!t.enabled) return 'no TLS entrypoint';
  return 'certificate not probed';
}

/** The DNS node's name: what the record is (or is asked to be). */
function dnsName(d: DnsState): string {
  if (d.probe?.status === 'ok') return [...d.probe.a, ...d.probe.aaaa, ...d.probe.cname][0] ?? 'resolves';
  if (d.annotatedHostnames.length) return 'external-dns record';
  return 'no record asked';
}

/** The DNS node's second line: the lookup result, or the address the record should point at. */
function dnsDetail(d: DnsState): string {
  if (d.probe && d.probe.status !== 'ok') return d.probe.status === 'error' ? 'lookup failed' : d.probe.status;
  const lb = d.loadBalancer[0];
  if (d.probe?.status === 'ok') return lb ? `Ingress at ${lb}` : 'resolves';
  return lb ? `→ ${lb} (not resolved)` : 'no Ingress address';
}

/**
 * Builds the graph model of a domain's chain: one node per object, keyed by the ids findings use, with
 * every finding placed on the node or edge its `link` names. A Service with more endpoints than
 * `collapseAbove` collapses to one counts node unless its id is in `expanded`.
 */
export function buildGraph(domain: DomainChain, options: GraphOptions = {}): ChainGraph {
  const expanded = options.expanded ?? new Set<string>();
  const collapseAbove = options.collapseAbove ?? 8;
  const now = options.now !== undefined ? Date.parse(options.now) : undefined;
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  /** Ids that are not drawn themselves but stand for drawn nodes (Ingress -> its routes, hidden endpoints -> group). */
  const aliases = new Map<string, string[]>();
  const collapsed: string[] = [];
  const collapsible: string[] = [];

  const addAlias = (from: string, to: string) => {
    const list = aliases.get(from);
    if (!list) aliases.set(from, [to]);
    else if (!list.includes(to)) list.push(to);
  };
  const addNode = (n: Omit<GraphNode, 'kindLabel' | 'findings' | 'missing'> & { missing?: boolean }): boolean => {
    if (nodes.has(n.id)) return false;
    nodes.set(n.id, { ...n, kindLabel: KIND_LABEL[n.kind], missing: n.missing ?? false, findings: [] });
    return true;
  };
  const addEdge = (from: string, to: string, kind: GraphEdgeKind, health: Health) => {
    const id = edgeId(from, to);
    if (!edges.has(id)) edges.set(id, { id, from, to, kind, health, findings: [] });
  };

  const domainId = nodeId.domain(domain.host);
  addNode({ id: domainId, kind: 'domain', layer: 0, name: domain.host, detail: routesText(domain.routes.length), health: domain.health, data: { kind: 'domain', domain } });
  addNode({ id: domain.dns.id, kind: 'dns', layer: 0, name: dnsName(domain.dns), detail: dnsDetail(domain.dns), health: domain.dns.health, data: { kind: 'dns', dns: domain.dns } });
  addNode({ id: domain.tls.id, kind: 'tls', layer: 0, name: tlsName(domain.tls), detail: tlsDetail(domain.tls, now), health: domain.tls.health, data: { kind: 'tls', tls: domain.tls } });
  addEdge(domainId, domain.dns.id, 'attach', domain.dns.health);
  addEdge(domainId, domain.tls.id, 'attach', domain.tls.health);

  for (const route of domain.routes) {
    addNode({
      id: route.id,
      kind: 'route',
      layer: 1,
      name: route.ingress,
      detail: route.isDefaultBackend ? 'default backend' : `${route.path} (${route.pathType})`,
      health: route.health,
      data: { kind: 'route', route },
    });
    addAlias(nodeId.ingress(route.ingress), route.id);
    addEdge(domainId, route.id, 'chain', route.health);

    const s = route.service;
    const wantedName = route.backend.service?.name;
    if (!s && !wantedName) continue; // a resource backend: nothing to follow
    const sid = s ? s.id : nodeId.service(wantedName as string);
    const name = s ? s.name : (wantedName as string);
    const fresh = addNode({
      id: sid,
      kind: 'service',
      layer: 2,
      name,
      detail: serviceDetail(route, s),
      health: s ? s.health : 'down',
      missing: !s,
      data: { kind: 'service', name, namespace: route.namespace, service: s, route },
    });
    addEdge(route.id, sid, 'chain', s ? s.health : 'down');
    // A Service reached by two routes is drawn once; its endpoints hang off the first.
    if (!fresh || !s) continue;

    const big = s.endpoints.length > collapseAbove;
    if (big) collapsible.push(sid);
    if (big && !expanded.has(sid)) {
      const gid = groupId(sid);
      const health = s.endpoints.reduce<Health>((h, e) => worseHealth(h, e.health), 'healthy');
      const c = s.counts;
      addNode({
        id: gid,
        kind: 'endpoint-group',
        layer: 3,
        name: `${c.ready} of ${c.total} ready`,
        detail: `${c.notReady} not ready · ${c.terminating} terminating`,
        health,
        data: { kind: 'endpoint-group', service: s, counts: c, namespace: route.namespace },
      });
      addEdge(sid, gid, 'chain', health);
      collapsed.push(sid);
      for (const e of s.endpoints) {
        addAlias(e.id, gid);
        if (e.pod) addAlias(e.pod.id, gid);
      }
    } else {
      for (const e of s.endpoints) {
        addNode({
          id: e.id,
          kind: 'endpoint',
          layer: 3,
          name: e.addresses[0] ?? e.slice,
          detail: `${endpointState(e)}${e.port !== undefined ? ` :${e.port}` : ''}`,
          health: e.health,
          data: { kind: 'endpoint', endpoint: e, service: s, namespace: route.namespace },
        });
        addEdge(sid, e.id, 'chain', e.health);
        if (e.pod) {
          addNode({ id: e.pod.id, kind: 'pod', layer: 4, name: e.pod.name, detail: podDetail(e.pod, false), health: e.pod.health, data: { kind: 'pod', pod: e.pod, withoutEndpoint: false, namespace: route.namespace } });
          addEdge(e.id, e.pod.id, 'chain', e.pod.health);
        }
      }
    }
    for (const p of s.podsWithoutEndpoint) {
      addNode({ id: p.id, kind: 'pod', layer: 4, name: p.name, detail: podDetail(p, true), health: p.health, data: { kind: 'pod', pod: p, withoutEndpoint: true, namespace: route.namespace } });
      addEdge(sid, p.id, 'no-endpoint', p.health);
    }
  }

  const resolve = (id: string): string[] => (nodes.has(id) ? [id] : (aliases.get(id) ?? []));
  const unplaced: Finding[] = [];
  for (const f of domain.findings) {
    if (f.link.type === 'node') {
      const targets = resolve(f.link.id);
      if (!targets.length) unplaced.push(f);
      for (const t of targets) {
        const n = nodes.get(t) as GraphNode;
        n.findings.push(f);
        n.mark = worseMark(n.mark, f.severity);
      }
      continue;
    }
    const froms = resolve(f.link.from);
    const tos = resolve(f.link.to);
    let placed = false;
    for (const a of froms) {
      for (const b of tos) {
        const e = edges.get(edgeId(a, b));
        if (!e) continue;
        e.findings.push(f);
        e.mark = worseMark(e.mark, f.severity);
        placed = true;
      }
    }
    // An edge finding whose edge is not drawn (e.g. inside a collapsed group) still marks its target.
    if (!placed) {
      const fallback = tos[0] ?? froms[0];
      if (!fallback) unplaced.push(f);
      else {
        const n = nodes.get(fallback) as GraphNode;
        n.findings.push(f);
        n.mark = worseMark(n.mark, f.severity);
      }
    }
  }

  return { host: domain.host, nodes: [...nodes.values()], edges: [...edges.values()], unplaced, collapsed, collapsible };
}

function routesText(n: number): string {
  return `${n} route${n === 1 ? '' : 's'}`;
}

/**
 * The node a focus id or finding link id is shown on: itself when drawn, the routes of an `Ingress/<name>`,
 * or the counts node of a collapsed Service for one of its endpoints or Pods.
 */
export function resolveNodeId(graph: ChainGraph, id: string): string | undefined {
  if (graph.nodes.some((n) => n.id === id)) return id;
  if (id.startsWith('Ingress/')) {
    const name = id.slice('Ingress/'.length);
    return graph.nodes.find((n) => n.data.kind === 'route' && n.data.route.ingress === name)?.id;
  }
  for (const n of graph.nodes) {
    if (n.data.kind !== 'endpoint-group') continue;
    if (n.data.service.endpoints.some((e) => e.id === id || e.pod?.id === id)) return n.id;
  }
  if (id.endsWith('/endpoints')) {
    // The counts node of a Service that is expanded now: show the Service itself.
    const sid = id.slice(0, -'/endpoints'.length);
    if (graph.nodes.some((n) => n.id === sid)) return sid;
  }
  return undefined;
}

/**
 * The Service node id whose endpoints contain `id` (an endpoint or a Pod id), so that focusing a Pod of a
 * collapsed Service can expand it. Undefined when `id` is not below any Service of the domain.
 */
export function serviceContaining(domain: DomainChain, id: string): string | undefined {
  for (const r of domain.routes) {
    const s = r.service;
    if (!s) continue;
    if (s.endpoints.some((e) => e.id === id || e.pod?.id === id)) return s.id;
  }
  return undefined;
}

/** Sizes of the drawing, in SVG user units (px at 1:1). */
export interface LayoutDims {
  nodeWidth: number;
  nodeHeight: number;
  /** Horizontal gap between columns. */
  columnGap: number;
  /** Vertical gap between nodes of a column. */
  rowGap: number;
  /** Room above the first row for the column titles. */
  headerHeight: number;
  padding: number;
}

// Wide enough gaps between columns for the broken-link marker to sit on the edge between two nodes.
export const DEFAULT_DIMS: LayoutDims = { nodeWidth: 180, nodeHeight: 54, columnGap: 64, rowGap: 16, headerHeight: 30, padding: 14 };

/** A node with its box: `x`, `y` are the top-left corner. */
export interface PlacedNode extends GraphNode {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An edge with its SVG path and the point where its label or marker goes. */
export interface PlacedEdge extends GraphEdge {
  path: string;
  /** Midpoint of the edge, for the broken-link badge. */
  mid: { x: number; y: number };
}

/** The laid-out diagram: boxes, edge paths and the drawing's size. */
export interface ChainLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  /** Column titles and their left x, for the columns in use. */
  columns: { layer: number; title: string; x: number }[];
}

type TreeDatum = { node: GraphNode; children: TreeDatum[] };

/**
 * Lays the graph out left to right: each node's column is its layer; d3-hierarchy's tree layout gives
 * the rows, so siblings never overlap and each parent sits centred on its children. TLS and DNS are
 * stacked below and above the domain in the first column. Deterministic: the same graph gives the same
 * coordinates, so a refresh with unchanged data moves nothing.
 */
export function layoutGraph(graph: ChainGraph, dims: LayoutDims = DEFAULT_DIMS): ChainLayout {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const rowPitch = dims.nodeHeight + dims.rowGap;
  const colPitch = dims.nodeWidth + dims.columnGap;

  // The spanning tree of the chain edges (first parent wins); attach edges are placed by hand below.
  const childrenOf = new Map<string, string[]>();
  const hasParent = new Set<string>();
  for (const e of graph.edges) {
    if (e.kind === 'attach' || hasParent.has(e.to)) continue;
    hasParent.add(e.to);
    const list = childrenOf.get(e.from);
    if (list) list.push(e.to);
    else childrenOf.set(e.from, [e.to]);
  }
  const root = graph.nodes.find((n) => n.kind === 'domain');
  if (!root) throw new Error('layoutGraph: the graph has no domain node');
  const toDatum = (n: GraphNode): TreeDatum => ({
    node: n,
    children: (childrenOf.get(n.id) ?? []).map((c) => toDatum(byId.get(c) as GraphNode)),
  });
  const h = hierarchy<TreeDatum>(toDatum(root), (d) => d.children);
  // nodeSize: [breadth, depth]. Breadth is our vertical axis; depth is replaced by the node's layer.
  // Unrelated subtrees get a little extra air so each route's chain reads as a group.
  tree<TreeDatum>()
    .nodeSize([rowPitch, colPitch])
    .separation((a, b) => (a.parent === b.parent ? 1 : 1.25))(h);

  const rowOf = new Map<string, number>();
  h.each((d) => rowOf.set(d.data.node.id, d.x ?? 0));
  const rootRow = rowOf.get(root.id) ?? 0;
  // DNS above and TLS below the domain: the first column holds only these three.
  const attached = graph.nodes.filter((n) => n.kind === 'dns' || n.kind === 'tls');
  for (const n of attached) rowOf.set(n.id, rootRow + (n.kind === 'dns' ? -rowPitch : rowPitch));

  const rows = [...rowOf.values()];
  const minRow = Math.min(...rows);
  const maxRow = Math.max(...rows);
  const top = dims.padding + dims.headerHeight;
  const xOf = (layer: number) => dims.padding + layer * colPitch;

  const nodes: PlacedNode[] = graph.nodes
    .filter((n) => rowOf.has(n.id))
    .map((n) => ({
      ...n,
      x: xOf(n.layer),
      y: top + ((rowOf.get(n.id) as number) - minRow),
      width: dims.nodeWidth,
      height: dims.nodeHeight,
    }));
  const placed = new Map(nodes.map((n) => [n.id, n]));

  const horizontal = linkHorizontal<{ source: [number, number]; target: [number, number] }, [number, number]>();
  const vertical = linkVertical<{ source: [number, number]; target: [number, number] }, [number, number]>();
  const edges: PlacedEdge[] = [];
  for (const e of graph.edges) {
    const a = placed.get(e.from);
    const b = placed.get(e.to);
    if (!a || !b) continue;
    let source: [number, number];
    let target: [number, number];
    let path: string | null;
    if (e.kind === 'attach') {
      const up = b.y < a.y;
      source = [a.x + a.width / 2, up ? a.y : a.y + a.height];
      target = [b.x + b.width / 2, up ? b.y + b.height : b.y];
      path = vertical({ source, target });
    } else {
      source = [a.x + a.width, a.y + a.height / 2];
      target = [b.x, b.y + b.height / 2];
      path = horizontal({ source, target });
    }
    edges.push({ ...e, path: path ?? '', mid: { x: (source[0] + target[0]) / 2, y: (source[1] + target[1]) / 2 } });
  }

  const maxLayer = Math.max(...nodes.map((n) => n.layer));
  const columns = COLUMN_TITLES.slice(0, maxLayer + 1).map((title, layer) => ({ layer, title, x: xOf(layer) }));
  return {
    width: xOf(maxLayer) + dims.nodeWidth + dims.padding,
    height: top + (maxRow - minRow) + dims.nodeHeight + dims.padding,
    nodes,
    edges,
    columns,
  };
}

/** Shortens a label to `max` characters with an ellipsis in the middle, keeping the telling suffix of generated names. */
export function truncateMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const keepEnd = Math.floor((max - 1) / 2);
  const keepStart = max - 1 - keepEnd;
  return `${text.slice(0, keepStart)}…${text.slice(text.length - keepEnd)}`;
}

/** The accessible name of a node: kind, name, health, and the broken-link mark with its finding codes. */
export function nodeAriaLabel(n: GraphNode): string {
  const parts = [`${n.kindLabel} ${n.name}`, n.detail, n.missing ? 'missing' : n.health];
  if (n.mark) {
    const codes = [...new Set(n.findings.filter((f) => f.severity !== 'info').map((f) => f.code))];
    parts.push(`broken link (${n.mark}): ${codes.join(', ')}`);
  }
  return parts.join(', ');
}

/** The accessible name of an edge. */
export function edgeAriaLabel(e: GraphEdge, from: GraphNode | undefined, to: GraphNode | undefined): string {
  const name = (n: GraphNode | undefined, id: string) => (n ? `${n.kindLabel} ${n.name}` : id);
  const parts = [`Link from ${name(from, e.from)} to ${name(to, e.to)}`];
  if (e.kind === 'no-endpoint') parts.push('no endpoint');
  parts.push(e.health);
  if (e.mark) {
    const codes = [...new Set(e.findings.filter((f) => f.severity !== 'info').map((f) => f.code))];
    parts.push(`broken link (${e.mark}): ${codes.join(', ')}`);
  }
  return parts.join(', ');
}
