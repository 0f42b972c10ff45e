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
  /** Traefik's routers of a domain. */
  traefik: (host: string) => `Traefik/${host}`,
  /** `ruleIndex`/`pathIndex` are the positions in `spec.rules[].http.paths[]`; the default backend is `default`. */
  route: (ingress: string, ruleIndex: number | 'default', pathIndex?: number) =>
    ruleIndex === 'default' ? `Route/${ingress}/default` : `Route/${ingress}/${ruleIndex}/${pathIndex ?? 0}`,
  ingress: (name: string) => `Ingress/${name}`,
  service: (name: string) => `Service/${name}`,
  /** Keyed by the first address: an endpoint's addresses are fungible and in practice one. */
  endpoint: (slice: string, address: string) => `Endpoint/${slice}/${address}`,
  pod: (name: string) => `Pod/${name}`,
  /**
   * A Gateway API Gateway an HTTPRoute attaches to (`Gateway/<namespace>/<name>`), or one listener of it
   * (`Gateway/<namespace>/<name>/<listener>`): Gateways live outside the route's namespace, so the id names it.
   */
  gateway: (namespace: string, name: string, listener?: string) => `Gateway/${namespace}/${name}${listener ? `/${listener}` : ''}`,
  /**
   * One step of cert-manager's request chain behind a domain's certificate
   * (`ACME/<host>/<Kind>/<name>`: Certificate, CertificateRequest, Order or Challenge).
   */
  acmeStep: (host: string, kind: string, name: string) => `ACME/${host}/${kind}/${name}`,
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

/**
 * The id of the diagram node that stands for a collapsed Service's endpoints (`Service/<name>/endpoints`).
 * Not a Kubernetes object: no finding links to it, but `?focus=` may name it.
 * @param serviceId a {@link nodeId}.service id
 */
export const endpointGroupId = (serviceId: string) => `${serviceId}/endpoints`;

/**
 * A node id taken apart: its type (the prefix {@link nodeId} writes) and the names it is built from.
 * `EndpointGroup` is {@link endpointGroupId}; `rule` is `default` for an Ingress default backend, which
 * has no `path`.
 */
export type ParsedNodeId =
  | { type: 'Domain' | 'TLS' | 'DNS' | 'Traefik'; host: string }
  | { type: 'Route'; ingress: string; rule: number | 'default'; path?: number }
  | { type: 'Ingress' | 'Service' | 'Pod' | 'Namespace'; name: string }
  | { type: 'EndpointGroup'; service: string }
  | { type: 'Gateway'; namespace: string; name: string; listener?: string }
  | { type: 'ACME'; host: string; kind: string; name: string }
  | { type: 'Endpoint'; slice: string; address: string };

/** The type of a node id, e.g. `Service` for `Service/checkout`. */
export type NodeType = ParsedNodeId['type'];

const position = (s: string) => (/^\d+$/.test(s) ? Number(s) : undefined);

/**
 * Parses an id built by {@link nodeId} or {@link endpointGroupId}; `undefined` for any other string. The
 * names inside an id never hold a `/` (DNS names, IP addresses, Kubernetes object names), so the parts are
 * the `/`-separated segments.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
 */
export function parseNodeId(id: string): ParsedNodeId | undefined {
  const [type, ...parts] = id.split('/');
  if (parts.length === 0 || parts.some((p) => p === '')) return undefined;
  const [a = '', b, c] = parts;
  const count = parts.length;
  switch (type) {
    case 'Domain':
    case 'TLS':
    case 'DNS':
    case 'Traefik':
      return count === 1 ? { type, host: a } : undefined;
    case 'Ingress':
    case 'Pod':
    case 'Namespace':
      return count === 1 ? { type, name: a } : undefined;
    case 'Service':
      if (count === 1) return { type, name: a };
      return count === 2 && b === 'endpoints' ? { type: 'EndpointGroup', service: a } : undefined;
    case 'Endpoint':
      return count === 2 && b !== undefined ? { type, slice: a, address: b } : undefined;
    case 'Gateway':
      if (count === 2) return { type, namespace: a, name: b! };
      return count === 3 && c !== undefined ? { type, namespace: a, name: b!, listener: c } : undefined;
    case 'ACME':
      return count === 3 && b !== undefined && c !== undefined ? { type, host: a, kind: b, name: c } : undefined;
    case 'Route': {
      if (count === 2 && b === 'default') return { type, ingress: a, rule: 'default' };
      const rule = position(b ?? '');
      const path = position(c ?? '');
      return count === 3 && rule !== undefined && path !== undefined ? { type, ingress: a, rule, path } : undefined;
    }
    default:
      return undefined;
  }
}
