/**
 * The second step of the chain diagram: which findings sit on which node or edge of the graph model, the
 * worst mark each part gets from them, and the lookups by id the page needs (a `?focus=` id or a finding
 * link to the node that shows it, a Pod to the Service that holds it). Health and severity order come from
 * lib/model/health.ts, the meaning of an id from lib/model/ids.ts.
 */
import { compareHealth, severityHealth } from '../../lib/model/health';
import { nodeId, parseNodeId } from '../../lib/model/ids';
import type { DomainChain, Finding, Severity } from '../../lib/model/chain';
import { edgeId, type GraphModel, type ModelEdge, type ModelNode } from './model';

/** The severities that mark a part of the chain as the broken link; info findings never do. */
export type Mark = Exclude<Severity, 'info'>;

/** The findings placed on one node or edge. */
export interface Placement {
  /** Worst severity of the critical/warning findings placed here: the broken link. */
  mark?: Mark;
  /** Findings placed here, worst first (info included). */
  findings: Finding[];
}

/** One node of the graph, with the findings placed on it. */
export interface GraphNode extends ModelNode, Placement {}

/** One edge of the graph, with the findings placed on it. */
export interface GraphEdge extends ModelEdge, Placement {}

/** The graph of one domain's chain with every finding placed. */
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
  /** The title of each column, by layer. */
  columns: string[];
}

/** The items by their `id`. */
export function indexById<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}

/** The mark a part gets from `mark` and one more finding of severity `s`: the one whose health is worse. */
export function worseMark(mark: Mark | undefined, s: Severity): Mark | undefined {
  if (s === 'info') return mark;
  if (!mark) return s;
  return compareHealth(severityHealth(s), severityHealth(mark)) < 0 ? s : mark;
}

/** Findings gathered per node or edge id, with the mark they add up to. */
class Placements {
  private readonly byId = new Map<string, Placement>();

  add(id: string, f: Finding): void {
    let p = this.byId.get(id);
    if (!p) this.byId.set(id, (p = { findings: [] }));
    p.findings.push(f);
    const mark = worseMark(p.mark, f.severity);
    if (mark) p.mark = mark;
  }

  /** `part` with its placement; without a mark key when nothing marks it. */
  on<T extends { id: string }>(part: T): T & Placement {
    const p = this.byId.get(part.id);
    return p?.mark ? { ...part, mark: p.mark, findings: p.findings } : { ...part, findings: p?.findings ?? [] };
  }
}

/**
 * Places every finding on the node or edge its `link` names. A link to an id that is not drawn lands on
 * the drawn nodes that stand for it (an Ingress on its routes, the endpoints and Pods of a collapsed
 * Service on its counts node); an edge finding whose edge is not drawn marks the edge's target instead.
 */
export function placeFindings(model: GraphModel, findings: readonly Finding[]): ChainGraph {
  const drawn = new Set(model.nodes.map((n) => n.id));
  const edgeIds = new Set(model.edges.map((e) => e.id));
  const resolve = (id: string): readonly string[] => (drawn.has(id) ? [id] : (model.aliases.get(id) ?? []));
  const onNodes = new Placements();
  const onEdges = new Placements();
  const unplaced: Finding[] = [];
  for (const f of findings) {
    if (f.link.type === 'node') {
      const targets = resolve(f.link.id);
      if (!targets.length) unplaced.push(f);
      for (const t of targets) onNodes.add(t, f);
      // A finding of the certificate about one object of its request chain also marks that step.
      const step = acmeStepOf(model, f);
      if (step && !targets.includes(step)) onNodes.add(step, f);
      continue;
    }
    const froms = resolve(f.link.from);
    const tos = resolve(f.link.to);
    let placed = false;
    for (const a of froms) {
      for (const b of tos) {
        const id = edgeId(a, b);
        if (!edgeIds.has(id)) continue;
        onEdges.add(id, f);
        placed = true;
      }
    }
    // An edge finding whose edge is not drawn (e.g. inside a collapsed group) still marks its target.
    const fallback = placed ? undefined : (tos[0] ?? froms[0]);
    if (fallback) onNodes.add(fallback, f);
    else if (!placed) unplaced.push(f);
  }
  return {
    host: model.host,
    nodes: model.nodes.map((n) => onNodes.on(n)),
    edges: model.edges.map((e) => onEdges.on(e)),
    unplaced,
    collapsed: model.collapsed,
    collapsible: model.collapsible,
    columns: model.columns,
  };
}

/**
 * The ACME step node a finding is about: one whose object is that step's (a Challenge, an Order, a
 * CertificateRequest), or the Certificate step for its Issuer. Undefined for anything else.
 */
function acmeStepOf(model: GraphModel, f: Finding): string | undefined {
  if (f.link.type !== 'node' || !f.link.id.startsWith('TLS/')) return undefined;
  const issuer = f.object.kind === 'Issuer' || f.object.kind === 'ClusterIssuer';
  for (const n of model.nodes) {
    if (n.data.kind !== 'acme') continue;
    const st = n.data.step;
    if (issuer ? st.kind === 'Certificate' : st.kind === f.object.kind && st.name === f.object.name) return n.id;
  }
  return undefined;
}

/**
 * The node a focus id or finding link id is shown on: itself when drawn, the routes of an `Ingress/<name>`,
 * or the counts node of a collapsed Service for one of its endpoints or Pods.
 */
export function resolveNodeId(graph: ChainGraph, id: string): string | undefined {
  if (graph.nodes.some((n) => n.id === id)) return id;
  // A group node id of a Service that is drawn expanded now stands, like the Service's own group id, for its endpoints.
  const parsed = parseNodeId(id.replace(/^(Service\/[^/]+\/endpoints)\/.+$/, '$1'));
  if (parsed?.type === 'Ingress') {
    return graph.nodes.find((n) => n.data.kind === 'route' && n.data.route.ingress === parsed.name)?.id;
  }
  for (const n of graph.nodes) {
    if (n.data.kind !== 'endpoint-group') continue;
    if (n.data.endpoints.some((e) => e.id === id || e.pod?.id === id)) return n.id;
  }
  if (parsed?.type === 'EndpointGroup') {
    // The id for all of a collapsed Service's endpoints: its first (worst) group node.
    const sid = nodeId.service(parsed.service);
    const first = graph.nodes.find((n) => n.data.kind === 'endpoint-group' && n.data.service.id === sid);
    if (first) return first.id;
  }
  if (parsed?.type === 'EndpointGroup') {
    // The counts node of a Service that is expanded now: show the Service itself.
    const sid = nodeId.service(parsed.service);
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
