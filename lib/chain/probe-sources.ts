/**
 * What the probes are given: every route object of a set of namespaces in the Ingress shape
 * `probeTargets` (lib/probe) reads. Ingresses as they are; IngressRoutes and HTTPRoutes as views marked
 * with their kind (route-kind.ts), so one `routeKind: probeRouteKind` names each HTTP check's route.
 * The server's live source and the CLI both build their targets from this.
 */
import type { SlimGateway, SlimHTTPRoute, SlimIngress, SlimTraefikIngressRoute } from '../model/k8s';
import { httpRouteProbeViews } from './steps/httproutes';
import { ingressRouteProbeViews } from './steps/ingressroutes';

export interface RouteObjects {
  ingresses: readonly SlimIngress[];
  ingressRoutes?: readonly SlimTraefikIngressRoute[];
  httpRoutes?: readonly SlimHTTPRoute[];
  /** The Gateways HTTPRoutes may attach to (any namespace): their address is where the routes are dialled. */
  gateways?: readonly SlimGateway[];
}

export function routeProbeSources(o: RouteObjects): SlimIngress[] {
  return [...o.ingresses, ...ingressRouteProbeViews(o.ingressRoutes ?? []), ...httpRouteProbeViews(o.httpRoutes ?? [], o.gateways ?? [])];
}
