/**
 * Routes, the first step: every Ingress rule path (and default backend) of a namespace as a route draft,
 * grouped by host, with what it claims; and the claims two routes conflict over, within a namespace and
 * across the namespaces serving one host.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#the-ingress-resource
 */
import type { DomainChain, RouteNode } from '../../model/chain';
import { nodeId } from '../../model/ids';
import type { IngressBackend, SlimIngress } from '../../model/k8s';
import type { NsContext } from '../context';
import { normalizeHost } from '../hosts';
import { claimKey, resolveClass, type IngressSubject, type RouteClaim } from '../rules/ingress';
import type { IngressRouteSubject } from '../rules/traefik';
import { draftIngressRoutes } from './ingressroutes';
import { draftHTTPRoutes, type GatewayRouteInfo } from './httproutes';

/**
 * A route before its Service is resolved: what the Ingress says. An IngressRoute's route is one too, with
 * its Ingress-shaped view as `ingress` (see ingressroutes.ts; `routeKindOf` tells them apart).
 */
export interface RouteDraft {
  ingress: SlimIngress;
  /** An IngressRoute route's own Middlewares (an Ingress names them in an annotation instead). */
  middlewares?: string[];
  /** An IngressRoute route's rule as written. */
  match?: string;
  /** An HTTPRoute draft's parent, listeners, backendRef and the controller's status, for the gateway rules. */
  gateway?: GatewayRouteInfo;
  claim: RouteClaim;
  backend?: IngressBackend;
  isDefaultBackend: boolean;
  /** A rule with a host and no `http.paths`, on an Ingress without a default backend. */
  noPaths: boolean;
}

export interface NamespaceRoutes {
  /** Every Ingress of the namespace (by name) with its class. */
  ingresses: IngressSubject[];
  /** The drafts of each host, in Ingress order, then rule and path order. */
  byHost: Map<string, RouteDraft[]>;
  /** The Services some route names. */
  referenced: Set<string>;
  /** Every IngressRoute of the namespace, for the rules about the object itself. */
  ingressRoutes: IngressRouteSubject[];
}

type DraftInput = Pick<RouteDraft, 'backend' | 'isDefaultBackend' | 'noPaths'> & Pick<RouteClaim, 'host' | 'path' | 'pathType'> & { id: string };

/**
 * The routes of a namespace. A rule without a host is the host `*`; a host rule without paths sends the
 * host to the default backend, if there is one; the default backend itself is a route of `*`.
 */
export function draftRoutes(ctx: NsContext): NamespaceRoutes {
  const ingresses: IngressSubject[] = [];
  const byHost = new Map<string, RouteDraft[]>();
  const referenced = new Set<string>();
  for (const ing of ctx.ingresses) {
    const name = ing.metadata.name;
    const cls = resolveClass(ing, ctx);
    ingresses.push({ ingress: ing, cls });
    const add = (draft: DraftInput) => {
      const claim: RouteClaim = { namespace: ctx.ns, ingress: name, routeId: draft.id, host: draft.host, path: draft.path, pathType: draft.pathType };
      if (cls.name) claim.ingressClass = cls.name;
      const svcName = draft.backend?.service?.name;
      if (svcName) referenced.add(svcName);
      const list = byHost.get(draft.host);
      const d: RouteDraft = { ingress: ing, claim, backend: draft.backend, isDefaultBackend: draft.isDefaultBackend, noPaths: draft.noPaths };
      if (list) list.push(d);
      else byHost.set(draft.host, [d]);
    };
    const def = ing.spec?.defaultBackend;
    (ing.spec?.rules ?? []).forEach((rule, ri) => {
      const host = rule.host ? normalizeHost(rule.host) : '*';
      const paths = rule.http?.paths ?? [];
      if (paths.length === 0) {
        add({ id: nodeId.route(name, ri, 0), host, path: '*', pathType: '', backend: def, isDefaultBackend: !!def, noPaths: !def });
        return;
      }
      paths.forEach((p, pi) =>
        add({
          id: nodeId.route(name, ri, pi),
          host,
          path: p.path || '/',
          pathType: p.pathType ?? 'ImplementationSpecific',
          backend: p.backend,
          isDefaultBackend: false,
          noPaths: false,
        }),
      );
    });
    if (def) add({ id: nodeId.route(name, 'default'), host: '*', path: '*', pathType: '', backend: def, isDefaultBackend: true, noPaths: false });
  }
  const irs = draftIngressRoutes(ctx);
  for (const d of irs.drafts) {
    const claim: RouteClaim = { namespace: ctx.ns, ingress: d.view.metadata.name, routeId: d.id, host: d.host, path: d.path, pathType: d.pathType, kind: 'IngressRoute' };
    const svcName = d.backend?.service?.name;
    if (svcName) referenced.add(svcName);
    const draft: RouteDraft = { ingress: d.view, claim, backend: d.backend, isDefaultBackend: false, noPaths: false, middlewares: d.middlewares, match: d.match };
    const list = byHost.get(d.host);
    if (list) list.push(draft);
    else byHost.set(d.host, [draft]);
  }
  for (const d of draftHTTPRoutes(ctx)) {
    const claim: RouteClaim = { namespace: ctx.ns, ingress: d.view.metadata.name, routeId: d.id, host: d.host, path: d.path, pathType: d.pathType, kind: 'HTTPRoute' };
    const svcName = d.backend?.service?.name;
    if (svcName) referenced.add(svcName);
    const draft: RouteDraft = { ingress: d.view, claim, backend: d.backend, isDefaultBackend: false, noPaths: false, gateway: d.gateway };
    const list = byHost.get(d.host);
    if (list) list.push(draft);
    else byHost.set(d.host, [draft]);
  }
  return { ingresses, byHost, referenced, ingressRoutes: irs.subjects };
}

/** Items grouped by what they claim (class, host, path, pathType), groups in order of first claim. */
function byClaim<T>(items: readonly T[], claimOf: (x: T) => RouteClaim): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const x of items) {
    const k = claimKey(claimOf(x));
    const list = groups.get(k);
    if (list) list.push(x);
    else groups.set(k, [x]);
  }
  return groups;
}

/** For each draft of one host (in order), the claims of other Ingresses of the namespace to the same route. */
export function routeRivals(drafts: readonly RouteDraft[]): RouteClaim[][] {
  // Most hosts have one route: it has no rivals, and no grouping is needed to say so.
  if (drafts.length === 1) return [[]];
  const groups = byClaim(drafts, (d) => d.claim);
  return drafts.map((d) => {
    const group = groups.get(claimKey(d.claim))!;
    return group.length > 1 ? group.filter((o) => o.claim.ingress !== d.claim.ingress).map((o) => o.claim) : [];
  });
}

/** A route of a merged domain with the claims of routes in other namespaces to the same route. */
export interface RivalledRoute {
  id: string;
  route: RouteNode;
  claim: RouteClaim;
  rivals: RouteClaim[];
}

/**
 * The routes of one host, served from several namespaces, that routes of another namespace claim too
 * (each namespace saw only its own rivals). In order of first claim, then namespace order.
 */
export function crossNamespaceRivals(host: string, domains: readonly DomainChain[]): RivalledRoute[] {
  const routes: { route: RouteNode; claim: RouteClaim }[] = [];
  for (const d of domains) {
    for (const r of d.routes) {
      const claim: RouteClaim = { namespace: r.namespace, ingress: r.ingress, routeId: r.id, host, path: r.path, pathType: r.pathType };
      if (r.ingressClass) claim.ingressClass = r.ingressClass;
      if (r.kind) claim.kind = r.kind;
      routes.push({ route: r, claim });
    }
  }
  const out: RivalledRoute[] = [];
  for (const group of byClaim(routes, (x) => x.claim).values()) {
    for (const a of group) {
      const rivals = group.filter((b) => b.claim.namespace !== a.claim.namespace).map((b) => b.claim);
      if (rivals.length > 0) out.push({ id: a.route.id, route: a.route, claim: a.claim, rivals });
    }
  }
  return out;
}
