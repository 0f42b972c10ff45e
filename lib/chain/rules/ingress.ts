/**
 * Ingress rules: is the Ingress admitted by a controller, and does each route resolve to a Service port?
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 */
import type { IngressBackend, ServiceBackendPort, ServicePort, SlimIngress, SlimService } from '../../model/k8s';
import { kubectl, type NsContext } from '../context';
import { edgeLink, nodeId } from '../../model/ids';
import { kubectlResource, routeKindOf, routeObjectName } from '../route-kind';
import type { Hit, Rule } from './types';
import type { HostSubject } from './tls';

export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** How the Ingress class was found. `exists` is undefined when IngressClasses could not be read. */
export interface ClassResolution {
  name?: string;
  via: 'spec' | 'annotation' | 'default' | 'none';
  exists?: boolean;
}

/**
 * `spec.ingressClassName`, else the deprecated `kubernetes.io/ingress.class` annotation, else the
 * IngressClass annotated `ingressclass.kubernetes.io/is-default-class: "true"`.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#default-ingress-class
 */
export function resolveClass(ing: SlimIngress, ctx: NsContext): ClassResolution {
  const classes = ctx.ingressClasses;
  const spec = ing.spec?.ingressClassName;
  const ann = ing.metadata.annotations?.[INGRESS_CLASS_ANNOTATION];
  const named = spec ? { name: spec, via: 'spec' as const } : ann ? { name: ann, via: 'annotation' as const } : undefined;
  if (named) return classes ? { ...named, exists: classes.has(named.name) } : named;
  if (!classes) return { via: 'none' };
  return ctx.defaultClass ? { name: ctx.defaultClass, via: 'default', exists: true } : { via: 'none', exists: false };
}

export interface IngressSubject {
  ingress: SlimIngress;
  cls: ClassResolution;
}

/** What a route claims, to find two Ingresses claiming the same thing. */
export interface RouteClaim {
  namespace: string;
  ingress: string;
  routeId: string;
  host: string;
  path: string;
  pathType: string;
  ingressClass?: string;
  /** Set when the route comes from an IngressRoute or an HTTPRoute (`ingress` is then its name). */
  kind?: 'IngressRoute' | 'HTTPRoute';
}

/** Routes conflict when they have the same class, host, path and pathType. */
export const claimKey = (c: RouteClaim) => `${c.ingressClass ?? ''}\u0000${c.host}\u0000${c.path}\u0000${c.pathType}`;

export interface RouteSubject {
  ingress: SlimIngress;
  claim: RouteClaim;
  isDefaultBackend: boolean;
  /** A rule with a host and no `http.paths`, on an Ingress without a default backend. */
  noPaths: boolean;
  backend?: IngressBackend;
  /** The backend Service, when it exists. */
  service?: SlimService;
  /** The Service port the backend resolves to. */
  port?: ServicePort;
  /** Routes of other Ingresses with the same claim. */
  rivals: RouteClaim[];
}

type IngressRule = Rule<IngressSubject, NsContext>;
type RouteRule = Rule<RouteSubject, NsContext>;

const ingName = (i: SlimIngress) => i.metadata.name;
const routeWhere = (c: RouteClaim) => (c.path === '*' ? `${c.host} (default backend)` : `${c.host}${c.path} (${c.pathType})`);
const ingressYaml = (i: SlimIngress, ns: string) => `${kubectl(ns)} get ${kubectlResource(routeKindOf(i))} ${ingName(i)} -o yaml`;

/** The hit of `ingress.route-conflict` for one route and one rival. */
function conflictHit(claim: RouteClaim, rival: RouteClaim): Hit {
  const other = rival.namespace === claim.namespace ? rival.ingress : `${rival.namespace}/${rival.ingress}`;
  return {
    message: `${routeWhere(claim)} of ${claim.kind ?? 'Ingress'} ${claim.ingress} is also claimed by ${rival.kind ?? 'Ingress'} ${other}: only one of them gets the traffic`,
    hint: `kubectl get ingress -A | grep -F '${claim.host}'`,
    key: `${rival.namespace}/${rival.ingress}`,
  };
}

/** The Services of the namespace some Ingress backend names, built once per namespace. */
const reachedIndex = new WeakMap<NsContext, Set<string>>();
function reachedServices(ctx: NsContext): Set<string> {
  let reached = reachedIndex.get(ctx);
  if (reached) return reached;
  reached = new Set();
  for (const ing of ctx.ingresses) {
    const backends = [ing.spec?.defaultBackend, ...(ing.spec?.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).map((p) => p.backend))];
    for (const b of backends) if (b?.service?.name) reached.add(b.service.name);
  }
  reachedIndex.set(ctx, reached);
  return reached;
}

/** At most this many Services are named as the one a missing backend probably meant. */
const MAX_MEANT = 3;

/**
 * The Services no Ingress reaches that have the port a backend asks for (by number or name), sorted:
 * when the backend's Service does not exist, the one it was renamed to is usually among them.
 */
function unreachedWithPort(ctx: NsContext, port: ServiceBackendPort | undefined): string[] {
  if (!port || (port.number === undefined && !port.name)) return [];
  const reached = reachedServices(ctx);
  const out: string[] = [];
  for (const [name, svc] of ctx.services) {
    if (reached.has(name)) continue;
    if ((svc.spec?.ports ?? []).some((p) => (port.name ? p.name === port.name : p.port === port.number))) out.push(name);
  }
  return out.sort().slice(0, MAX_MEANT);
}

export const INGRESS_RULES: readonly IngressRule[] = [
  {
    code: 'ingress.class-missing',
    severity: 'critical',
    family: 'ingress',
    title: 'No ingress class',
    description:
      'The Ingress names no class (spec.ingressClassName or the kubernetes.io/ingress.class annotation) and no IngressClass is the default: no controller serves it. Skipped when IngressClasses cannot be read.',
    hint: 'kubectl get ingressclass',
    check({ ingress, cls }, ctx) {
      if (cls.via !== 'none' || cls.exists === undefined) return;
      return {
        message: `Ingress ${ingName(ingress)} names no ingress class and no IngressClass is annotated as the default: no controller serves it`,
        hint: 'kubectl get ingressclass',
      };
    },
  },
  {
    code: 'ingress.class-unknown',
    severity: 'critical',
    family: 'ingress',
    title: 'Unknown ingress class',
    description: 'The Ingress names a class for which no IngressClass exists: no controller serves it. Skipped when IngressClasses cannot be read.',
    hint: 'kubectl get ingressclass',
    check({ ingress, cls }, ctx) {
      if (cls.exists !== false || !cls.name) return;
      const where = cls.via === 'spec' ? 'spec.ingressClassName' : `annotation ${INGRESS_CLASS_ANNOTATION}`;
      const have = ctx.ingressClasses && ctx.ingressClasses.size > 0 ? [...ctx.ingressClasses.keys()].join(', ') : 'none';
      return {
        message: `Ingress ${ingName(ingress)} asks for ingress class "${cls.name}" (${where}) but no such IngressClass exists (have: ${have})`,
        hint: 'kubectl get ingressclass',
      };
    },
  },
  {
    code: 'ingress.no-address',
    severity: 'warning',
    family: 'ingress',
    title: 'Ingress has no address',
    description: 'status.loadBalancer is empty: the controller has not admitted the Ingress (yet), so DNS has nothing to point at.',
    hint: 'kubectl -n NS get ingress INGRESS -o wide',
    suppressedBy: ['ingress.class-missing', 'ingress.class-unknown'],
    check({ ingress, cls }, ctx) {
      const lb = ingress.status?.loadBalancer?.ingress ?? [];
      if (lb.some((l) => l.ip || l.hostname)) return;
      const by = cls.name ? ` by the ${cls.name} controller` : '';
      return {
        message: `Ingress ${ingName(ingress)} has no address in status.loadBalancer: not admitted${by}`,
        hint: `${kubectl(ctx.ns)} get ingress ${ingName(ingress)} -o wide`,
      };
    },
  },
];

/** Rules about an Ingress that serves no domain at all; reported on the namespace. */
export const INGRESS_NAMESPACE_RULES: readonly IngressRule[] = [
  {
    code: 'ingress.no-rules',
    severity: 'warning',
    family: 'ingress',
    title: 'Ingress without rules',
    description: 'The Ingress has no rules and no default backend: it serves nothing. Reported on the namespace, not on a domain.',
    hint: 'kubectl -n NS get ingress INGRESS -o yaml',
    check({ ingress }, ctx) {
      if ((ingress.spec?.rules?.length ?? 0) > 0 || ingress.spec?.defaultBackend) return;
      return { message: `Ingress ${ingName(ingress)} has no rules and no default backend: it serves nothing`, hint: ingressYaml(ingress, ctx.ns) };
    },
  },
];

export function describePorts(svc: SlimService): string {
  const ports = svc.spec?.ports ?? [];
  if (ports.length === 0) return 'no ports';
  return `ports ${ports.map((p) => `${p.port}${p.name ? ` (${p.name})` : ''}`).join(', ')}`;
}

const wantedPort = (b: IngressBackend | undefined) => {
  const p = b?.service?.port;
  return p?.name !== undefined && p.name !== '' ? `port "${p.name}"` : `port ${p?.number}`;
};

/**
 * `ingress.route-conflict` reads only a route's claim and its rivals: each namespace runs it over its own
 * routes, and `combine` runs it over the routes of a host claimed from several namespaces.
 */
export const ROUTE_CONFLICT: Rule<Pick<RouteSubject, 'claim' | 'rivals'>, unknown> = {
  code: 'ingress.route-conflict',
  severity: 'warning',
  family: 'ingress',
  title: 'Route claimed twice',
  description:
    'Two Ingresses of the same class claim the same host, path and pathType (in the same or different namespaces): the controller sends the traffic to only one of them. Reported on both.',
  hint: 'kubectl get ingress -A | grep -F HOST',
  check(r) {
    return r.rivals.map((rival) => conflictHit(r.claim, rival));
  },
};

export const ROUTE_RULES: readonly RouteRule[] = [
  {
    code: 'ingress.backend-invalid',
    severity: 'critical',
    family: 'ingress',
    title: 'Invalid backend',
    description:
      'The route has no usable Service backend: no Service name, no port name or number, or a host rule without paths on an Ingress without default backend.',
    alsoSeverity: {
      severity: 'warning',
      when: 'the backend is a resource backend, not a Service: Chainboard cannot follow it, so the chain is not verified',
    },
    hint: 'kubectl -n NS get ingress INGRESS -o yaml',
    check(r, ctx) {
      const hint = ingressYaml(r.ingress, ctx.ns);
      const where = routeWhere(r.claim);
      const ing = routeObjectName(r.ingress);
      if (r.noPaths) return { message: `${ing}: the rule for ${r.claim.host} has no http paths and the Ingress has no default backend`, hint };
      const b = r.backend;
      if (b?.resource && !b.service) {
        const res = `${b.resource.apiGroup ? `${b.resource.apiGroup}/` : ''}${b.resource.kind ?? '?'}/${b.resource.name ?? '?'}`;
        return { severity: 'warning', message: `${ing}: ${where} routes to ${b.resource.kind === 'TraefikService' || b.resource.kind === 'Service' ? b.resource.kind : 'resource'} ${res}, ${b.resource.kind === 'Service' ? 'in another namespace' : 'not a Service'}; Chainboard cannot follow it`, hint };
      }
      if (!b?.service?.name) return { message: `${ing}: the backend of ${where} names no Service`, hint };
      const p = b.service.port;
      if (!p || ((p.name === undefined || p.name === '') && p.number === undefined)) {
        return { message: `${ing}: the backend of ${where} (Service ${b.service.name}) names no port name or number`, hint };
      }
    },
  },
  {
    code: 'ingress.backend-service-missing',
    severity: 'critical',
    family: 'ingress',
    title: 'Backend Service missing',
    description:
      'The route names a Service that does not exist in the Ingress namespace (Ingress backends are always same-namespace). A Service that no Ingress reaches and that has the port the route asks for is named as the one probably meant (a rename).',
    hint: 'kubectl -n NS get services',
    suppressedBy: ['ingress.backend-invalid'],
    check(r, ctx) {
      const name = r.backend?.service?.name;
      // An HTTPRoute's backendRefs are judged by the gateway rules, which know its grants and weights.
      if (!name || r.service || ctx.gapKinds.has('Service') || routeKindOf(r.ingress) === 'HTTPRoute') return;
      const meant = unreachedWithPort(ctx, r.backend?.service?.port);
      const guess = meant.length === 0 ? '' : `; ${meant.length === 1 ? 'Service' : 'Services'} ${meant.join(', ')}, which no Ingress reaches, ${meant.length === 1 ? 'has' : 'have'} port ${r.backend?.service?.port?.number ?? r.backend?.service?.port?.name}: did you mean ${meant.length === 1 ? 'it' : 'one of them'}?`;
      return {
        message: `${routeObjectName(r.ingress)}: ${routeWhere(r.claim)} routes to Service ${name}, which does not exist in ${ctx.ns}${guess}`,
        hint: `${kubectl(ctx.ns)} get services`,
        link: edgeLink(r.claim.routeId, nodeId.service(name)),
      };
    },
  },
  {
    code: 'ingress.backend-port-missing',
    severity: 'critical',
    family: 'ingress',
    title: 'Backend port missing',
    description: 'The route names a port (by name or number) that the Service does not have.',
    hint: "kubectl -n NS get service SERVICE -o jsonpath='{.spec.ports}'",
    suppressedBy: ['ingress.backend-invalid'],
    check(r, ctx) {
      const svc = r.service;
      if (!svc || r.port || routeKindOf(r.ingress) === 'HTTPRoute') return;
      // An ExternalName Service need not list ports: the backend port is used as is.
      if (svc.spec?.type === 'ExternalName' && (svc.spec.ports?.length ?? 0) === 0) return;
      return {
        message: `${routeObjectName(r.ingress)}: ${routeWhere(r.claim)} routes to ${wantedPort(r.backend)} of Service ${svc.metadata.name}, which has ${describePorts(svc)}`,
        hint: `${kubectl(ctx.ns)} get service ${svc.metadata.name} -o jsonpath='{.spec.ports}'`,
        link: edgeLink(r.claim.routeId, nodeId.service(svc.metadata.name)),
      };
    },
  },
  ROUTE_CONFLICT,
];

/** Rules of the ingress family judged per (Ingress, host). */
export const INGRESS_HOST_RULES: readonly Rule<HostSubject, NsContext>[] = [
  {
    code: 'ingress.tls-host-uncovered',
    severity: 'warning',
    family: 'ingress',
    title: 'TLS host not listed',
    description:
      'The host is served on a TLS entrypoint (router.entrypoints websecure, router.tls "true", a cert resolver, or spec.tls present) but is in no spec.tls[].hosts of the Ingress: the certificate may not cover it.',
    hint: "kubectl -n NS get ingress INGRESS -o jsonpath='{.spec.tls}'",
    check(h, ctx) {
      if (h.host === '*' || !h.tlsEnabled || h.tlsEntry) return;
      return {
        message:
          routeKindOf(h.ingress) === 'IngressRoute'
            ? `${h.host} is served on a TLS entrypoint (${h.tlsReasons.join(', ')}) but IngressRoute ${ingName(h.ingress)} has no spec.tls: HTTPS requests match no router`
            : `${h.host} is served on a TLS entrypoint (${h.tlsReasons.join(', ')}) but is in no spec.tls[].hosts of Ingress ${ingName(h.ingress)}`,
        hint: `${kubectl(ctx.ns)} get ${kubectlResource(routeKindOf(h.ingress))} ${ingName(h.ingress)} -o jsonpath='{.spec.tls}'`,
      };
    },
  },
];
