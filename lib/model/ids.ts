/**
 * Stable node ids of the chain diagram, in the form documented on `ChainLink` in lib/model/chain.ts.
 * Every id and every finding link is built here, so the diagram, the CLI and the findings agree.
 */
import type { ChainLink } from './chain';

/** Node ids, one builder per node type. */
export const nodeId = {
  domain: (host: string) => `Domain/${host}`,
  tls: (host: string) => `TLS/${host}`,
  dns: (host: string) => `DNS/${host}`,
  /** `ruleIndex`/`pathIndex` are the positions in `spec.rules[].http.paths[]`; the default backend is `default`. */
  route: (ingress: string, ruleIndex: number | 'default', pathIndex?: number) =>
    ruleIndex === 'default' ? `Route/${ingress}/default` : `Route/${ingress}/${ruleIndex}/${pathIndex ?? 0}`,
  ingress: (name: string) => `Ingress/${name}`,
  service: (name: string) => `Service/${name}`,
  /** Keyed by the first address: an endpoint's addresses are fungible and in practice one. */
  endpoint: (slice: string, address: string) => `Endpoint/${slice}/${address}`,
  pod: (name: string) => `Pod/${name}`,
  /** Not a diagram node: the anchor of namespace-level findings (data gaps, Ingresses without rules). */
  namespace: (name: string) => `Namespace/${name}`,
} as const;

/** A link to one node. */
export const nodeLink = (id: string): ChainLink => ({ type: 'node', id });

/** A link to the edge between two nodes, e.g. route -> Service when the backend does not resolve. */
export const edgeLink = (from: string, to: string): ChainLink => ({ type: 'edge', from, to });

/** The node ids a link touches (one for a node, two for an edge). */
export function linkIds(link: ChainLink): string[] {
  return link.type === 'node' ? [link.id] : [link.from, link.to];
}

/** A stable string key of a link, for sorting and de-duplication. */
export function linkKey(link: ChainLink): string {
  return link.type === 'node' ? link.id : `${link.from}->${link.to}`;
}
