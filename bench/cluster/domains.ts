/**
 * The synthetic cluster's domains as the benchmark uses them: which Pods and EndpointSlice each has,
 * how to turn one of its Pods not ready in the API server, and how to see that in an answer.
 */
import type { DemoServer } from '../../demo/server';
import type { K8sObject } from '../synthetic';

/** One domain of the synthetic cluster. */
export interface DomainInfo {
  host: string;
  ns: string;
  app: string;
  /** The kind of its route object. */
  route: 'Ingress' | 'HTTPRoute';
  /** The cluster serving it (its name in CHAINBOARD_CONTEXTS). */
  cluster: string;
  pods: string[];
  slice?: string;
  /** Every Pod ready and an EndpointSlice: a Pod turning not ready is a visible change. */
  healthy: boolean;
}

/** The domains of a synthetic cluster (one per Ingress or HTTPRoute), with their Pods and EndpointSlice. */
export function indexDomains(objects: K8sObject[], cluster: string): DomainInfo[] {
  const byKey = new Map<string, DomainInfo>();
  const key = (ns: string, app: string) => `${ns}/${app}`;
  const meta = (o: K8sObject) => o.metadata as { name: string; namespace?: string; labels?: Record<string, string> };
  for (const o of objects) {
    if (o.kind !== 'Ingress' && o.kind !== 'HTTPRoute') continue;
    const m = meta(o);
    const host = o.kind === 'Ingress' ? (o.spec as { rules?: { host?: string }[] }).rules?.[0]?.host : (o.spec as { hostnames?: string[] }).hostnames?.[0];
    if (host) byKey.set(key(m.namespace!, m.name), { host, ns: m.namespace!, app: m.name, route: o.kind, cluster, pods: [], healthy: true });
  }
  for (const o of objects) {
    const m = meta(o);
    if (o.kind === 'Pod') {
      const d = byKey.get(key(m.namespace!, m.labels?.app ?? ''));
      if (!d) continue;
      d.pods.push(m.name);
      const st = o.status as { conditions?: { type: string; status: string }[] };
      if (!st.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) d.healthy = false;
    } else if (o.kind === 'EndpointSlice') {
      const d = byKey.get(key(m.namespace!, m.labels?.['kubernetes.io/service-name'] ?? ''));
      if (d) d.slice = m.name;
      if (d && !(o as { endpoints?: unknown[] | null }).endpoints?.length) d.healthy = false;
    }
  }
  const out = [...byKey.values()];
  for (const d of out) if (!d.slice || d.pods.length === 0) d.healthy = false;
  return out;
}

/**
 * Healthy domains, each handed out once: a change is only visible on a domain no earlier change
 * touched.
 */
export function healthyDomainPool(domains: readonly DomainInfo[], rand: () => number): () => DomainInfo {
  const unused = domains.filter((d) => d.healthy);
  return () => {
    const i = Math.floor(rand() * unused.length);
    const d = unused[i]!;
    unused.splice(i, 1);
    return d;
  };
}

/** Turn a Pod (and its endpoint, as the endpointslice controller would next) not ready in the API server. */
export function podNotReady(demo: DemoServer, d: DomainInfo, pod: string): void {
  demo.patch('Pod', d.ns, pod, (o) => {
    const st = (o as unknown as { status: { conditions?: { type: string; status: string; reason?: string }[]; containerStatuses?: { ready: boolean }[] } }).status;
    for (const c of st.conditions ?? []) {
      if (c.type === 'Ready' || c.type === 'ContainersReady') {
        c.status = 'False';
        c.reason = 'ContainersNotReady';
      }
    }
    for (const cs of st.containerStatuses ?? []) cs.ready = false;
  });
  demo.patch('EndpointSlice', d.ns, d.slice!, (o) => {
    for (const ep of (o as { endpoints?: { targetRef?: { name?: string }; conditions?: { ready?: boolean; serving?: boolean } }[] }).endpoints ?? []) {
      if (ep.targetRef?.name === pod) ep.conditions = { ...ep.conditions, ready: false, serving: false };
    }
  });
}

/** Does a domain (as the API serves it) show the Pod and its endpoint not ready? */
export function showsNotReady(domain: unknown, pod: string): boolean {
  const routes = (domain as { routes?: { service?: { endpoints?: { ready?: boolean; targetRef?: { name?: string }; pod?: { ready?: boolean } }[] } }[] }).routes ?? [];
  for (const r of routes) {
    for (const ep of r.service?.endpoints ?? []) {
      if (ep.targetRef?.name === pod) return ep.ready === false && ep.pod?.ready === false;
    }
  }
  return false;
}

/** Is a domain (a chain, as the engine or the API gives it) served through a Gateway API HTTPRoute? */
export function gatewayRouted(domain: { routes?: { kind?: string }[] }): boolean {
  return (domain.routes ?? []).some((r) => r.kind === 'HTTPRoute');
}

/**
 * The API path of a domain: `/api/v1/domains/{host}`, with `?cluster=` when the run has several clusters
 * (as the overview's links ask for a domain of one cluster).
 */
export function domainPath(cluster: { servers: readonly unknown[] }, d: Pick<DomainInfo, 'host' | 'cluster'>): string {
  const path = `/api/v1/domains/${encodeURIComponent(d.host)}`;
  return cluster.servers.length > 1 ? `${path}?cluster=${encodeURIComponent(d.cluster)}` : path;
}
