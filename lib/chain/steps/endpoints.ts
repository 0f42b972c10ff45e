/**
 * Endpoints and Pods: a Service port as the chain shows it - the endpoints of its EndpointSlices for
 * that port, their Pods, the selected Pods that have no endpoint - with the findings of the Service and
 * of those Pods. Each (Service, port) is built once per namespace, however many routes lead to it.
 * @see https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
 */
import type { EndpointCounts, EndpointNode, Finding, Health, ServiceNode } from '../../model/chain';
import { rollUp, worstHealth } from '../../model/health';
import { nodeId } from '../../model/ids';
import type { ServicePort, SlimService } from '../../model/k8s';
import type { DataGap } from '../../model/snapshot';
import { selectPods, type NsContext } from '../context';
import type { ServiceSubject } from '../rules/service';
import { linkServiceCauses } from './causes';
import { serviceFindings } from './findings';
import { PodCache } from './pods';

export interface ServiceChain {
  node: ServiceNode;
  /** The Service's findings, then those of its Pods. */
  findings: Finding[];
  /** The EndpointSlices that serve the port. */
  slices: string[];
}

/**
 * An endpoint's own health: ready or terminating is healthy (terminating is a rollout, not a fault), any
 * other is degraded. Its Pod, when known, can only make it worse.
 */
const readinessHealth = (c: { ready: boolean; terminating: boolean }): Health => (c.ready || c.terminating ? 'healthy' : 'degraded');

/** Serving/ready per the EndpointSlice API: unset `ready` is ready; unset `serving` follows `ready`. */
function conditions(c: { ready?: boolean; serving?: boolean; terminating?: boolean } | undefined) {
  const ready = c?.ready ?? true;
  return { ready, serving: c?.serving ?? ready, terminating: c?.terminating ?? false };
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type BaseNode = Omit<ServiceNode, 'endpoints' | 'counts' | 'podsWithoutEndpoint' | 'health'>;

function baseNode(svc: SlimService): BaseNode {
  const node: BaseNode = { id: nodeId.service(svc.metadata.name), name: svc.metadata.name, type: svc.spec?.type ?? 'ClusterIP', ports: svc.spec?.ports ?? [] };
  if (svc.spec?.selector && Object.keys(svc.spec.selector).length > 0) node.selector = svc.spec.selector;
  if (svc.spec?.externalName) node.externalName = svc.spec.externalName;
  return node;
}

/** The Service ports of a namespace's chains, and the Pods they reach. */
export class ServiceChains {
  private readonly chains = new Map<string, ServiceChain>();
  /** Gaps that make a Service unknown: all the chain's but the Ingress one. */
  private readonly gaps: DataGap[];
  readonly pods: PodCache;

  constructor(private readonly ctx: NsContext) {
    this.gaps = ctx.chainGaps.filter((g) => g.kind !== 'Ingress');
    this.pods = new PodCache(ctx);
  }

  /** A Service at a port; without a port (the backend did not resolve), the Service alone. */
  get(svc: SlimService, port: ServicePort | undefined): ServiceChain {
    const name = svc.metadata.name;
    const key = port ? `${name}\u0000${port.name ?? ''}\u0000${port.port}` : `${name}\u0000-`;
    const cached = this.chains.get(key);
    if (cached) return cached;
    const r = port ? this.build(svc, port) : this.unresolved(svc);
    this.chains.set(key, r);
    return r;
  }

  /** The backend port did not resolve: the route carries the finding; nothing below is judged. */
  private unresolved(svc: SlimService): ServiceChain {
    const counts = { ready: 0, notReady: 0, terminating: 0, total: 0 };
    const node: ServiceNode = { ...baseNode(svc), endpoints: [], counts, podsWithoutEndpoint: [], health: rollUp([], this.gaps) };
    return { node, findings: [], slices: [] };
  }

  private build(svc: SlimService, port: ServicePort): ServiceChain {
    const ctx = this.ctx;
    const external = svc.spec?.type === 'ExternalName';
    const selector = svc.spec?.selector && Object.keys(svc.spec.selector).length > 0 ? svc.spec.selector : undefined;
    const selected = !external && selector ? selectPods(ctx, selector) : [];
    const slices = external ? [] : (ctx.slicesByService.get(svc.metadata.name) ?? []);
    const portName = port.name ?? '';
    const endpoints: EndpointNode[] = [];
    const withEndpoint = new Set<string>();
    const podFindings: Finding[] = [];
    // Why endpoints are not ready: the findings of their Pods (causes of the Service's symptoms).
    const notReadyPodFindings: Finding[] = [];
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
          health: readinessHealth(c),
        };
        if (e.nodeName) node.nodeName = e.nodeName;
        if (e.zone) node.zone = e.zone;
        if (sp.port !== undefined) node.port = sp.port;
        const t = e.targetRef;
        if (t?.name) {
          node.targetRef = { kind: t.kind ?? 'Pod', namespace: t.namespace ?? ctx.ns, name: t.name };
          if ((t.kind ?? 'Pod') === 'Pod') {
            withEndpoint.add(t.name);
            const pr = this.pods.get(t.name);
            if (pr) {
              node.pod = pr.summary;
              node.health = worstHealth(node.health, pr.summary.health);
              podFindings.push(...pr.findings);
              if (!c.ready && !c.terminating) notReadyPodFindings.push(...pr.findings);
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
    const withoutEndpointFindings: Finding[] = [];
    const podsWithoutEndpoint = selected
      .filter((p) => !withEndpoint.has(p.metadata.name))
      .sort((a, b) => cmpStr(a.metadata.name, b.metadata.name))
      .map((p) => {
        const pr = this.pods.get(p.metadata.name)!;
        podFindings.push(...pr.findings);
        withoutEndpointFindings.push(...pr.findings);
        return pr.summary;
      });
    const subject: ServiceSubject = { service: svc, port, selected, slices, endpoints, counts };
    if (selector) subject.selector = selector;
    const own = linkServiceCauses(serviceFindings(ctx, subject), {
      'not-ready-endpoint-pods': notReadyPodFindings,
      'pods-without-endpoint': withoutEndpointFindings,
    });
    const findings = [...own, ...podFindings];
    const node: ServiceNode = { ...baseNode(svc), port, endpoints, counts, podsWithoutEndpoint, health: rollUp(findings, this.gaps) };
    return { node, findings, slices: usedSlices };
  }
}
