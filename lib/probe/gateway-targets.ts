/**
 * What an HTTPRoute gives the probes: its hostnames and paths, and its parent Gateway's address, in the
 * Ingress shape `probeTargets` reads, so HTTPRoute domains are probed like Ingress ones (certificate,
 * DNS, HTTP). Wildcard hostnames name no one host and are left out, as for Ingresses.
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
import { gatewayLoadBalancer } from '../model/gateway';
import type { SlimGateway, SlimHTTPRoute, SlimIngress } from '../model/k8s';

/** Each HTTPRoute as an Ingress-shaped probe source: one rule per hostname with the route's paths. */
export function httpRouteProbeSources(routes: readonly SlimHTTPRoute[], gateways: readonly SlimGateway[]): SlimIngress[] {
  const byKey = new Map(gateways.map((g) => [`${g.metadata.namespace ?? ''}/${g.metadata.name}`, g]));
  const out: SlimIngress[] = [];
  for (const r of routes) {
    const ns = r.metadata.namespace ?? '';
    const hosts = (r.spec?.hostnames ?? []).filter((h) => !h.includes('*'));
    if (hosts.length === 0) continue;
    const gateway = (r.spec?.parentRefs ?? []).map((p) => byKey.get(`${p.namespace ?? ns}/${p.name ?? ''}`)).find((g) => g !== undefined);
    const lb = gatewayLoadBalancer(gateway);
    const paths = (r.spec?.rules ?? []).flatMap((rule) => (rule.matches?.length ? rule.matches : [{}]).map((m) => m.path?.value || '/'));
    const ing: SlimIngress = {
      metadata: r.metadata,
      spec: { rules: hosts.map((host) => ({ host, http: { paths: [...new Set(paths)].map((path) => ({ path, pathType: 'Prefix', backend: {} })) } })) },
    };
    if (lb.length > 0) ing.status = { loadBalancer: { ingress: lb } };
    out.push(ing);
  }
  return out;
}
