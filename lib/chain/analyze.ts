/**
 * The analysis: per namespace, every domain's chain Ingress rule -> Service port -> EndpointSlice
 * endpoints -> Pods, with the findings of the rule catalogue and the health roll-up; then `combine`
 * merges the namespaces (a host claimed from several namespaces is one domain). Pure: no I/O, no clock.
 */
import type {
  AnalysisResult,
  DnsState,
  DomainChain,
  EndpointCounts,
  EndpointNode,
  EventSummary,
  Finding,
  HealthCounts,
  NamespaceSummary,
  RouteBackendRef,
  RouteNode,
  ServiceNode,
  TlsSource,
  TlsState,
} from '../model/chain';
import type { IngressBackend, ObjectRef, ServiceBackendPort, ServicePort, SlimEvent, SlimIngress, SlimService } from '../model/k8s';
import type { DataGap, Snapshot } from '../model/snapshot';
import { buildNsContext, CHAIN_KINDS, eventNamespace, selectPods, type NsContext } from './context';
import { compareHealth, rollUp, sortFindings, worstHealth } from '../model/health';
import { normalizeHost } from './hosts';
import { nodeId, nodeLink } from '../model/ids';
import { resolveOptions, type AnalyzeOptions, type ResolvedOptions } from './options';
import { analyzePod, type PodResult } from './pods';
import { DATA_RULES } from './rules/data';
import { DNS_HOST_RULES, DNS_PROBE_RULES, EXTERNAL_DNS_HOSTNAME, EXTERNAL_DNS_TARGET, splitHostnames } from './rules/dns';
import {
  claimKey,
  conflictHit,
  INGRESS_HOST_RULES,
  INGRESS_NAMESPACE_RULES,
  INGRESS_RULES,
  resolveClass,
  ROUTE_RULES,
  type RouteClaim,
  type RouteSubject,
} from './rules/ingress';
import { SERVICE_RULES, type ServiceSubject } from './rules/service';
import { hostSubject, TLS_OBJECT_RULES, TLS_PROBE_RULES, type HostSubject } from './rules/tls';
import { runRules } from './rules/types';

/** One namespace's share of the analysis; `combine` merges them. */
export interface NamespaceAnalysis {
  namespace: string;
  /** The domains served from this namespace, as seen from it alone. */
  domains: DomainChain[];
  summary: NamespaceSummary;
}

const PROBE_CODES: ReadonlySet<string> = new Set([...TLS_PROBE_RULES, ...DNS_PROBE_RULES].map((r) => r.code));
const ROUTE_CONFLICT = ROUTE_RULES.find((r) => r.code === 'ingress.route-conflict')!;

const ingressRef = (ns: string, name: string): ObjectRef => ({ kind: 'Ingress', namespace: ns, name });
const uniqSorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Domains worst health first, then by host. */
export function compareDomains(a: DomainChain, b: DomainChain): number {
  return compareHealth(a.health, b.health) || cmpStr(a.host, b.host);
}

// ---------------------------------------------------------------------------------------------------
// Services and endpoints

interface ServiceResult {
  node: ServiceNode;
  /** Service findings and the findings of its Pods. */
  findings: Finding[];
  slices: string[];
}

function resolvePort(svc: SlimService, want: ServiceBackendPort | undefined): ServicePort | undefined {
  if (!want) return undefined;
  const ports = svc.spec?.ports ?? [];
  if (want.name !== undefined && want.name !== '') return ports.find((p) => p.name === want.name);
  if (want.number !== undefined) return ports.find((p) => p.port === want.number);
  return undefined;
}

/** Serving/ready per the EndpointSlice API: unset `ready` is ready; unset `serving` follows `ready`. */
function conditions(c: { ready?: boolean; serving?: boolean; terminating?: boolean } | undefined) {
  const ready = c?.ready ?? true;
  return { ready, serving: c?.serving ?? ready, terminating: c?.terminating ?? false };
}

class NamespaceAnalyzer {
  private readonly pods = new Map<string, PodResult>();
  private readonly services = new Map<string, ServiceResult>();
  /** Warning events by involved kind, then name. */
  private readonly eventsByObject = new Map<string, Map<string, SlimEvent[]>>();
  private readonly serviceGaps: DataGap[];

  constructor(private readonly ctx: NsContext) {
    this.serviceGaps = ctx.chainGaps.filter((g) => g.kind !== 'Ingress');
    for (const e of ctx.warningEvents) {
      const kind = e.involvedObject.kind ?? '';
      let byName = this.eventsByObject.get(kind);
      if (!byName) this.eventsByObject.set(kind, (byName = new Map()));
      const name = e.involvedObject.name ?? '';
      const list = byName.get(name);
      if (list) list.push(e);
      else byName.set(name, [e]);
    }
  }

  pod(name: string): PodResult | undefined {
    const cached = this.pods.get(name);
    if (cached) return cached;
    const p = this.ctx.pods.get(name);
    if (!p) return undefined;
    const r = analyzePod(p, this.ctx);
    this.pods.set(name, r);
    return r;
  }

  /** Pods analysed so far: those of some chain. */
  chainPods(): PodResult[] {
    return [...this.pods.values()];
  }

  service(svc: SlimService, port: ServicePort | undefined): ServiceResult {
    const name = svc.metadata.name;
    const key = port ? `${name}\u0000${port.name ?? ''}\u0000${port.port}` : `${name}\u0000-`;
    const cached = this.services.get(key);
    if (cached) return cached;
    const r = port ? this.analyzeService(svc, port) : this.unresolvedService(svc);
    this.services.set(key, r);
    return r;
  }

  private baseNode(svc: SlimService): Omit<ServiceNode, 'endpoints' | 'counts' | 'podsWithoutEndpoint' | 'health'> {
    const node: Omit<ServiceNode, 'endpoints' | 'counts' | 'podsWithoutEndpoint' | 'health'> = {
      id: nodeId.service(svc.metadata.name),
      name: svc.metadata.name,
      type: svc.spec?.type ?? 'ClusterIP',
      ports: svc.spec?.ports ?? [],
    };
    if (svc.spec?.selector && Object.keys(svc.spec.selector).length > 0) node.selector = svc.spec.selector;
    if (svc.spec?.externalName) node.externalName = svc.spec.externalName;
    return node;
  }

  /** The backend port did not resolve: the route carries the finding; nothing below is judged. */
  private unresolvedService(svc: SlimService): ServiceResult {
    const node: ServiceNode = {
      ...this.baseNode(svc),
      endpoints: [],
      counts: { ready: 0, notReady: 0, terminating: 0, total: 0 },
      podsWithoutEndpoint: [],
      health: rollUp([], this.serviceGaps),
    };
    return { node, findings: [], slices: [] };
  }

  private analyzeService(svc: SlimService, port: ServicePort): ServiceResult {
    const ctx = this.ctx;
    const name = svc.metadata.name;
    const external = svc.spec?.type === 'ExternalName';
    const selector = svc.spec?.selector && Object.keys(svc.spec.selector).length > 0 ? svc.spec.selector : undefined;
    const selected = !external && selector ? selectPods(ctx, selector) : [];
    const slices = external ? [] : (ctx.slicesByService.get(name) ?? []);
    const portName = port.name ?? '';
    const endpoints: EndpointNode[] = [];
    const withEndpoint = new Set<string>();
    const podFindings: Finding[] = [];
    const usedSlices: string[] = [];
    for (const slice of slices) {
      // Slices name their ports after the Service port ('' when the Service port is unnamed).
      const sp = slice.ports?.find((p) => (p.name ?? '') === portName);
      if (!sp) continue;
      usedSlices.push(slice.metadata.name);
      for (const e of slice.endpoints ?? []) {
        const c = conditions(e.conditions);
        const first = e.addresses[0] ?? e.targetRef?.name ?? String(endpoints.length);
        const node: EndpointNode = {
          id: nodeId.endpoint(slice.metadata.name, first),
          slice: slice.metadata.name,
          addressType: slice.addressType,
          addresses: e.addresses,
          ready: c.ready,
          serving: c.serving,
          terminating: c.terminating,
          health: c.ready || c.terminating ? 'healthy' : 'degraded',
        };
        if (e.nodeName) node.nodeName = e.nodeName;
        if (e.zone) node.zone = e.zone;
        if (sp.port !== undefined) node.port = sp.port;
        const t = e.targetRef;
        if (t?.name) {
          node.targetRef = { kind: t.kind ?? 'Pod', namespace: t.namespace ?? ctx.ns, name: t.name };
          if ((t.kind ?? 'Pod') === 'Pod') {
            withEndpoint.add(t.name);
            const pr = this.pod(t.name);
            if (pr) {
              node.pod = pr.summary;
              node.health = worstHealth(node.health, pr.summary.health);
              podFindings.push(...pr.findings);
            }
          }
        }
        endpoints.push(node);
      }
    }
    // Endpoints stay in slice order (slices sorted by name, endpoints as the controller wrote them).
    const counts: EndpointCounts = { ready: 0, notReady: 0, terminating: 0, total: endpoints.length };
    for (const e of endpoints) {
      if (e.ready) counts.ready++;
      else if (e.terminating) counts.terminating++;
      else counts.notReady++;
    }
    const podsWithoutEndpoint = selected
      .filter((p) => !withEndpoint.has(p.metadata.name))
      .sort((a, b) => cmpStr(a.metadata.name, b.metadata.name))
      .map((p) => {
        const pr = this.pod(p.metadata.name)!;
        podFindings.push(...pr.findings);
        return pr.summary;
      });
    const subject: ServiceSubject = { service: svc, port, selected, slices, endpoints, counts };
    if (selector) subject.selector = selector;
    const svcFindings = runRules(SERVICE_RULES, subject, ctx, {
      link: nodeLink(nodeId.service(name)),
      object: { kind: 'Service', namespace: ctx.ns, name },
    });
    const findings = [...svcFindings, ...podFindings];
    const node: ServiceNode = {
      ...this.baseNode(svc),
      port,
      endpoints,
      counts,
      podsWithoutEndpoint,
      health: rollUp(findings, this.serviceGaps),
    };
    return { node, findings, slices: usedSlices };
  }

  // -------------------------------------------------------------------------------------------------
  // Ingresses, routes and domains

  run(): NamespaceAnalysis {
    const ctx = this.ctx;
    const ns = ctx.ns;
    const nsFindings: Finding[] = [];
    const byHost = new Map<string, RouteDraft[]>();
    const ingressFindings = new Map<string, Finding[]>();
    const referenced = new Set<string>();

    for (const ing of ctx.ingresses) {
      const name = ing.metadata.name;
      const cls = resolveClass(ing, ctx);
      const at = { link: nodeLink(nodeId.ingress(name)), object: ingressRef(ns, name) };
      ingressFindings.set(name, runRules(INGRESS_RULES, { ingress: ing, cls }, ctx, at));
      nsFindings.push(...runRules(INGRESS_NAMESPACE_RULES, { ingress: ing, cls }, ctx, at));
      const add = (draft: DraftInput) => {
        const claim: RouteClaim = { namespace: ns, ingress: name, routeId: draft.id, host: draft.host, path: draft.path, pathType: draft.pathType };
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
          // A host rule without paths sends that host to the default backend, if there is one.
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

    // Routes of different Ingresses with the same class, host, path and pathType conflict.
    const claims = new Map<string, RouteClaim[]>();
    for (const drafts of byHost.values()) {
      for (const d of drafts) {
        const k = claimKey(d.claim);
        const list = claims.get(k);
        if (list) list.push(d.claim);
        else claims.set(k, [d.claim]);
      }
    }

    const domains: DomainChain[] = [];
    for (const host of [...byHost.keys()].sort()) {
      const drafts = byHost.get(host)!;
      domains.push(this.domain(host, drafts, claims, ingressFindings));
    }
    domains.sort(compareDomains);

    for (const gap of ctx.gaps) {
      nsFindings.push(...runRules(DATA_RULES, { gap }, ctx, { link: nodeLink(nodeId.namespace(ns)), object: gapRef(gap, ns) }));
    }

    const warningEvents = ctx.warningEvents.slice().sort(compareEvents).slice(0, ctx.opts.maxEvents).map(eventSummary);
    const unhealthyPods = this.chainPods()
      .map((p) => p.summary)
      .filter((p) => p.health !== 'healthy')
      .sort((a, b) => cmpStr(a.name, b.name));
    const summary = summarize(
      {
        name: ns,
        domainCount: domains.length,
        hosts: domains.map((d) => d.host).sort(),
        findings: sortFindings(nsFindings),
        unreachableServices: [...ctx.services.keys()].filter((s) => !referenced.has(s)).sort(),
        unhealthyPods,
        warningEvents,
        gaps: ctx.gaps,
      },
      domains,
      ctx.opts,
    );
    return { namespace: ns, domains, summary };
  }

  private route(d: RouteDraft, rivals: RouteClaim[], ingressFindings: Finding[]): { node: RouteNode; findings: Finding[]; slices: string[] } {
    const ctx = this.ctx;
    const svcName = d.backend?.service?.name;
    const svc = svcName ? ctx.services.get(svcName) : undefined;
    let port = svc ? resolvePort(svc, d.backend?.service?.port) : undefined;
    // An ExternalName Service need not declare ports: the backend's port number is used as is.
    if (svc && !port && svc.spec?.type === 'ExternalName' && (svc.spec.ports?.length ?? 0) === 0 && d.backend?.service?.port?.number !== undefined) {
      port = { port: d.backend.service.port.number };
    }
    const subject: RouteSubject = { ingress: d.ingress, claim: d.claim, isDefaultBackend: d.isDefaultBackend, noPaths: d.noPaths, rivals };
    if (d.backend) subject.backend = d.backend;
    if (svc) subject.service = svc;
    if (port) subject.port = port;
    const routeFindings = runRules(ROUTE_RULES, subject, ctx, {
      link: nodeLink(d.claim.routeId),
      object: ingressRef(ctx.ns, d.ingress.metadata.name),
    });
    const sr = svc ? this.service(svc, port) : undefined;
    const findings = [...ingressFindings, ...routeFindings, ...(sr?.findings ?? [])];
    const node: RouteNode = {
      id: d.claim.routeId,
      namespace: ctx.ns,
      ingress: d.ingress.metadata.name,
      path: d.claim.path,
      pathType: d.claim.pathType,
      isDefaultBackend: d.isDefaultBackend,
      backend: backendRef(d.backend),
      health: rollUp(findings, ctx.chainGaps),
    };
    if (d.claim.ingressClass) node.ingressClass = d.claim.ingressClass;
    if (sr) node.service = sr.node;
    return { node, findings, slices: sr?.slices ?? [] };
  }

  private domain(host: string, drafts: RouteDraft[], claims: Map<string, RouteClaim[]>, ingressFindings: Map<string, Finding[]>): DomainChain {
    const ctx = this.ctx;
    const ns = ctx.ns;
    const routes: RouteNode[] = [];
    const findings: Finding[] = [];
    const events: SlimEvent[] = [];
    const wantEvents = this.eventsByObject.size > 0;
    const seen = new Set<SlimEvent[]>();
    const eventsOf = (kind: string, name: string) => {
      const list = this.eventsByObject.get(kind)?.get(name);
      if (list && !seen.has(list)) (seen.add(list), events.push(...list));
    };
    const ingresses: SlimIngress[] = [];
    for (const d of drafts) {
      const group = claims.get(claimKey(d.claim));
      const rivals = group && group.length > 1 ? group.filter((c) => c.ingress !== d.claim.ingress) : [];
      const r = this.route(d, rivals, ingressFindings.get(d.ingress.metadata.name) ?? []);
      routes.push(r.node);
      findings.push(...r.findings);
      if (!ingresses.includes(d.ingress)) ingresses.push(d.ingress);
      const svc = r.node.service;
      if (wantEvents) {
        eventsOf('Ingress', d.ingress.metadata.name);
        if (svc) {
          eventsOf('Service', svc.name);
          for (const s of r.slices) eventsOf('EndpointSlice', s);
          for (const e of svc.endpoints) if (e.pod) eventsOf('Pod', e.pod.name);
          for (const p of svc.podsWithoutEndpoint) eventsOf('Pod', p.name);
        }
      }
    }

    // TLS and DNS, judged per Ingress serving the host.
    const subjects: HostSubject[] = ingresses.map((ing) => hostSubject(ing, host, ctx));
    const tlsId = nodeId.tls(host);
    const dnsId = nodeId.dns(host);
    const tlsLink = nodeLink(tlsId);
    const dnsLink = nodeLink(dnsId);
    for (const h of subjects) {
      const object = ingressRef(ns, h.ingress.metadata.name);
      findings.push(...runRules(INGRESS_HOST_RULES, h, ctx, { link: tlsLink, object }));
      findings.push(...runRules(TLS_OBJECT_RULES, h, ctx, { link: tlsLink, object }));
      findings.push(...runRules(DNS_HOST_RULES, h, ctx, { link: dnsLink, object }));
    }
    const first = ingressRef(ns, ingresses[0]?.metadata.name ?? '');
    const probes = ctx.probes[host];
    if (probes?.tls) findings.push(...runRules(TLS_PROBE_RULES, { host, probe: probes.tls }, ctx, { link: tlsLink, object: first }));
    const published = publishedAddresses(ingresses);
    if (probes?.dns) {
      findings.push(
        ...runRules(DNS_PROBE_RULES, { host, probe: probes.dns, expectedIps: published.ips, expectedHostnames: published.hostnames }, ctx, {
          link: dnsLink,
          object: first,
        }),
      );
    }
    // IngressClass gaps are shown on the domain (the class link is unverified) but do not make it unknown:
    // a namespace-scoped install can never read the cluster-scoped IngressClasses, and every domain of it
    // would be unknown for ever. The rest of the chain is still judged, and the gap is named beside it.
    const classGaps = ctx.gaps.filter((g) => g.kind === 'IngressClass');
    for (const gap of [...ctx.chainGaps, ...classGaps]) {
      findings.push(...runRules(DATA_RULES, { gap }, ctx, { link: nodeLink(nodeId.domain(host)), object: gapRef(gap, ns) }));
    }

    const sorted = sortFindings(findings);
    const picked = subjects.find((s) => s.source.type !== 'none');
    const source: TlsSource = picked?.source ?? { type: 'none' };
    const tls: TlsState = {
      id: nodeId.tls(host),
      enabled: subjects.some((s) => s.tlsEnabled),
      source,
      health: rollUp(sorted.filter((f) => f.link.type === 'node' && f.link.id === tlsId)),
    };
    if (picked?.secret?.certificate) tls.secretCertificate = picked.secret.certificate;
    if (probes?.tls) tls.probe = probes.tls;
    const dns: DnsState = {
      id: nodeId.dns(host),
      annotatedHostnames: uniqSorted(ingresses.flatMap((i) => splitHostnames(i.metadata.annotations?.[EXTERNAL_DNS_HOSTNAME]))),
      loadBalancer: published.loadBalancer,
      health: rollUp(sorted.filter((f) => f.link.type === 'node' && f.link.id === dnsId)),
    };
    if (probes?.dns) dns.probe = probes.dns;

    return {
      host,
      namespace: ns,
      namespaces: [ns],
      health: rollUp(sorted, ctx.chainGaps),
      routes,
      tls,
      dns,
      findings: sorted,
      events: events.sort(compareEvents).slice(0, ctx.opts.maxEvents).map(eventSummary),
      gaps: [...ctx.chainGaps, ...classGaps],
    };
  }
}

/** A route before its Service is resolved: what the Ingress says. */
interface RouteDraft {
  ingress: SlimIngress;
  claim: RouteClaim;
  backend?: IngressBackend;
  isDefaultBackend: boolean;
  noPaths: boolean;
}

type DraftInput = Pick<RouteDraft, 'backend' | 'isDefaultBackend' | 'noPaths'> & Pick<RouteClaim, 'host' | 'path' | 'pathType'> & { id: string };

function backendRef(b: IngressBackend | undefined): RouteBackendRef {
  const out: RouteBackendRef = {};
  if (b?.service) out.service = { ...b.service, ...(b.service.port ? { port: { ...b.service.port } } : {}) };
  if (b?.resource) out.resource = { ...b.resource };
  return out;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const isIp = (s: string) => IPV4.test(s) || s.includes(':');

/** What the Ingresses publish: status.loadBalancer, and the external-dns target that overrides it. */
function publishedAddresses(ingresses: SlimIngress[]) {
  const lb: string[] = [];
  const ips: string[] = [];
  const hostnames: string[] = [];
  for (const ing of ingresses) {
    for (const l of ing.status?.loadBalancer?.ingress ?? []) {
      if (l.ip) (lb.push(l.ip), ips.push(l.ip));
      else if (l.hostname) (lb.push(normalizeHost(l.hostname)), hostnames.push(normalizeHost(l.hostname)));
    }
    for (const t of splitHostnames(ing.metadata.annotations?.[EXTERNAL_DNS_TARGET])) (isIp(t) ? ips : hostnames).push(t);
  }
  return { loadBalancer: uniqSorted(lb), ips: uniqSorted(ips), hostnames: uniqSorted(hostnames) };
}

function gapRef(gap: DataGap, ns: string): ObjectRef {
  // `*`: the finding is about every object of that kind in the namespace.
  return { kind: gap.kind, namespace: gap.namespace ?? ns, name: '*' };
}

// ---------------------------------------------------------------------------------------------------
// Events

const eventTime = (e: SlimEvent) => e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '';

/** Newest first; RFC 3339 UTC times compare as strings only when formatted alike, so parse. */
function compareEvents(a: SlimEvent, b: SlimEvent): number {
  const ta = Date.parse(eventTime(a)) || 0;
  const tb = Date.parse(eventTime(b)) || 0;
  return tb - ta || cmpStr(a.metadata.name, b.metadata.name);
}

function eventSummary(e: SlimEvent): EventSummary {
  const io = e.involvedObject;
  const ns = eventNamespace(e);
  const object: ObjectRef = ns ? { kind: io.kind ?? '', namespace: ns, name: io.name ?? '' } : { kind: io.kind ?? '', name: io.name ?? '' };
  const out: EventSummary = { object, type: e.type ?? 'Warning', reason: e.reason ?? '', message: e.message ?? '', count: e.count ?? 1 };
  const t = eventTime(e);
  if (t) out.lastTimestamp = t;
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Namespace summaries

type SummaryBase = Omit<NamespaceSummary, 'health' | 'counts' | 'worstFindings'>;

function summarize(base: SummaryBase, domains: DomainChain[], opts: ResolvedOptions): NamespaceSummary {
  const counts: HealthCounts = { healthy: 0, degraded: 0, down: 0, unknown: 0 };
  for (const d of domains) counts[d.health]++;
  const chainGaps = base.gaps.filter((g) => CHAIN_KINDS.has(g.kind));
  const health = worstHealth(rollUp(base.findings, chainGaps), ...domains.map((d) => d.health));
  const own = (f: Finding) => f.object.namespace === base.name;
  const worstFindings = sortFindings([...base.findings, ...domains.flatMap((d) => d.findings.filter(own))]).slice(0, opts.worstFindings);
  return {
    name: base.name,
    health,
    domainCount: base.domainCount,
    counts,
    hosts: base.hosts,
    worstFindings,
    findings: base.findings,
    unreachableServices: base.unreachableServices,
    unhealthyPods: base.unhealthyPods,
    warningEvents: base.warningEvents,
    gaps: base.gaps,
  };
}

// ---------------------------------------------------------------------------------------------------
// Public API

/**
 * Analyse one namespace. The snapshot may be that namespace's part (from `partitionSnapshot`) or the
 * whole snapshot: objects of other namespaces are ignored either way, since Ingress backends are
 * always same-namespace.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#the-ingress-resource
 */
export function analyzeNamespace(snapshot: Snapshot, namespace: string, options: AnalyzeOptions): NamespaceAnalysis {
  const ctx = buildNsContext(snapshot, namespace, resolveOptions(options));
  return new NamespaceAnalyzer(ctx).run();
}

/** Does a namespace name match the prefix (`''` matches all)? */
export const matchesPrefix = (ns: string, prefix: string) => ns.startsWith(prefix);

/**
 * Split a snapshot per namespace: each part holds that namespace's objects (events by the namespace of
 * the object they are about), the cluster-scoped lists (Namespaces, IngressClasses) and probe results
 * as they are, and the gaps of that namespace plus the cluster-wide ones, in their original order.
 * Every namespace that has a Namespace object, an object, or a gap gets a part; with
 * `namespacePrefix` only the matching ones.
 */
export function partitionSnapshot(s: Snapshot, options: { namespacePrefix?: string } = {}): Map<string, Snapshot> {
  const prefix = options.namespacePrefix;
  const parts = new Map<string, Snapshot>();
  const part = (ns: string | undefined): Snapshot | undefined => {
    if (!ns || (prefix !== undefined && !ns.startsWith(prefix))) return undefined;
    let p = parts.get(ns);
    if (!p) {
      p = { namespaces: s.namespaces, ingressClasses: s.ingressClasses, ingresses: [], services: [], endpointSlices: [], pods: [], events: [], gaps: [] };
      if (s.tlsSecrets) p.tlsSecrets = [];
      if (s.certificates) p.certificates = [];
      if (s.probes) p.probes = s.probes;
      parts.set(ns, p);
    }
    return p;
  };
  for (const n of s.namespaces) part(n.metadata.name);
  for (const o of s.ingresses) part(o.metadata.namespace)?.ingresses.push(o);
  for (const o of s.services) part(o.metadata.namespace)?.services.push(o);
  for (const o of s.endpointSlices) part(o.metadata.namespace)?.endpointSlices.push(o);
  for (const o of s.pods) part(o.metadata.namespace)?.pods.push(o);
  for (const o of s.events) part(eventNamespace(o))?.events.push(o);
  for (const o of s.tlsSecrets ?? []) part(o.metadata.namespace)?.tlsSecrets?.push(o);
  for (const o of s.certificates ?? []) part(o.metadata.namespace)?.certificates?.push(o);
  for (const g of s.gaps ?? []) if (g.namespace) part(g.namespace);
  for (const g of s.gaps ?? []) {
    if (g.namespace) parts.get(g.namespace)?.gaps!.push(g);
    else for (const p of parts.values()) p.gaps!.push(g);
  }
  return parts;
}

/** Merge the chains of one host claimed from several namespaces. */
function mergeDomains(list: DomainChain[], opts: ResolvedOptions): DomainChain {
  const host = list[0]!.host;
  // Route conflicts across namespaces: each namespace only saw its own.
  const claims = new Map<string, { claim: RouteClaim; route: RouteNode }[]>();
  for (const d of list) {
    for (const r of d.routes) {
      const claim: RouteClaim = { namespace: r.namespace, ingress: r.ingress, routeId: r.id, host, path: r.path, pathType: r.pathType };
      if (r.ingressClass) claim.ingressClass = r.ingressClass;
      const k = claimKey(claim);
      const l = claims.get(k);
      if (l) l.push({ claim, route: r });
      else claims.set(k, [{ claim, route: r }]);
    }
  }
  const extra: Finding[] = [];
  const conflicted = new Set<RouteNode>();
  for (const group of claims.values()) {
    for (const a of group) {
      for (const b of group) {
        if (a.claim.namespace === b.claim.namespace) continue;
        const hit = conflictHit(a.claim, b.claim);
        extra.push({
          code: ROUTE_CONFLICT.code,
          severity: ROUTE_CONFLICT.severity,
          link: nodeLink(a.route.id),
          object: ingressRef(a.claim.namespace, a.claim.ingress),
          message: hit.message,
          hint: hit.hint,
        });
        conflicted.add(a.route);
      }
    }
  }
  const routes = list.flatMap((d) => d.routes).map((r) => (conflicted.has(r) ? { ...r, health: worstHealth(r.health, 'degraded') } : r));
  // Probe results are per host: every namespace judged the same ones; keep the first namespace's.
  const findings = sortFindings([...list.flatMap((d, i) => (i === 0 ? d.findings : d.findings.filter((f) => !PROBE_CODES.has(f.code)))), ...extra]);
  const gapKeys = new Set<string>();
  const gaps = list.flatMap((d) => d.gaps).filter((g) => {
    const k = `${g.reason}\u0000${g.kind}\u0000${g.namespace ?? ''}\u0000${g.message}`;
    if (gapKeys.has(k)) return false;
    gapKeys.add(k);
    return true;
  });
  const tlsId = nodeId.tls(host);
  const dnsId = nodeId.dns(host);
  const withTls = list.find((d) => d.tls.source.type !== 'none');
  const tls: TlsState = {
    id: tlsId,
    enabled: list.some((d) => d.tls.enabled),
    source: withTls?.tls.source ?? { type: 'none' },
    health: rollUp(findings.filter((f) => f.link.type === 'node' && f.link.id === tlsId)),
  };
  if (withTls?.tls.secretCertificate) tls.secretCertificate = withTls.tls.secretCertificate;
  const tlsProbe = list.find((d) => d.tls.probe)?.tls.probe;
  if (tlsProbe) tls.probe = tlsProbe;
  const dns: DnsState = {
    id: dnsId,
    annotatedHostnames: uniqSorted(list.flatMap((d) => d.dns.annotatedHostnames)),
    loadBalancer: uniqSorted(list.flatMap((d) => d.dns.loadBalancer)),
    health: rollUp(findings.filter((f) => f.link.type === 'node' && f.link.id === dnsId)),
  };
  const dnsProbe = list.find((d) => d.dns.probe)?.dns.probe;
  if (dnsProbe) dns.probe = dnsProbe;
  const events = list
    .flatMap((d) => d.events)
    .sort((a, b) => (Date.parse(b.lastTimestamp ?? '') || 0) - (Date.parse(a.lastTimestamp ?? '') || 0))
    .slice(0, opts.maxEvents);
  const namespaces = uniqSorted(list.flatMap((d) => d.namespaces));
  return { host, namespace: namespaces[0]!, namespaces, health: rollUp(findings, gaps), routes, tls, dns, findings, events, gaps };
}

/**
 * Merge per-namespace analyses into the result: namespaces not matching the prefix are dropped, a host
 * claimed from several namespaces becomes one domain (with cross-namespace `ingress.route-conflict`
 * findings), the summaries of those namespaces are re-rolled, and everything is sorted. Cheap: the
 * work is in `analyzeNamespace`, so the live cache re-analyses only the namespace that changed.
 */
export function combine(parts: NamespaceAnalysis[], options: AnalyzeOptions): AnalysisResult {
  const opts = resolveOptions(options);
  const byNs = new Map<string, NamespaceAnalysis>();
  for (const p of parts) if (matchesPrefix(p.namespace, opts.namespacePrefix)) byNs.set(p.namespace, p);
  const sorted = [...byNs.values()].sort((a, b) => cmpStr(a.namespace, b.namespace));

  const byHost = new Map<string, DomainChain[]>();
  for (const p of sorted) {
    for (const d of p.domains) {
      const l = byHost.get(d.host);
      if (l) l.push(d);
      else byHost.set(d.host, [d]);
    }
  }
  const domains: DomainChain[] = [];
  const touched = new Map<string, DomainChain[]>();
  for (const list of byHost.values()) {
    if (list.length === 1) {
      domains.push(list[0]!);
      continue;
    }
    const merged = mergeDomains(list, opts);
    domains.push(merged);
    for (const ns of merged.namespaces) touched.set(ns, []);
  }
  domains.sort(compareDomains);
  if (touched.size > 0) for (const d of domains) for (const ns of d.namespaces) touched.get(ns)?.push(d);

  const namespaces = sorted.map((p) => {
    const own = touched.get(p.namespace);
    return own ? summarize(p.summary, own, opts) : p.summary;
  });
  return { namespacePrefix: opts.namespacePrefix, analyzedAt: opts.now.toISOString(), domains, namespaces };
}

/**
 * Analyse a snapshot: every namespace matching the prefix that has a Namespace object, any object or a
 * gap (dumps of `kubectl get ... -A` often lack the Namespace objects). Equal by construction to
 * `combine` over `analyzeNamespace` of each part of `partitionSnapshot`.
 */
export function analyze(snapshot: Snapshot, options: AnalyzeOptions): AnalysisResult {
  const parts = partitionSnapshot(snapshot, { namespacePrefix: resolveOptions(options).namespacePrefix });
  return combine(
    [...parts].map(([ns, part]) => analyzeNamespace(part, ns, options)),
    options,
  );
}

