/**
 * One domain of a namespace: the route drafts of a host taken through the steps in order - backends,
 * endpoints and Pods, certificate and DNS, findings, health - into its chain.
 */
import type { ConditionState, DomainChain, Finding, GatewayListenerState, GatewayParentState, RouteNode } from '../../model/chain';
import { rollUp, sortFindings } from '../../model/health';
import { nodeId, nodeLink } from '../../model/ids';
import type { GatewayCondition, SlimIngress } from '../../model/k8s';
import { conditionOf } from '../gateway-api';
import type { GatewayRouteInfo } from './httproutes';
import type { DataGap } from '../../model/snapshot';
import type { NsContext } from '../context';
import type { RouteSubject } from '../rules/ingress';
import { backendRef, resolveBackend, type Backend } from './backends';
import type { ServiceChain, ServiceChains } from './endpoints';
import { domainEvents, latestEvents, type EventIndex } from './events';
import { gapFindings, gatewayRouteFindings, hostFindings, probeFindings, routeFindings } from './findings';
import type { GatewayRouteSubject } from '../rules/gateway';
import { assembleHttp, httpFindings, namespaceChecks } from './http';
import { routeRivals, type RouteDraft } from './routes';
import { assembleTlsDns, hostTlsDns } from './tls-dns';
import { traefikDomain } from './traefik';

/** What the domains of a namespace share: its index, its Ingresses' findings, its Service ports, its events. */
export interface NamespaceSteps {
  ctx: NsContext;
  /** The findings of each Ingress, by name; part of every route of that Ingress. */
  ingressFindings: ReadonlyMap<string, Finding[]>;
  services: ServiceChains;
  events: EventIndex;
}

/** A draft with its backend resolved and the Service port it reaches. */
interface Traced {
  draft: RouteDraft;
  backend: Backend;
  chain?: ServiceChain;
}

function routeSubject(t: Traced, rivals: RouteSubject['rivals']): RouteSubject {
  const d = t.draft;
  const subject: RouteSubject = { ingress: d.ingress, claim: d.claim, isDefaultBackend: d.isDefaultBackend, noPaths: d.noPaths, rivals };
  if (d.backend) subject.backend = d.backend;
  if (t.backend.service) subject.service = t.backend.service;
  if (t.backend.port) subject.port = t.backend.port;
  return subject;
}

function routeNode(ns: string, t: Traced, findings: readonly Finding[], ctx: NsContext, chainGaps: readonly DataGap[]): RouteNode {
  const d = t.draft;
  const node: RouteNode = {
    id: d.claim.routeId,
    namespace: ns,
    ingress: d.ingress.metadata.name,
    path: d.claim.path,
    pathType: d.claim.pathType,
    isDefaultBackend: d.isDefaultBackend,
    backend: backendRef(d.backend),
    health: rollUp(findings, chainGaps),
  };
  if (d.claim.ingressClass) node.ingressClass = d.claim.ingressClass;
  if (d.claim.kind) node.kind = d.claim.kind;
  if (d.gateway?.parent.key) {
    const listeners = d.gateway.listeners.map((l) => `${l.name ?? '?'} (${l.protocol ?? '?'} ${l.port ?? '?'})`);
    node.gateway = { name: `${d.gateway.parent.key.namespace}/${d.gateway.parent.key.name}`, listeners };
    node.parentGateway = parentGatewayState(d.gateway);
  }
  if (t.chain) node.service = t.chain.node;
  return node;
}

const conditionState = (c: GatewayCondition | undefined): ConditionState | undefined =>
  c ? { status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) } : undefined;

/** The parent Gateway of an HTTPRoute's draft and the listeners its host comes through, with the controller's status of each. */
function parentGatewayState(info: GatewayRouteInfo): GatewayParentState | undefined {
  const key = info.parent.key;
  if (!key) return undefined;
  const g = info.parent.gateway;
  const state: GatewayParentState = {
    id: nodeId.gateway(key.namespace, key.name),
    namespace: key.namespace,
    name: key.name,
    state: g ? 'found' : info.parent.gatewaysRead ? 'missing' : 'not-checked',
    addresses: (g?.status?.addresses ?? []).flatMap((a) => (a.value ? [a.value] : [])),
    listeners: [],
  };
  if (!g) return state;
  if (g.spec?.gatewayClassName) state.className = g.spec.gatewayClassName;
  const programmed = conditionState(conditionOf(g.status?.conditions, 'Programmed'));
  const accepted = conditionState(conditionOf(g.status?.conditions, 'Accepted'));
  if (programmed) state.programmed = programmed;
  if (accepted) state.accepted = accepted;
  for (const l of info.listeners) {
    const name = l.name ?? '?';
    const st = g.status?.listeners?.find((x) => x.name === l.name);
    const ls: GatewayListenerState = { id: nodeId.gateway(key.namespace, key.name, name), name };
    if (l.protocol) ls.protocol = l.protocol;
    if (l.port !== undefined) ls.port = l.port;
    if (l.hostname) ls.hostname = l.hostname;
    const lp = conditionState(conditionOf(st?.conditions, 'Programmed'));
    const la = conditionState(conditionOf(st?.conditions, 'Accepted'));
    if (lp) ls.programmed = lp;
    if (la) ls.accepted = la;
    if (st?.attachedRoutes !== undefined) ls.attachedRoutes = st.attachedRoutes;
    state.listeners.push(ls);
  }
  return state;
}

/** The subject of the gateway rules for an HTTPRoute's draft; `undefined` for other route kinds. */
function gatewaySubject(t: Traced): GatewayRouteSubject | undefined {
  const info = t.draft.gateway;
  if (!info) return undefined;
  const s: GatewayRouteSubject = { info, claim: t.draft.claim };
  if (t.backend.service) s.service = t.backend.service;
  if (t.backend.port) s.port = t.backend.port;
  return s;
}

/** Is a finding on this route, or on the Service behind it (which the route's health includes)? */
const onRoute = (f: Finding, r: RouteNode) => f.link.type === 'node' && (f.link.id === r.id || f.link.id === r.service?.id);

/** The chain of one host of a namespace, from its route drafts (in Ingress order). */
export function analyzeDomain(steps: NamespaceSteps, host: string, drafts: readonly RouteDraft[]): DomainChain {
  const { ctx } = steps;
  const ns = ctx.ns;

  // Backends, then endpoints and Pods.
  const traced = drafts.map((draft): Traced => {
    const backend = resolveBackend(ctx, draft.backend);
    return backend.service ? { draft, backend, chain: steps.services.get(backend.service, backend.port) } : { draft, backend };
  });

  // Certificate and DNS, per Ingress serving the host.
  const ingresses: SlimIngress[] = [];
  for (const d of drafts) if (!ingresses.includes(d.ingress)) ingresses.push(d.ingress);
  const hostState = hostTlsDns(ctx, host, ingresses);

  // Findings: each route's own (its Ingress, its backend, its Service port), then the host's.
  const rivals = routeRivals(drafts);
  const perRoute = traced.map((t, i) => {
    const gw = gatewaySubject(t);
    return [
    // An IngressRoute's object findings are the namespace's; an Ingress of the same name is another object.
    ...(t.draft.claim.kind ? [] : (steps.ingressFindings.get(t.draft.ingress.metadata.name) ?? [])),
    ...(gw ? gatewayRouteFindings(ctx, gw) : []),
    ...routeFindings(ctx, routeSubject(t, rivals[i]!)),
    ...(t.chain?.findings ?? []),
    ];
  });
  // IngressClass gaps are shown on the domain (the class link is unverified) but do not make it unknown:
  // a namespace-scoped install can never read the cluster-scoped IngressClasses, and every domain of it
  // would be unknown for ever. The rest of the chain is still judged, and the gap is named beside it.
  const classGaps = ctx.gaps.filter((g) => g.kind === 'IngressClass');
  // A domain an HTTPRoute serves hangs on the shared Gateways and ReferenceGrants: their gaps leave it
  // unverified (unknown). GatewayClasses, like IngressClasses, a namespaced install can never read: shown only.
  const gatewayGaps = drafts.some((d) => d.gateway) ? (ctx.gatewayApi?.gaps ?? []) : [];
  const chainGaps = [...ctx.chainGaps, ...gatewayGaps.filter((g) => g.kind !== 'GatewayClass')];
  const shownGaps = [...classGaps, ...gatewayGaps.filter((g) => g.kind === 'GatewayClass')];
  const probes = ctx.probes[host];
  // Route nodes first without the HTTP findings: those and Traefik's routers find their route and Service through them.
  const draftRoutes = traced.map((t, i) => routeNode(ns, t, perRoute[i]!, ctx, chainGaps));
  const checks = namespaceChecks(probes, ns);
  const http = httpFindings(ctx, host, checks, draftRoutes);
  const traefik = traefikDomain(
    ctx,
    host,
    traced.map((t, i) => ({ draft: t.draft, node: draftRoutes[i]! })),
  );
  const findings = sortFindings([
    ...perRoute.flat(),
    ...http,
    ...hostFindings(ctx, host, hostState.subjects),
    ...probeFindings(ctx, host, probes, hostState.expected, ingresses[0]),
    ...traefik.findings,
    ...gapFindings(ctx, [...chainGaps, ...shownGaps], nodeLink(nodeId.domain(host))),
  ]);

  // Health: each route from its own findings (and the HTTP findings on it), TLS and DNS from theirs, the domain from all.
  const routes = traced.map((t, i) => routeNode(ns, t, [...perRoute[i]!, ...http.filter((f) => onRoute(f, draftRoutes[i]!))], ctx, chainGaps));
  const { tls, dns } = assembleTlsDns(host, hostState.parts, findings, probes, ctx.probing);
  const httpState = assembleHttp(host, checks, findings, ctx.probing, probes);
  const events = domainEvents(
    steps.events,
    traced.map((t, i) => ({ ingress: t.draft.ingress.metadata.name, service: routes[i]!.service, slices: t.chain?.slices ?? [] })),
  );
  return {
    host,
    namespace: ns,
    namespaces: [ns],
    health: rollUp(findings, chainGaps),
    routes,
    tls,
    dns,
    http: httpState,
    traefik: traefik.state,
    findings,
    events: latestEvents(events, ctx.opts.maxEvents),
    gaps: [...chainGaps, ...shownGaps],
  };
}
