/**
 * Which domains an object is on: from an AnalysisResult, (kind, namespace, name) -> the hosts whose chain
 * holds it - the Ingresses of its routes, their backend Services, the EndpointSlices and Pods behind
 * them, the Pods' owning workloads, the TLS Secret and cert-manager Certificate, and every object a
 * finding of the chain is about. The recorder attributes each change to hosts through it.
 *
 * Objects that a rollout creates have names the last analysis never saw (a new ReplicaSet hash, new Pods,
 * a new EndpointSlice), so they are found through what stays put: a Pod by its workload (the ReplicaSet
 * name without its hash) or by the selectors of the chain's Services, an EndpointSlice by the Service it
 * is labelled with.
 *
 * A watch event costs one namespace, not the cluster: the index is built per namespace, on the first
 * lookup in it, and only for the domains with routes there.
 */
import type { AnalysisResult, DomainChain } from '../model/chain';

/** The Deployment-like workload of a Pod owner: a ReplicaSet's name without its `-<pod-template-hash>`. */
export function workloadOf(ownerKind: string, ownerName: string): string {
  return ownerKind === 'ReplicaSet' ? ownerName.replace(/-[^-]+$/, '') : ownerName;
}

/** Labels an object carries, and the selectors of a chain's Services, as the index matches them. */
type Labels = Readonly<Record<string, string>> | undefined;

interface NamespaceIndex {
  /** `Kind/name` -> hosts; `Workload/<name>` for Pod owners. */
  byKey: Map<string, Set<string>>;
  /** The chain Services' selectors with their hosts, for Pods the analysis has not seen yet. */
  selectors: { selector: Record<string, string>; hosts: Set<string> }[];
}

export interface ChainIndex {
  readonly result: AnalysisResult;
  /** Hosts whose chain holds the object, sorted. */
  hosts(kind: string, namespace: string, name: string): string[];
  /** Hosts of a Pod: its name, its workload, and the chain Services whose selector matches its labels. */
  podHosts(namespace: string, name: string, labels: Labels, owner?: { kind: string; name: string }): string[];
  /** Hosts of an EndpointSlice: its name and the Service it is labelled with. */
  sliceHosts(namespace: string, name: string, serviceName?: string): string[];
}

const add = (m: Map<string, Set<string>>, key: string, host: string) => {
  let s = m.get(key);
  if (!s) m.set(key, (s = new Set()));
  s.add(host);
};

/** Index one domain's chain objects in `ns` into `idx`. */
function indexDomain(d: DomainChain, ns: string, idx: NamespaceIndex): void {
  const host = d.host;
  const services = new Map<string, Record<string, string> | undefined>();
  for (const r of d.routes) {
    if (r.namespace !== ns) continue;
    add(idx.byKey, `Ingress/${r.ingress}`, host);
    const svcName = r.backend.service?.name;
    if (svcName) add(idx.byKey, `Service/${svcName}`, host);
    const svc = r.service;
    if (!svc) continue;
    services.set(svc.name, svc.selector);
    for (const e of svc.endpoints) {
      add(idx.byKey, `EndpointSlice/${e.slice}`, host);
      if (e.targetRef?.kind === 'Pod') add(idx.byKey, `Pod/${e.targetRef.name}`, host);
      const pod = e.pod;
      if (pod) {
        add(idx.byKey, `Pod/${pod.name}`, host);
        if (pod.owner) addOwner(idx, pod.owner, host);
      }
    }
    for (const pod of svc.podsWithoutEndpoint) {
      add(idx.byKey, `Pod/${pod.name}`, host);
      if (pod.owner) addOwner(idx, pod.owner, host);
    }
  }
  for (const [, selector] of services) {
    if (!selector || Object.keys(selector).length === 0) continue;
    const found = idx.selectors.find((s) => sameSelector(s.selector, selector));
    if (found) found.hosts.add(host);
    else idx.selectors.push({ selector, hosts: new Set([host]) });
  }
  if (d.namespace === ns) {
    const secret = d.tls.source.type === 'none' ? undefined : d.tls.source.secretName;
    if (secret) {
      add(idx.byKey, `Secret/${secret}`, host);
      // cert-manager's ingress-shim names the Certificate after the Secret it fills.
      add(idx.byKey, `Certificate/${secret}`, host);
    }
  }
  for (const f of d.findings) {
    if ((f.object.namespace ?? d.namespace) === ns) add(idx.byKey, `${f.object.kind}/${f.object.name}`, host);
  }
}

function addOwner(idx: NamespaceIndex, owner: string, host: string) {
  const slash = owner.indexOf('/');
  if (slash < 0) return;
  add(idx.byKey, `Workload/${workloadOf(owner.slice(0, slash), owner.slice(slash + 1))}`, host);
}

function sameSelector(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

function matches(selector: Record<string, string>, labels: Labels): boolean {
  if (!labels) return false;
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

const sorted = (s: Set<string>) => [...s].sort();

/**
 * An index over `result`, built lazily per namespace. Given the index of the previous result, a namespace
 * whose domains are the very same objects (the analysis store reuses those of namespaces it did not
 * re-analyse) reuses that namespace's index.
 */
export function buildChainIndex(result: AnalysisResult, previous?: ChainIndex): ChainIndex {
  const built = new Map<string, { domains: DomainChain[]; idx: NamespaceIndex }>();
  const before = (previous as IndexInternals | undefined)?.built;

  const nsIndex = (ns: string): NamespaceIndex => {
    const done = built.get(ns);
    if (done) return done.idx;
    // A scan, not a grouping of every domain: a watch event needs one namespace.
    const domains: DomainChain[] = [];
    for (const d of result.domains) if (d.namespace === ns || (d.namespaces.length > 1 && d.namespaces.includes(ns))) domains.push(d);
    const old = before?.get(ns);
    if (old && old.domains.length === domains.length && old.domains.every((d, i) => d === domains[i])) {
      built.set(ns, old);
      return old.idx;
    }
    const idx: NamespaceIndex = { byKey: new Map(), selectors: [] };
    for (const d of domains) indexDomain(d, ns, idx);
    built.set(ns, { domains, idx });
    return idx;
  };

  const collect = (ns: string, keys: string[], extra?: (idx: NamespaceIndex, into: Set<string>) => void): string[] => {
    const idx = nsIndex(ns);
    const out = new Set<string>();
    for (const k of keys) for (const h of idx.byKey.get(k) ?? []) out.add(h);
    extra?.(idx, out);
    return sorted(out);
  };

  const index: IndexInternals = {
    built,
    result,
    hosts: (kind, ns, name) => collect(ns, [`${kind}/${name}`]),
    podHosts: (ns, name, labels, owner) =>
      collect(ns, owner ? [`Pod/${name}`, `Workload/${workloadOf(owner.kind, owner.name)}`] : [`Pod/${name}`], (idx, out) => {
        for (const s of idx.selectors) if (matches(s.selector, labels)) for (const h of s.hosts) out.add(h);
      }),
    sliceHosts: (ns, name, serviceName) => collect(ns, serviceName ? [`EndpointSlice/${name}`, `Service/${serviceName}`] : [`EndpointSlice/${name}`]),
  };
  return index;
}

/** What a later index reuses of an earlier one. */
interface IndexInternals extends ChainIndex {
  built: Map<string, { domains: DomainChain[]; idx: NamespaceIndex }>;
}
