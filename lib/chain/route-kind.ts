/**
 * Which kind of object a route comes from. Route kinds other than Ingress are adapted into the Ingress
 * shape the shared steps read (see steps/ingressroutes.ts); this module remembers which objects are such
 * views, so that messages, hints and finding objects name the real kind, never "Ingress" for another.
 */
import type { SlimIngress, SlimTraefikIngressRoute } from '../model/k8s';

/** A route kind Chainboard reads. */
export type RouteKind = 'Ingress' | 'IngressRoute';

const views = new WeakMap<SlimIngress, SlimTraefikIngressRoute>();

/** Remember that an Ingress-shaped object is the view of an IngressRoute. */
export function markIngressRouteView(view: SlimIngress, source: SlimTraefikIngressRoute): void {
  views.set(view, source);
}

/** The IngressRoute an Ingress-shaped object is the view of; `undefined` for a real Ingress. */
export const ingressRouteOf = (ing: SlimIngress): SlimTraefikIngressRoute | undefined => views.get(ing);

export const routeKindOf = (ing: SlimIngress): RouteKind => (views.has(ing) ? 'IngressRoute' : 'Ingress');

/** `Ingress shop` or `IngressRoute shop`: how messages name the object a route comes from. */
export const routeObjectName = (ing: SlimIngress): string => `${routeKindOf(ing)} ${ing.metadata.name}`;

/** The resource name kubectl takes for the kind (`ingress`, `ingressroute`). */
export const kubectlResource = (kind: RouteKind): string => (kind === 'IngressRoute' ? 'ingressroutes.traefik.io' : 'ingress');

/** The route kind as an HTTP check names it: absent for an Ingress (lib/probe's `routeKind` option). */
export const probeRouteKind = (ing: SlimIngress): 'IngressRoute' | undefined => (views.has(ing) ? 'IngressRoute' : undefined);
