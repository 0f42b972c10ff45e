/**
 * The server's chains by route kind: every domain the run routed through an HTTPRoute is asked of the
 * server, which must answer it as an HTTPRoute chain through the Gateway (not an Ingress, not a chain
 * without routes): the proof that the mixed cluster's Gateway API half is analysed, not skipped.
 */
import type { Bench } from './context';
import { domainPath, gatewayRouted } from './domains';
import type { SeededCluster } from './seed';
import { getJson } from './server';

/** What the server answered for the run's HTTPRoute domains. */
export interface RouteKindFigures {
  /** HTTPRoute domains the run seeded. */
  seeded: number;
  /** Of those, answered as HTTPRoute chains. */
  gatewayRouted: number;
  /** Of those, healthy (the rest carry the seeded breakages). */
  healthy: number;
  /** Ingress domains answered (a sample), and how many of them came back as HTTPRoute chains (none should). */
  ingressSampled: number;
  ingressAsGateway: number;
}

/** Asks the server for every HTTPRoute domain and a sample of Ingress domains, a few requests at a time. */
export async function measureRouteKinds(bench: Bench, base: string, cluster: SeededCluster): Promise<RouteKindFigures> {
  const gateway = cluster.domains.filter((d) => d.route === 'HTTPRoute');
  const ingress = cluster.domains.filter((d) => d.route === 'Ingress').slice(0, 200);
  const figures: RouteKindFigures = { seeded: gateway.length, gatewayRouted: 0, healthy: 0, ingressSampled: ingress.length, ingressAsGateway: 0 };
  const todo = [...gateway.map((d) => ({ d, viaGateway: true })), ...ingress.map((d) => ({ d, viaGateway: false }))];
  const worker = async () => {
    for (let job = todo.pop(); job; job = todo.pop()) {
      const r = await getJson(`${base}${domainPath(cluster, job.d)}`);
      if (r.status !== 200) {
        bench.errors.push(`GET ${domainPath(cluster, job.d)}: HTTP ${r.status}`);
        continue;
      }
      const domain = (JSON.parse(r.text) as { domain: { health: string; routes?: { kind?: string }[] } }).domain;
      if (!job.viaGateway) {
        if (gatewayRouted(domain)) figures.ingressAsGateway++;
        continue;
      }
      if (gatewayRouted(domain)) figures.gatewayRouted++;
      if (gatewayRouted(domain) && domain.health === 'healthy') figures.healthy++;
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  if (figures.gatewayRouted !== figures.seeded) bench.errors.push(`the server answers ${figures.gatewayRouted} of the ${figures.seeded} HTTPRoute domains as HTTPRoute chains`);
  if (figures.ingressAsGateway) bench.errors.push(`${figures.ingressAsGateway} Ingress domains came back as HTTPRoute chains`);
  console.error(`bench: the server answers ${figures.gatewayRouted} of ${figures.seeded} HTTPRoute domains as HTTPRoute chains (${figures.healthy} healthy)`);
  return figures;
}
