/**
 * Which kind of object a route comes from. Route kinds other than Ingress are adapted into the Ingress
 * shape the shared steps read (see steps/ingressroutes.ts and steps/httproutes.ts); this module remembers
 * which objects are such views, so that messages, hints and finding objects name the real kind, never
 * "Ingress" for another.
 */
import type { SlimHTTPRoute, SlimIngress, SlimTraefikIngressRoute } from '../model/k8s';

/** A route kind Chainboard reads. */
export type RouteKind = 'Ingress' | 'IngressRoute' | 'HTTPRoute';

const views = new WeakMap<SlimIngress, SlimTraefikIngressRoute>();
const httpRouteViews = new WeakMap<SlimIngress, SlimHTTPRoute>();

/** Remember that an Ingress-shaped object is the view of an IngressRoute. */
export function markIngressRouteView(view: SlimIngress, source: SlimTraefikIngressRoute): void {
  views.set(view, source);
}

/** Remember that an Ingress-shaped object is the view of a Gateway API HTTPRoute. */
export function markHTTPRouteView(view: SlimIngress, source: SlimHTTPRoute): void {
  httpRouteViews.set(view, source);
}

/** The IngressRoute an Ingress-shaped object is the view of; `undefined` for a real Ingress. */
export const ingressRouteOf = (ing: SlimIngress): SlimTraefikIngressRoute | undefined => views.get(ing);

/** The HTTPRoute an Ingress-shaped object is the view of; `undefined` for a real Ingress. */
export const httpRouteOf = (ing: SlimIngress): SlimHTTPRoute | undefined => httpRouteViews.get(ing);

export const routeKindOf = (ing: SlimIngress): RouteKind => (views.has(ing) ? 'IngressRoute' : httpRouteViews.has(ing) ? 'HTTPRoute' : 'Ingress');

/** `Ingress shop`, `IngressRoute shop` or `HTTPRoute shop`: how messages name the object a route comes from. */
export const routeObjectName = (ing: SlimIngress): string => `${routeKindOf(ing)} ${ing.metadata.name}`;

/** The resource name kubectl takes for the kind (`ingress`, `ingressroutes.traefik.io`, `httproutes.gateway.networking.k8s.io`). */
export const kubectlResource = (kind: RouteKind): string =>
  kind === 'IngressRoute' ? 'ingressroutes.traefik.io' : kind === 'HTTPRoute' ? 'httproutes.gateway.networking.k8s.io' : 'ingress';

/** The route kind as an HTTP check names it: absent for an Ingress (lib/probe's `routeKind` option). */
export const probeRouteKind = (ing: SlimIngress): 'IngressRoute' | 'HTTPRoute' | undefined => {
  const kind = routeKindOf(ing);
  return kind === 'Ingress' ? undefined : kind;
};
