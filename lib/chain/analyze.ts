/**
 * The analysis, as a pipeline of small steps (lib/chain/steps), per namespace: index the namespace
 * (context.ts), draft its routes (routes), resolve their backends (backends), build the Service ports
 * with their endpoints and Pods (endpoints, pods), assemble certificate and DNS (tls-dns), run the rule
 * catalogue (findings), roll up health (health); each domain goes through them in `domain`. `combine`
 * then merges the namespaces: a host claimed from several namespaces is one domain (merge). Pure: no
 * I/O, no clock.
 */
import type { AnalysisResult, DomainChain, NamespaceSummary } from '../model/chain';
import { sortFindings } from '../model/health';
import { nodeId, nodeLink } from '../model/ids';
import type { Snapshot } from '../model/snapshot';
import { buildNsContext, eventNamespace } from './context';
import { resolveOptions, type AnalyzeOptions } from './options';
import { analyzeDomain, type NamespaceSteps } from './steps/domain';
import { ServiceChains } from './steps/endpoints';
import { indexEvents, latestEvents } from './steps/events';
import { gapFindings, ingressFindings, ingressRouteFindings } from './steps/findings';
import { compareDomains, summarize } from './steps/health';
import { mergeDomains } from './steps/merge';
import { draftRoutes } from './steps/routes';

export { compareDomains };

/** One namespace's share of the analysis; `combine` merges them. */
export interface NamespaceAnalysis {
  namespace: string;
  /** The domains served from this namespace, as seen from it alone. */
  domains: DomainChain[];
  summary: NamespaceSummary;
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Analyse one namespace. The snapshot may be that namespace's part (from `partitionSnapshot`) or the
 * whole snapshot: objects of other namespaces are ignored either way, since Ingress backends are
 * always same-namespace.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#the-ingress-resource
 */
export function analyzeNamespace(snapshot: Snapshot, namespace: string, options: AnalyzeOptions): NamespaceAnalysis {
  const ctx = buildNsContext(snapshot, namespace, resolveOptions(options));
  const routes = draftRoutes(ctx);
  const ingress = ingressFindings(ctx, routes.ingresses);
  const steps: NamespaceSteps = { ctx, ingressFindings: ingress.byIngress, services: new ServiceChains(ctx), events: indexEvents(ctx.warningEvents) };
  const domains = [...routes.byHost.keys()]
    .sort()
    .map((host) => analyzeDomain(steps, host, routes.byHost.get(host)!))
    .sort(compareDomains);
  const summary = summarize(
    {
      name: namespace,
      domainCount: domains.length,
      hosts: domains.map((d) => d.host).sort(),
      findings: sortFindings([...ingress.namespace, ...ingressRouteFindings(ctx, routes.ingressRoutes), ...gapFindings(ctx, ctx.gaps, nodeLink(nodeId.namespace(namespace)))]),
      unreachableServices: [...ctx.services.keys()].filter((s) => !routes.referenced.has(s)).sort(),
      unhealthyPods: steps.services.pods
        .analysed()
        .map((p) => p.summary)
        .filter((p) => p.health !== 'healthy')
        .sort((a, b) => cmpStr(a.name, b.name)),
      warningEvents: latestEvents(ctx.warningEvents, ctx.opts.maxEvents),
      gaps: ctx.gaps,
    },
    domains,
    ctx.opts,
  );
  return { namespace, domains, summary };
}

/** Does a namespace name match the prefix (`''` matches all)? */
export const matchesPrefix = (ns: string, prefix: string) => ns.startsWith(prefix);

/** Kinds whose objects every namespace's analysis shares, wherever they live. */
const SHARED_GATEWAY_KINDS: ReadonlySet<string> = new Set(['GatewayClass', 'Gateway', 'ReferenceGrant']);

/**
 * Split a snapshot per namespace: each part holds that namespace's objects (events by the namespace of
 * the object they are about), the cluster-scoped lists (Namespaces, IngressClasses), the Traefik
 * Middlewares of every namespace, Traefik's runtime view and probe results as they are, and the gaps of that namespace plus the cluster-wide ones, in their original order.
 * Every namespace that has a Namespace object, an object, or a gap gets a part; with
 * `namespacePrefix` only the matching ones.
 */
export function partitionSnapshot(s: Snapshot, options: { namespacePrefix?: string } = {}): Map<string, Snapshot> {
  const prefix = options.namespacePrefix;
  const parts = new Map<string, Snapshot>();
  const part = (ns: string | undefined): Snapshot | undefined => {
    if (!ns || (prefix !== undefined && !ns.startsWith(prefix))) return undefined;
    let p = parts.get(ns);
    if (!p) {
      p = { namespaces: s.namespaces, ingressClasses: s.ingressClasses, ingresses: [], services: [], endpointSlices: [], pods: [], events: [], gaps: [] };
      if (s.tlsSecrets) p.tlsSecrets = [];
      if (s.certificates) p.certificates = [];
      if (s.certificateRequests) p.certificateRequests = [];
      if (s.orders) p.orders = [];
      if (s.challenges) p.challenges = [];
      if (s.issuers) p.issuers = [];
      // Like the IngressClasses, shared: a Certificate of any namespace may name a ClusterIssuer.
      if (s.clusterIssuers) p.clusterIssuers = s.clusterIssuers;
      if (s.probes) p.probes = s.probes;
      // Like the IngressClasses, shared: an Ingress may name another namespace's Middleware.
      if (s.middlewares) p.middlewares = s.middlewares;
      if (s.ingressRoutes) p.ingressRoutes = [];
      // Shared like the Middlewares: an HTTPRoute attaches to a Gateway of any namespace, and a
      // ReferenceGrant lives in the namespace of what it grants.
      if (s.gatewayClasses) p.gatewayClasses = s.gatewayClasses;
      if (s.gateways) p.gateways = s.gateways;
      if (s.referenceGrants) p.referenceGrants = s.referenceGrants;
      if (s.httpRoutes) p.httpRoutes = [];
      if (s.traefik) p.traefik = s.traefik;
      parts.set(ns, p);
    }
    return p;
  };
  for (const n of s.namespaces) part(n.metadata.name);
  for (const o of s.ingresses) part(o.metadata.namespace)?.ingresses.push(o);
  for (const o of s.services) part(o.metadata.namespace)?.services.push(o);
  for (const o of s.endpointSlices) part(o.metadata.namespace)?.endpointSlices.push(o);
  for (const o of s.pods) part(o.metadata.namespace)?.pods.push(o);
  for (const o of s.events) part(eventNamespace(o))?.events.push(o);
  for (const o of s.tlsSecrets ?? []) part(o.metadata.namespace)?.tlsSecrets?.push(o);
  for (const o of s.certificates ?? []) part(o.metadata.namespace)?.certificates?.push(o);
  for (const o of s.certificateRequests ?? []) part(o.metadata.namespace)?.certificateRequests?.push(o);
  for (const o of s.orders ?? []) part(o.metadata.namespace)?.orders?.push(o);
  for (const o of s.challenges ?? []) part(o.metadata.namespace)?.challenges?.push(o);
  for (const o of s.issuers ?? []) part(o.metadata.namespace)?.issuers?.push(o);
  for (const o of s.ingressRoutes ?? []) part(o.metadata.namespace)?.ingressRoutes?.push(o);
  for (const o of s.httpRoutes ?? []) part(o.metadata.namespace)?.httpRoutes?.push(o);
  for (const g of s.gaps ?? []) if (g.namespace && !SHARED_GATEWAY_KINDS.has(g.kind)) part(g.namespace);
  for (const g of s.gaps ?? []) {
    // Gateways and ReferenceGrants of any namespace serve every namespace's HTTPRoutes: their gaps too.
    if (g.namespace && !SHARED_GATEWAY_KINDS.has(g.kind)) parts.get(g.namespace)?.gaps!.push(g);
    else for (const p of parts.values()) p.gaps!.push(g);
  }
  return parts;
}

/**
 * Merge per-namespace analyses into the result: namespaces not matching the prefix are dropped, a host
 * claimed from several namespaces becomes one domain (with cross-namespace `ingress.route-conflict`
 * findings), the summaries of those namespaces are re-rolled, and everything is sorted. Cheap: the
 * work is in `analyzeNamespace`, so the live cache re-analyses only the namespace that changed.
 */
export function combine(parts: NamespaceAnalysis[], options: AnalyzeOptions): AnalysisResult {
  const opts = resolveOptions(options);
  const byNs = new Map<string, NamespaceAnalysis>();
  for (const p of parts) if (matchesPrefix(p.namespace, opts.namespacePrefix)) byNs.set(p.namespace, p);
  const sorted = [...byNs.values()].sort((a, b) => cmpStr(a.namespace, b.namespace));

  const byHost = new Map<string, DomainChain[]>();
  for (const p of sorted) {
    for (const d of p.domains) {
      const l = byHost.get(d.host);
      if (l) l.push(d);
      else byHost.set(d.host, [d]);
    }
  }
  const domains: DomainChain[] = [];
  // The namespaces of merged domains, with every domain they serve: their summaries are re-rolled.
  const touched = new Map<string, DomainChain[]>();
  for (const list of byHost.values()) {
    if (list.length === 1) {
      domains.push(list[0]!);
      continue;
    }
    const merged = mergeDomains(list, opts);
    domains.push(merged);
    for (const ns of merged.namespaces) touched.set(ns, []);
  }
  domains.sort(compareDomains);
  if (touched.size > 0) for (const d of domains) for (const ns of d.namespaces) touched.get(ns)?.push(d);

  const namespaces = sorted.map((p) => {
    const own = touched.get(p.namespace);
    return own ? summarize(p.summary, own, opts) : p.summary;
  });
  return { namespacePrefix: opts.namespacePrefix, analyzedAt: opts.now.toISOString(), domains, namespaces };
}

/**
 * Analyse a snapshot: every namespace matching the prefix that has a Namespace object, any object or a
 * gap (dumps of `kubectl get ... -A` often lack the Namespace objects). Equal by construction to
 * `combine` over `analyzeNamespace` of each part of `partitionSnapshot`.
 */
export function analyze(snapshot: Snapshot, options: AnalyzeOptions): AnalysisResult {
  const parts = partitionSnapshot(snapshot, { namespacePrefix: resolveOptions(options).namespacePrefix });
  return combine(
    [...parts].map(([ns, part]) => analyzeNamespace(part, ns, options)),
    options,
  );
}
