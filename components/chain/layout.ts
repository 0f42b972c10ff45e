/**
 * The last step of the chain diagram: geometry only. d3-hierarchy places the nodes of each column,
 * d3-shape draws the edge paths; the result is boxes, paths and the drawing's size, keyed by the graph's
 * stable ids, which ChainDiagram renders as SVG. Nothing here knows React or the DOM, and nothing here
 * decides what is drawn (model.ts) or what is broken (lookup.ts).
 *
 * @see https://d3js.org/d3-hierarchy/tree
 * @see https://d3js.org/d3-shape/link
 */
import { hierarchy, tree } from 'd3-hierarchy';
import { linkHorizontal, linkVertical } from 'd3-shape';
import { HOST_LINE_MAX, wrapHost } from './labels';
import { indexById, type ChainGraph, type GraphEdge, type GraphNode } from './lookup';

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

/** The extra height of the domain node per line its wrapped host takes beyond the first. */
export const HOST_LINE_HEIGHT = 15;

/** The diagram's sizes; the gaps between columns are wide enough for the broken-link marker to sit on the edge between two nodes. */
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
  /** Titles of bands below the chain (the certificate's request chain), at their left x and baseline y. */
  bands: { title: string; x: number; y: number }[];
}

/** The room above the certificate's request-chain band for its title. */
export const BAND_TITLE_HEIGHT = 22;

type TreeDatum = { node: GraphNode; children: TreeDatum[] };

/**
 * Lays the graph out left to right: each node's column is its layer; d3-hierarchy's tree layout gives
 * the rows, so siblings never overlap and each parent sits centred on its children. TLS and DNS are
 * stacked below and above the domain in the first column. Deterministic: the same graph gives the same
 * coordinates, so a refresh with unchanged data moves nothing.
 */
export function layoutGraph(graph: ChainGraph, dims: LayoutDims = DEFAULT_DIMS): ChainLayout {
  const byId = indexById(graph.nodes);
  const rowPitch = dims.nodeHeight + dims.rowGap;
  const colPitch = dims.nodeWidth + dims.columnGap;

  // The spanning tree of the chain edges (first parent wins); attach edges are placed by hand below.
  const childrenOf = new Map<string, string[]>();
  const hasParent = new Set<string>();
  for (const e of graph.edges) {
    if (e.kind === 'attach' || e.kind === 'step' || hasParent.has(e.to)) continue;
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
  // The domain sits level with its first route, not centred on all its children: on a domain with many
  // routes the centre is screens down, and the domain is what the reader looks for first.
  const firstChild = h.children?.[0];
  const rootRow = firstChild?.x ?? rowOf.get(root.id) ?? 0;
  rowOf.set(root.id, rootRow);
  // The domain node grows to print its whole host; TLS goes below that.
  const rootHeight = dims.nodeHeight + (wrapHost(graph.host, HOST_LINE_MAX).length - 1) * HOST_LINE_HEIGHT;
  const heightOf = (n: GraphNode) => (n.id === root.id ? rootHeight : dims.nodeHeight);
  // DNS above, TLS below the domain and Traefik's routers below TLS: the first column holds only these.
  // With a certificate request chain TLS goes last, so the chain hangs straight below it.
  const below = rootHeight + dims.rowGap;
  const acme = graph.nodes.filter((n) => n.kind === 'acme');
  const hasTraefik = graph.nodes.some((n) => n.kind === 'traefik');
  const attachedRow = acme.length && hasTraefik ? ({ dns: -rowPitch, traefik: below, tls: below + rowPitch } as const) : ({ dns: -rowPitch, tls: below, traefik: below + rowPitch } as const);
  for (const n of graph.nodes) if (n.kind === 'dns' || n.kind === 'tls' || n.kind === 'traefik') rowOf.set(n.id, rootRow + attachedRow[n.kind]);

  // The certificate's request chain: a band below everything else, one column per step, the Challenges
  // of the Order stacked in theirs.
  let band: { title: string; row: number } | undefined;
  if (acme.length) {
    const lowest = Math.max(...[...rowOf.entries()].map(([id, row]) => row + heightOf(byId.get(id) as GraphNode)));
    const row = lowest + dims.rowGap + BAND_TITLE_HEIGHT;
    band = { title: 'Certificate request chain (cert-manager)', row: row - 6 };
    const used = new Map<number, number>();
    for (const n of acme) {
      const k = used.get(n.layer) ?? 0;
      used.set(n.layer, k + 1);
      rowOf.set(n.id, row + k * rowPitch);
    }
  }

  const rows = [...rowOf.values()];
  const minRow = Math.min(...rows);
  const bottom = Math.max(...[...rowOf.entries()].map(([id, row]) => row + heightOf(byId.get(id) as GraphNode)));
  const top = dims.padding + dims.headerHeight;
  const xOf = (layer: number) => dims.padding + layer * colPitch;

  const nodes: PlacedNode[] = graph.nodes
    .filter((n) => rowOf.has(n.id))
    .map((n) => ({
      ...n,
      x: xOf(n.layer),
      y: top + ((rowOf.get(n.id) as number) - minRow),
      width: dims.nodeWidth,
      height: heightOf(n),
    }));
  const placed = indexById(nodes);

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
    if (e.kind === 'step' && a.layer === b.layer) {
      // Two Challenges of one Order share a column: no edge between them is drawn (they hang off the Order).
      continue;
    }
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
  // The chain's columns are titled as far as the chain goes; the band below is titled on its own.
  const chainLayer = Math.max(...nodes.filter((n) => n.kind !== 'acme').map((n) => n.layer));
  const columns = graph.columns.slice(0, chainLayer + 1).map((title, layer) => ({ layer, title, x: xOf(layer) }));
  return {
    width: xOf(maxLayer) + dims.nodeWidth + dims.padding,
    height: top + (bottom - minRow) + dims.padding,
    nodes,
    edges,
    columns,
    bands: band ? [{ title: band.title, x: xOf(0), y: top + (band.row - minRow) }] : [],
  };
}
