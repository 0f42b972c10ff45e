/**
 * Findings: which rule family judges which subject of the chain, and where its findings are attached
 * (the link the diagram colours and the object they are about). The rules themselves are the catalogue
 * in ../rules; this is the one place the engine runs them.
 */
import type { ChainLink, Finding } from '../../model/chain';
import { nodeId, nodeLink } from '../../model/ids';
import type { ObjectRef, SlimIngress, SlimPod } from '../../model/k8s';
import { routeKindOf, type RouteKind } from '../route-kind';
import type { HostProbes } from '../../model/probe';
import type { DataGap } from '../../model/snapshot';
import type { NsContext } from '../context';
import { DATA_RULES } from '../rules/data';
import { DNS_HOST_RULES, DNS_PROBE_RULES } from '../rules/dns';
import { INGRESS_HOST_RULES, INGRESS_NAMESPACE_RULES, INGRESS_RULES, ROUTE_CONFLICT, ROUTE_RULES, type IngressSubject, type RouteClaim, type RouteSubject } from '../rules/ingress';
import { POD_RULES, podSubject } from '../rules/pod';
import { SERVICE_RULES, type ServiceSubject } from '../rules/service';
import { TLS_OBJECT_RULES, TLS_PROBE_RULES, type HostSubject } from '../rules/tls';
import { INGRESSROUTE_RULES, type IngressRouteSubject } from '../rules/traefik';
import { runRules } from '../rules/types';
import { GATEWAY_ROUTE_RULES, type GatewayRouteSubject } from '../rules/gateway';
import type { Expected } from './tls-dns';

/** The codes judged from probe results: per host, so the same in every namespace serving it. */
export const PROBE_CODES: ReadonlySet<string> = new Set([...TLS_PROBE_RULES, ...DNS_PROBE_RULES].map((r) => r.code));

const ingressRef = (ns: string, name: string, kind: RouteKind = 'Ingress'): ObjectRef => ({ kind, namespace: ns, name });

/** The object a route or host finding is about: the Ingress, or the IngressRoute a view stands for. */
const routeRef = (ns: string, ing: SlimIngress): ObjectRef => ingressRef(ns, ing.metadata.name, routeKindOf(ing));

/** A gap is about every object of its kind in the namespace: the name `*`. */
const gapRef = (gap: DataGap, ns: string): ObjectRef => ({ kind: gap.kind, namespace: gap.namespace ?? ns, name: '*' });

/** The findings of each Ingress (on its node), and those about Ingresses that serve no domain (on the namespace). */
export function ingressFindings(ctx: NsContext, ingresses: readonly IngressSubject[]): { byIngress: Map<string, Finding[]>; namespace: Finding[] } {
  const byIngress = new Map<string, Finding[]>();
  const namespace: Finding[] = [];
  for (const subject of ingresses) {
    const name = subject.ingress.metadata.name;
    const at = { link: nodeLink(nodeId.ingress(name)), object: ingressRef(ctx.ns, name) };
    byIngress.set(name, runRules(INGRESS_RULES, subject, ctx, at));
    namespace.push(...runRules(INGRESS_NAMESPACE_RULES, subject, ctx, at));
  }
  return { byIngress, namespace };
}

/** The findings about each IngressRoute object itself (old group, rules not understood), on the namespace. */
export function ingressRouteFindings(ctx: NsContext, subjects: readonly IngressRouteSubject[]): Finding[] {
  const link = nodeLink(nodeId.namespace(ctx.ns));
  return subjects.flatMap((s) =>
    runRules(INGRESSROUTE_RULES, s, ctx, { link, object: { kind: 'IngressRoute', namespace: ctx.ns, name: s.ingressRoute.metadata.name } }),
  );
}

/** The Gateway API findings of an HTTPRoute's draft, on its route node (or its edge to the Service). */
export function gatewayRouteFindings(ctx: NsContext, subject: GatewayRouteSubject): Finding[] {
  const object: ObjectRef = { kind: 'HTTPRoute', namespace: ctx.ns, name: subject.info.route.metadata.name };
  return runRules(GATEWAY_ROUTE_RULES, subject, ctx, { link: nodeLink(subject.claim.routeId), object });
}

/** A route's findings: its backend and its rivals, on the route node. */
export function routeFindings(ctx: NsContext, subject: RouteSubject): Finding[] {
  return runRules(ROUTE_RULES, subject, ctx, { link: nodeLink(subject.claim.routeId), object: routeRef(ctx.ns, subject.ingress) });
}

/** The conflicts of a route with the routes of other namespaces claiming the same thing. */
export function crossNamespaceConflicts(route: { id: string; claim: RouteClaim; rivals: RouteClaim[] }): Finding[] {
  return runRules([ROUTE_CONFLICT], route, undefined, { link: nodeLink(route.id), object: ingressRef(route.claim.namespace, route.claim.ingress, route.claim.kind) });
}

/** A Service port's findings, on the Service node. */
export function serviceFindings(ctx: NsContext, subject: ServiceSubject): Finding[] {
  const name = subject.service.metadata.name;
  const port = `${subject.port.port}`;
  return runRules(SERVICE_RULES, subject, ctx, { link: nodeLink(nodeId.service(name)), object: { kind: 'Service', namespace: ctx.ns, name }, key: port });
}

/** A Pod's finding, if any, on the Pod node. */
export function podFindings(ctx: NsContext, pod: SlimPod): Finding[] {
  const name = pod.metadata.name;
  return runRules(POD_RULES, podSubject(pod), ctx, { link: nodeLink(nodeId.pod(name)), object: { kind: 'Pod', namespace: ctx.ns, name } });
}

/** What each Ingress serving a host asks for: TLS (on the TLS node) and DNS (on the DNS node). */
export function hostFindings(ctx: NsContext, host: string, subjects: readonly HostSubject[]): Finding[] {
  const tls = nodeLink(nodeId.tls(host));
  const dns = nodeLink(nodeId.dns(host));
  const out: Finding[] = [];
  for (const h of subjects) {
    const object = routeRef(ctx.ns, h.ingress);
    out.push(...runRules(INGRESS_HOST_RULES, h, ctx, { link: tls, object }));
    out.push(...runRules(TLS_OBJECT_RULES, h, ctx, { link: tls, object }));
    out.push(...runRules(DNS_HOST_RULES, h, ctx, { link: dns, object }));
  }
  return out;
}

/**
 * What the host serves and how it resolves (probe results), judged against what the Ingresses publish;
 * about the first Ingress serving the host.
 */
export function probeFindings(ctx: NsContext, host: string, probes: HostProbes | undefined, expected: Expected, first: SlimIngress | undefined): Finding[] {
  const object = first ? routeRef(ctx.ns, first) : ingressRef(ctx.ns, '');
  const out: Finding[] = [];
  if (probes?.tls) out.push(...runRules(TLS_PROBE_RULES, { host, probe: probes.tls }, ctx, { link: nodeLink(nodeId.tls(host)), object }));
  if (probes?.dns) {
    const subject = { host, probe: probes.dns, expectedIps: expected.ips, expectedHostnames: expected.hostnames };
    out.push(...runRules(DNS_PROBE_RULES, subject, ctx, { link: nodeLink(nodeId.dns(host)), object }));
  }
  return out;
}

/** What could not be read, one finding per gap, on the given link (a domain, or the namespace). */
export function gapFindings(ctx: NsContext, gaps: readonly DataGap[], link: ChainLink): Finding[] {
  return gaps.flatMap((gap) => runRules(DATA_RULES, { gap }, ctx, { link, object: gapRef(gap, ctx.ns), key: gap.reason }));
}
