/**
 * components/chain: the chain diagram of one domain, as a pipeline of small pure steps (Headlamp's graph:
 * model -> lookup -> layout) that ChainDiagram renders:
 *   model.ts   the DomainChain as graph nodes and edges, plain data keyed by the lib/model/ids.ts ids
 *   lookup.ts  the findings placed on the nodes and edges they name, their marks, the lookups by id
 *   layout.ts  the geometry: boxes and edge paths (d3-hierarchy, d3-shape)
 *   labels.ts  the words: node text, shortened names, accessible names
 * This file is what the pages import; ChainDiagram (chain-diagram.tsx) and navigation.ts stay separate
 * modules so that the pure steps load without React.
 */
import type { DomainChain } from '../../lib/model/chain';
import { placeFindings, type ChainGraph } from './lookup';
import { buildModel, type GraphOptions } from './model';

export { groupId, type GraphEdgeKind, type GraphNodeData, type GraphNodeKind, type GraphOptions } from './model';
export { resolveNodeId, serviceContaining, type ChainGraph, type GraphEdge, type GraphNode } from './lookup';
export { DEFAULT_DIMS, layoutGraph, type ChainLayout, type LayoutDims, type PlacedEdge, type PlacedNode } from './layout';

/**
 * The graph of a domain's chain with every finding placed on the node or edge its `link` names. A Service
 * with more endpoints than `collapseAbove` collapses to one counts node unless its id is in `expanded`.
 */
export function buildGraph(domain: DomainChain, options: GraphOptions = {}): ChainGraph {
  return placeFindings(buildModel(domain, options), domain.findings);
}
