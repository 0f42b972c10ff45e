/**
 * The HTTPRoute adapter: each Gateway API HTTPRoute (gateway.networking.k8s.io/v1) of a namespace as the
 * route drafts the shared steps take. For each parent Gateway, each hostname the route serves through
 * the listeners that take it (the intersection of the route's hostnames and the listener's), each rule's
 * path match and each backendRef is one draft. The route is seen through an Ingress-shaped view per
 * parent (the TLS of its HTTPS listeners, the Gateway's addresses, external-dns annotations), so that
 * everything from the backend Service down, and the certificate and DNS of the host, are judged as for
 * an Ingress; what only the Gateway API has (parents, listeners, grants, weights, the controller's
 * status) travels with the draft for the gateway rules. The view is marked (route-kind.ts), so nothing
 * calls it an Ingress.
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
import type {
  GatewayListener,
  HTTPRouteBackendRef,
  HTTPRouteParentStatus,
  HTTPRouteRule,
  IngressBackend,
  IngressTLS,
  SlimGateway,
  SlimGatewayClass,
  SlimHTTPRoute,
  SlimIngress,
} from '../../model/k8s';
import { gatewayLoadBalancer } from '../../model/gateway';
import { nodeId } from '../../model/ids';
import type { NsContext } from '../context';
import { backendGrant, GATEWAY_GROUP, listenerRefuses, parentKey, parentStatus, routeHostsThrough, type ParentKey } from '../gateway-api';
import { normalizeHost } from '../hosts';
import { markHTTPRouteView } from '../route-kind';
import type { IngressRouteDraft } from './ingressroutes';

/** One parent of an HTTPRoute as Chainboard finds it, with the controller's status for it. */
export interface ParentAttachment {
  /** `undefined`: the route names no parent at all. */
  key?: ParentKey;
  /** The Gateway, when it exists and Gateways are read. */
  gateway?: SlimGateway;
  /** Could Gateways be read? Otherwise whether the parent exists is not checked. */
  gatewaysRead: boolean;
  gatewayClass?: SlimGatewayClass;
  classesRead: boolean;
  /** The listeners that take the route (protocol, allowed routes) and share a hostname with it. */
  listeners: GatewayListener[];
  /** Why each other listener does not take it. */
  refused: string[];
  /** What a controller wrote about the route for this parent; `undefined`: nothing yet. */
  status?: HTTPRouteParentStatus;
}

/** What the gateway rules read about one draft of an HTTPRoute. */
export interface GatewayRouteInfo {
  route: SlimHTTPRoute;
  parent: ParentAttachment;
  /** The listeners this host comes through (empty when no listener takes it). */
  listeners: GatewayListener[];
  ruleIndex: number;
  backendRef?: HTTPRouteBackendRef;
  grant: 'same-namespace' | 'granted' | 'not-granted' | 'not-checked';
  /** Every backendRef of the rule has weight 0. */
  allZero: boolean;
  /** Chainboard itself finds a backendRef of the route unresolvable (missing, port, not granted). */
  ownRefProblem: boolean;
  /** This parent does not take the host, but another parent of the route serves it. */
  servedElsewhere?: boolean;
}

/** What a draft of an HTTPRoute says, before it joins the other drafts of its host: an IngressRoute's, with the Gateway API's own. */
export type HTTPRouteDraft = Pick<IngressRouteDraft, 'view' | 'id' | 'host' | 'path' | 'pathType' | 'backend'> & { gateway: GatewayRouteInfo };

/** The Gateway API's path match types as the Ingress path types the shared steps know. */
const PATH_TYPES: Readonly<Record<string, string>> = { PathPrefix: 'Prefix', Exact: 'Exact', RegularExpression: 'ImplementationSpecific' };

/** external-dns's Gateway sources read its annotations from the route; Chainboard's own mean the same. */
const CARRIED = /^(external-dns\.alpha\.kubernetes\.io\/|chainboard\.io\/)/;

/** A backendRef as an Ingress backend: a Service of the namespace, or something Chainboard does not follow. */
function backendOf(ns: string, b: HTTPRouteBackendRef): IngressBackend {
  const kind = b.kind ?? 'Service';
  const group = b.group ?? '';
  if (kind !== 'Service' || group !== '') return { resource: { ...(group ? { apiGroup: group } : {}), kind, ...(b.name ? { name: b.name } : {}) } };
  // Another namespace's Service (granted or not) lies outside this namespace's analysis.
  if (b.namespace && b.namespace !== ns) return { resource: { kind: 'Service', name: `${b.namespace}/${b.name ?? '?'}` } };
  const service: NonNullable<IngressBackend['service']> = {};
  if (b.name) service.name = b.name;
  if (b.port !== undefined) service.port = { number: b.port };
  return { service };
}

/** Does Chainboard itself see a backendRef of the route that cannot resolve? */
function ownRefProblem(ctx: NsContext, route: SlimHTTPRoute): boolean {
  const grants = ctx.gatewayApi?.grants;
  for (const rule of route.spec?.rules ?? []) {
    for (const b of rule.backendRefs ?? []) {
      if ((b.kind ?? 'Service') !== 'Service' || (b.group ?? '') !== '') continue;
      if (backendGrant(b, ctx.ns, grants) === 'not-granted') return true;
      if (b.namespace && b.namespace !== ctx.ns) continue;
      if (ctx.gapKinds.has('Service')) continue;
      const svc = b.name ? ctx.services.get(b.name) : undefined;
      if (!svc) return true;
      if (svc.spec?.type !== 'ExternalName' && b.port !== undefined && !(svc.spec?.ports ?? []).some((p) => p.port === b.port)) return true;
    }
  }
  return false;
}

/** The parent, found: its Gateway, class, the listeners that take the route, and the controller's status. */
function attach(ctx: NsContext, route: SlimHTTPRoute, key: ParentKey): ParentAttachment {
  const index = ctx.gatewayApi;
  const gateway = index?.gateways?.get(`${key.namespace}/${key.name}`);
  const a: ParentAttachment = { key, gatewaysRead: index?.gateways !== undefined, classesRead: index?.classes !== undefined, listeners: [], refused: [] };
  const status = parentStatus(route, key);
  if (status) a.status = status;
  if (!gateway) return a;
  a.gateway = gateway;
  const cls = gateway.spec?.gatewayClassName ? index?.classes?.get(gateway.spec.gatewayClassName) : undefined;
  if (cls) a.gatewayClass = cls;
  const listeners = gateway.spec?.listeners ?? [];
  if (key.sectionName && !listeners.some((l) => l.name === key.sectionName)) a.refused.push(`Gateway ${key.namespace}/${key.name} has no listener named ${key.sectionName}`);
  if (key.port !== undefined && !listeners.some((l) => l.port === key.port)) a.refused.push(`Gateway ${key.namespace}/${key.name} has no listener on port ${key.port}`);
  for (const l of listeners) {
    if (key.sectionName && l.name !== key.sectionName) continue;
    if (key.port !== undefined && l.port !== key.port) continue;
    const why = listenerRefuses(l, key.namespace, ctx.ns, index?.namespaceLabels);
    if (why) a.refused.push(why);
    else if (routeHostsThrough(route, l).length === 0) a.refused.push(`listener ${l.name ?? '?'} is for ${l.hostname}, which none of the route's hostnames (${(route.spec?.hostnames ?? []).join(', ')}) matches`);
    else a.listeners.push(l);
  }
  return a;
}

/**
 * The Ingress-shaped view of an HTTPRoute through one parent: TLS for the hosts its HTTPS listeners
 * serve (with the listener's certificate Secret when it lies in the route's namespace, where the shared
 * steps can read it), the Gateway's addresses as the load balancer, and the annotations that mean the
 * same on it as on an Ingress.
 */
function httpRouteView(ctx: NsContext, route: SlimHTTPRoute, a: ParentAttachment, hostsByListener: Map<GatewayListener, string[]>): SlimIngress {
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(route.metadata.annotations ?? {})) if (CARRIED.test(k)) annotations[k] = v;
  const tls: IngressTLS[] = [];
  for (const [l, hosts] of hostsByListener) {
    if (l.protocol !== 'HTTPS') continue;
    const cert = l.tls?.certificateRefs?.find((r) => (r.kind ?? 'Secret') === 'Secret' && (r.group ?? '') === '');
    const certNs = cert?.namespace ?? a.key?.namespace;
    // A certificate of another namespace (the Gateway's, usually) is not in this namespace's Secrets:
    // TLS is on, and the served certificate is what the TLS probe checks.
    tls.push(cert?.name && certNs === ctx.ns ? { hosts, secretName: cert.name } : { hosts });
  }
  const lb = gatewayLoadBalancer(a.gateway);
  const view: SlimIngress = { metadata: { ...route.metadata, annotations }, spec: tls.length > 0 ? { tls } : {} };
  if (lb.length > 0) view.status = { loadBalancer: { ingress: lb } };
  markHTTPRouteView(view, route);
  return view;
}

/** A rule that only redirects serves no backend: nothing to follow, and nothing wrong. */
const redirectsOnly = (rule: HTTPRouteRule) => (rule.backendRefs ?? []).length === 0 && (rule.filters ?? []).some((f) => f.type === 'RequestRedirect');

/**
 * The drafts of the namespace's HTTPRoutes, in name order, then parent, host, rule, match and backend
 * order. A parentRef to something other than a Gateway (a mesh's Service) is not a way in from outside
 * and drafts nothing. A route whose parent is missing or takes none of its hostnames still drafts its
 * own hostnames, so the domain shows why it is not served. Backends of weight 0 get no traffic and are
 * not followed, unless every backend of the rule has weight 0.
 */
export function draftHTTPRoutes(ctx: NsContext): HTTPRouteDraft[] {
  const drafts: HTTPRouteDraft[] = [];
  for (const route of ctx.gatewayApi?.httpRoutes ?? []) {
    const name = route.metadata.name;
    const refs = route.spec?.parentRefs ?? [];
    const keys: (ParentKey | undefined)[] = refs.length === 0 ? [undefined] : refs.map((r) => parentKey(r, ctx.ns)).filter((k) => k.kind === 'Gateway' && k.group === GATEWAY_GROUP);
    const own = ownRefProblem(ctx, route);
    const positions = new Map<string, number>();
    // Each parent with the hosts it serves, each host with the listeners it comes through.
    const parents = keys.map((key) => {
      const a: ParentAttachment = key ? attach(ctx, route, key) : { gatewaysRead: ctx.gatewayApi?.gateways !== undefined, classesRead: ctx.gatewayApi?.classes !== undefined, listeners: [], refused: [] };
      const hosts = new Map<string, GatewayListener[]>();
      const hostsByListener = new Map<GatewayListener, string[]>();
      for (const l of a.listeners) {
        const through = routeHostsThrough(route, l);
        hostsByListener.set(l, through);
        for (const h of through) hosts.set(h, [...(hosts.get(h) ?? []), l]);
      }
      return { a, hosts, hostsByListener };
    });
    const served = new Set(parents.flatMap((p) => [...p.hosts.keys()]));
    for (const { a, hosts, hostsByListener } of parents) {
      if (hosts.size === 0) {
        const names = route.spec?.hostnames ?? [];
        for (const h of names.length > 0 ? names.map(normalizeHost) : ['*']) hosts.set(h, []);
      }
      const view = httpRouteView(ctx, route, a, hostsByListener);
      for (const [host, listeners] of hosts) {
        const servedElsewhere = listeners.length === 0 && served.has(host);
        (route.spec?.rules ?? []).forEach((rule, ri) => {
          if (redirectsOnly(rule)) return;
          const refsOfRule = rule.backendRefs ?? [];
          const allZero = refsOfRule.length > 0 && refsOfRule.every((b) => b.weight === 0);
          const used = allZero ? refsOfRule : refsOfRule.filter((b) => b.weight !== 0);
          const backends: (HTTPRouteBackendRef | undefined)[] = used.length > 0 ? used : [undefined];
          const matches = rule.matches && rule.matches.length > 0 ? rule.matches : [{}];
          for (const m of matches) {
            const path = m.path?.value || '/';
            const pathType = PATH_TYPES[m.path?.type ?? 'PathPrefix'] ?? m.path?.type ?? 'Prefix';
            for (const b of backends) {
              const position = positions.get(host) ?? 0;
              positions.set(host, position + 1);
              const info: GatewayRouteInfo = { route, parent: a, listeners, ruleIndex: ri, grant: b ? backendGrant(b, ctx.ns, ctx.gatewayApi?.grants) : 'same-namespace', allZero, ownRefProblem: own };
              if (b) info.backendRef = b;
              if (servedElsewhere) info.servedElsewhere = true;
              const d: HTTPRouteDraft = { view, id: nodeId.route(`HTTPRoute:${name}`, ri, position), host, path, pathType, gateway: info };
              if (b) d.backend = backendOf(ctx.ns, b);
              drafts.push(d);
            }
          }
        });
      }
    }
  }
  return drafts;
}

/**
 * What an HTTPRoute gives the probes: its concrete hostnames and paths, at its parent Gateway's address,
 * in the Ingress shape `probeTargets` reads, marked as the route's view so its checks name the HTTPRoute.
 * Wildcard hostnames name no one host and are left out, as for Ingresses.
 */
export function httpRouteProbeViews(routes: readonly SlimHTTPRoute[], gateways: readonly SlimGateway[]): SlimIngress[] {
  const byKey = new Map(gateways.map((g) => [`${g.metadata.namespace ?? ''}/${g.metadata.name}`, g]));
  const out: SlimIngress[] = [];
  for (const r of routes) {
    const ns = r.metadata.namespace ?? '';
    const hosts = (r.spec?.hostnames ?? []).filter((h) => !h.includes('*'));
    if (hosts.length === 0) continue;
    const gateway = (r.spec?.parentRefs ?? []).map((p) => byKey.get(`${p.namespace ?? ns}/${p.name ?? ''}`)).find((g) => g !== undefined);
    const lb = gatewayLoadBalancer(gateway);
    const paths = (r.spec?.rules ?? []).flatMap((rule) => (rule.matches?.length ? rule.matches : [{}]).map((m) => m.path?.value || '/'));
    const view: SlimIngress = {
      metadata: r.metadata,
      spec: { rules: hosts.map((host) => ({ host, http: { paths: [...new Set(paths)].map((path) => ({ path, pathType: 'Prefix', backend: {} })) } })) },
    };
    if (lb.length > 0) view.status = { loadBalancer: { ingress: lb } };
    markHTTPRouteView(view, r);
    out.push(view);
  }
  return out;
}
