/**
 * Traefik, between a domain and its routes: each route matched to the router Traefik's Kubernetes
 * Ingress provider makes of it (by Traefik's own naming), with its entrypoints and Middlewares, judged by
 * the traefik rules; and the `router.middlewares` references of the domain's Ingresses, judged against
 * the Middleware objects (or, when those are not read, against Traefik's runtime).
 */
import type { Finding, RouteNode, TraefikMiddlewareRef, TraefikNotCheckedReason, TraefikRouterState, TraefikState } from '../../model/chain';
import { rollUp } from '../../model/health';
import { nodeId, nodeLink } from '../../model/ids';
import type { SlimIngress } from '../../model/k8s';
import { CRD_PROVIDER, DEFAULT_BACKEND_ROUTER, ingressRouterName, matchesRouterKey, qualifyName, splitTraefikList, type TraefikRouter } from '../../model/traefik';
import type { NsContext } from '../context';
import { hostPatternCovers } from '../hosts';
import {
  resolveMiddlewareRef,
  routerEntryPoints,
  TRAEFIK_MIDDLEWARE_RULES,
  TRAEFIK_MIDDLEWARES,
  TRAEFIK_ROUTER_RULES,
  type MiddlewareVerdict,
  type RouterSubject,
} from '../rules/traefik';
import { runRules } from '../rules/types';
import { runtimeIndex, type RuntimeIndex } from './traefik-index';
import { TRAEFIK_CERT_RESOLVER, TRAEFIK_ROUTER_TLS } from './tls-dns';
import type { RouteDraft } from './routes';
import { ingressRouteOf, routeKindOf } from '../route-kind';

/** The controller an IngressClass names when Traefik serves it. */
export const TRAEFIK_CONTROLLER = 'traefik.io/ingress-controller';

/** A route of the domain with what the chain knows of it. */
export interface TraefikRoute {
  draft: RouteDraft;
  node: RouteNode;
}

/** Why an Ingress asks for HTTPS on a host, in the words of its spec and annotations. */
export function tlsReasons(ingress: SlimIngress, host: string): string[] {
  const ann = ingress.metadata.annotations ?? {};
  const out: string[] = [];
  if (host !== '*' && (ingress.spec?.tls ?? []).some((t) => !t.hosts?.length || t.hosts.some((p) => hostPatternCovers(p, host)))) out.push('spec.tls');
  if (ann[TRAEFIK_ROUTER_TLS] === 'true') out.push('router.tls');
  if (ann[TRAEFIK_CERT_RESOLVER]) out.push(`router.tls.certresolver: ${ann[TRAEFIK_CERT_RESOLVER]}`);
  return out;
}

/**
 * Is the route Traefik's to serve? Only when its class is unknown, unreadable or names Traefik's
 * controller: a route of another controller's class has no Traefik router by design.
 */
function traefiksRoute(ctx: NsContext, route: RouteNode): boolean {
  if (!route.ingressClass || !ctx.ingressClasses) return true;
  const cls = ctx.ingressClasses.get(route.ingressClass);
  return !cls?.spec?.controller || cls.spec.controller === TRAEFIK_CONTROLLER;
}

/** The router name Traefik gives a route: one per rule path, one shared by every default backend. */
export function expectedRouter(ns: string, t: TraefikRoute): string {
  if (t.draft.isDefaultBackend || t.draft.noPaths) return DEFAULT_BACKEND_ROUTER;
  const host = t.draft.claim.host === '*' ? '' : t.draft.claim.host;
  return ingressRouterName(ns, t.draft.ingress.metadata.name, host, t.node.path);
}

/**
 * The router of a route in Traefik's runtime: the expected name, or, when several paths of the Ingress
 * share its key, the hash-suffixed router whose rule names this path.
 */
export function findRouter(index: RuntimeIndex, expected: string, path: string): TraefikRouter | undefined {
  const exact = index.routers.get(expected);
  if (exact) return exact;
  const candidates = (index.hashed.get(expected) ?? []).filter((r) => matchesRouterKey(r.name, expected));
  return candidates.find((r) => r.rule?.includes(JSON.stringify(path))) ?? candidates[0];
}

/** What the step hands to the domain: its Traefik state and the findings of the traefik rules. */
export interface TraefikResult {
  state: TraefikState;
  findings: Finding[];
}

/** Traefik's view of one domain of a namespace. */
export function traefikDomain(ctx: NsContext, host: string, routes: readonly TraefikRoute[]): TraefikResult {
  const id = nodeId.traefik(host);
  const link = nodeLink(id);
  const view = ctx.traefik;
  const runtime = view?.runtime;
  const index = runtime ? runtimeIndex(runtime) : undefined;
  const findings: Finding[] = [];

  // Middleware references, once per object of the domain (an IngressRoute names them per route).
  const verdicts = new Map<string, MiddlewareVerdict>();
  const refsOf = (d: RouteDraft) => d.middlewares ?? splitTraefikList(d.ingress.metadata.annotations?.[TRAEFIK_MIDDLEWARES]);
  for (const { draft } of routes) {
    const ing = draft.ingress;
    const name = ing.metadata.name;
    const kind = routeKindOf(ing);
    for (const ref of refsOf(draft)) {
      const key = `${kind}/${name}/${ref}`;
      if (verdicts.has(key)) continue;
      const verdict = middlewareVerdict(ctx, ref, index);
      verdicts.set(key, verdict);
      findings.push(...runRules(TRAEFIK_MIDDLEWARE_RULES, { ingress: ing, ref, verdict }, ctx, { link, object: { kind, namespace: ctx.ns, name } }));
    }
  }

  const routers: TraefikRouterState[] = [];
  for (const t of routes) {
    const ing = t.draft.ingress;
    const kind = routeKindOf(ing);
    const middlewares = refsOf(t.draft).map((name): TraefikMiddlewareRef => ({ name, state: refState(verdicts.get(`${kind}/${ing.metadata.name}/${name}`)!) }));
    // Traefik's Gateway provider names an HTTPRoute's routers after a hash of the route: the controller's
    // own status on the HTTPRoute is its verdict, and the router rules do not apply.
    if (kind === 'HTTPRoute') continue;
    const ir = kind === 'IngressRoute' ? ingressRouteRouter(ctx, t, index, middlewares) : undefined;
    const expected = ir ? ir.expected : expectedRouter(ctx.ns, t);
    const state: TraefikRouterState = ir ? ir.state : { routeId: t.node.id, name: expected, entryPoints: [], middlewares };
    routers.push(state);
    if (!index || !view || !traefiksRoute(ctx, t.node)) continue;
    const router = ir ? ir.router : findRouter(index, expected, t.node.path);
    const subject: RouterSubject = { ingress: ing, host, path: t.node.path, expected, api: view.api, tlsReasons: tlsReasons(ing, host) };
    if (t.node.service) subject.readyEndpoints = t.node.service.counts.ready;
    if (runtime?.entryPoints) subject.entryPoints = runtime.entryPoints;
    if (router) {
      subject.router = router;
      state.name = router.name;
      state.status = router.status;
      if (router.error?.length) state.error = router.error;
      state.entryPoints = routerEntryPoints(router);
      const provider = router.provider ?? router.name.slice(router.name.lastIndexOf('@') + 1);
      if (router.service) {
        const svc = index.services.get(qualifyName(router.service, provider));
        if (svc) subject.service = svc;
      }
      state.middlewares = (router.middlewares ?? []).map((m): TraefikMiddlewareRef => {
        const q = qualifyName(m, provider);
        const mw = index.middlewares.get(q);
        return { name: m, state: !mw ? 'missing' : mw.status === 'disabled' ? 'error' : 'ok' };
      });
    } else {
      state.status = 'missing';
    }
    findings.push(...runRules(TRAEFIK_ROUTER_RULES, subject, ctx, { link, object: { kind, namespace: ctx.ns, name: ing.metadata.name }, key: t.node.id }));
  }

  const reasons: TraefikNotCheckedReason[] = [];
  let check: TraefikState['check'];
  if (routes.length > 0 && routes.every((t) => routeKindOf(t.draft.ingress) === 'HTTPRoute')) {
    // No router of Traefik's was looked at: an empty list is not a healthy one.
    check = { state: 'not-checked', reasons: ['gateway-routes'] };
  } else if (runtime) {
    check = { state: 'checked', fetchedAt: runtime.fetchedAt };
    if (view?.error) Object.assign(check, { staleSince: view.error.since, error: view.error.message });
  } else {
    reasons.push(!view ? 'api-off' : view.error ? 'api-unreachable' : 'api-pending');
    if (!ctx.middlewares && routers.some((r) => r.middlewares.length > 0)) reasons.push('middlewares-off');
    check = view?.error ? { state: 'not-checked', reasons, error: view.error.message } : { state: 'not-checked', reasons };
  }
  const health = rollUp(findings);
  return {
    state: { id, check, routers, health: health === 'healthy' && check.state === 'not-checked' ? 'not-checked' : health },
    findings,
  };
}

/**
 * The router of an IngressRoute route. Traefik's CRD provider names it `<namespace>-<name>-<hash of the
 * rule>@kubernetescrd`, so it is found by its prefix and its rule; the router rules then judge it as they
 * judge an Ingress's router. Until Traefik's view is read, its state is the IngressRoute's own entrypoints.
 */
function ingressRouteRouter(
  ctx: NsContext,
  t: TraefikRoute,
  index: RuntimeIndex | undefined,
  middlewares: TraefikMiddlewareRef[],
): { expected: string; state: TraefikRouterState; router?: TraefikRouter } {
  const name = t.draft.ingress.metadata.name;
  const prefix = `${ctx.ns}-${name}-`;
  const expected = `${prefix}<hash>@${CRD_PROVIDER}`;
  const state: TraefikRouterState = { routeId: t.node.id, name: expected, entryPoints: ingressRouteOf(t.draft.ingress)?.spec?.entryPoints ?? [], middlewares };
  if (!index) return { expected, state };
  for (const r of index.routers.values()) {
    if (r.name.startsWith(prefix) && r.name.endsWith(`@${CRD_PROVIDER}`) && r.rule === t.draft.match) return { expected, state, router: r };
  }
  return { expected, state };
}

const refState = (v: MiddlewareVerdict): TraefikMiddlewareRef['state'] =>
  v.state === 'missing' ? 'missing' : v.state === 'not-checked' ? 'not-checked' : 'ok';

/**
 * A reference judged against the Middleware objects when they are read; otherwise against Traefik's
 * runtime (a `@kubernetescrd` Middleware Traefik has not loaded does not exist); otherwise not at all.
 */
function middlewareVerdict(ctx: NsContext, ref: string, index: RuntimeIndex | undefined): MiddlewareVerdict {
  if (ctx.middlewares) return resolveMiddlewareRef(ref, ctx.ns, ctx.middlewares);
  if (!index) return { state: 'not-checked' };
  const q = qualifyName(ref, 'kubernetes');
  if (index.middlewares.has(q)) return { state: 'ok' };
  if (q.endsWith(`@${CRD_PROVIDER}`) || q.endsWith('@kubernetes')) return { state: 'missing', why: `Traefik has no Middleware ${q}` };
  return { state: 'not-checked' };
}
