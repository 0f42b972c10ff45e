/**
 * The per-namespace index the rules read: objects by name and by label, so that a namespace with
 * thousands of Pods is analysed in time linear in its objects. Built from a snapshot that may hold other
 * namespaces too (they are skipped).
 */
import type {
  ResourceKind,
  SlimCertManagerCertificate,
  SlimEndpointSlice,
  SlimEvent,
  SlimIngress,
  SlimIngressClass,
  SlimPod,
  SlimService,
  SlimTlsSecret,
  SlimTraefikIngressRoute,
} from '../model/k8s';
import { gatewayApiIndex, type GatewayApiIndex } from './gateway-api';
import type { ProbeResults } from '../model/probe';
import type { DataGap, Snapshot } from '../model/snapshot';
import type { TraefikView } from '../model/traefik';
import type { ResolvedOptions } from './options';
import { acmeIndex, type AcmeIndex } from './steps/acme';
import { middlewareIndex, type MiddlewareIndex } from './steps/traefik-index';

/** The kinds whose absence makes a chain `unknown`. */
export const CHAIN_KINDS: ReadonlySet<string> = new Set<ResourceKind>(['Ingress', 'Service', 'EndpointSlice', 'Pod']);

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

export interface NsContext {
  ns: string;
  opts: ResolvedOptions;
  ingresses: SlimIngress[];
  services: Map<string, SlimService>;
  slicesByService: Map<string, SlimEndpointSlice[]>;
  pods: Map<string, SlimPod>;
  /**
   * Pods by label key, then label value (nested, so no `key=value` string is built per Pod); only the
   * keys some Service selector uses.
   */
  podsByLabel: Map<string, Map<string, SlimPod[]>>;
  /** `undefined` when Secrets are not readable: then nothing is concluded from a missing Secret. */
  secrets?: Map<string, SlimTlsSecret>;
  /** `undefined` when cert-manager Certificates are not readable (or not installed). */
  certificates?: SlimCertManagerCertificate[];
  /** cert-manager's request chain (requests, Orders, Challenges, Issuers); `undefined` when not read. */
  acme?: AcmeIndex;
  /** `undefined` when IngressClasses could not be read: class checks are skipped. */
  ingressClasses?: Map<string, SlimIngressClass>;
  /** The IngressClass annotated as the cluster default, if any. */
  defaultClass?: string;
  /** Warning events of the namespace. */
  warningEvents: SlimEvent[];
  /** Every gap that applies to this namespace (its own and cluster-wide ones). */
  gaps: DataGap[];
  /** The gaps that make a chain `unknown` (Ingress, Service, EndpointSlice, Pod). */
  chainGaps: DataGap[];
  /** Kinds with a gap in this namespace. */
  gapKinds: Set<string>;
  /** Probe results by host; a host missing from them has not been probed (yet). */
  probes: ProbeResults;
  /** Are probes on? A snapshot without `probes` was taken with probing off (or is a dump). */
  probing: boolean;
  /** Traefik Middlewares of every namespace read; `undefined` when not read (or forbidden here). */
  middlewares?: MiddlewareIndex;
  /** Traefik's runtime view; `undefined` when its API is not configured. */
  traefik?: TraefikView;
  /** The namespace's Traefik IngressRoutes, by name; `undefined` when not read (or forbidden here). */
  ingressRoutes?: SlimTraefikIngressRoute[];
  /** The Gateway API objects of the namespace's HTTPRoutes; `undefined` when the Gateway API is not read. */
  gatewayApi?: GatewayApiIndex;
}

const byName = <T extends { metadata: { name: string } }>(a: T, b: T) =>
  a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;

/** The namespace an event is about (`involvedObject.namespace`, else its own). */
export const eventNamespace = (e: SlimEvent) => e.involvedObject.namespace ?? e.metadata.namespace;

export function gapApplies(g: DataGap, ns: string): boolean {
  return g.namespace === undefined || g.namespace === ns;
}

export function buildNsContext(s: Snapshot, ns: string, opts: ResolvedOptions): NsContext {
  const inNs = (o: { metadata: { namespace?: string } }) => o.metadata.namespace === ns;
  const gaps = (s.gaps ?? []).filter((g) => gapApplies(g, ns));
  const gapKinds = new Set(gaps.map((g) => g.kind));
  const services = new Map<string, SlimService>();
  for (const svc of s.services) if (inNs(svc)) services.set(svc.metadata.name, svc);

  const slicesByService = new Map<string, SlimEndpointSlice[]>();
  for (const sl of s.endpointSlices) {
    if (!inNs(sl)) continue;
    const svc = sl.metadata.labels?.[SERVICE_NAME_LABEL];
    if (svc === undefined) continue;
    const list = slicesByService.get(svc);
    if (list) list.push(sl);
    else slicesByService.set(svc, [sl]);
  }
  for (const list of slicesByService.values()) list.sort(byName);

  // Index Pods only by the label keys some selector uses (not pod-template-hash and the like).
  const selectorKeys = new Set<string>();
  for (const svc of services.values()) for (const k in svc.spec?.selector ?? {}) selectorKeys.add(k);
  const pods = new Map<string, SlimPod>();
  const podsByLabel = new Map<string, Map<string, SlimPod[]>>();
  for (const p of s.pods) {
    if (!inNs(p)) continue;
    pods.set(p.metadata.name, p);
    const labels = p.metadata.labels;
    if (!labels) continue;
    for (const k in labels) {
      if (!selectorKeys.has(k)) continue;
      const v = labels[k]!;
      let byValue = podsByLabel.get(k);
      if (!byValue) podsByLabel.set(k, (byValue = new Map()));
      const list = byValue.get(v);
      if (list) list.push(p);
      else byValue.set(v, [p]);
    }
  }

  let secrets: Map<string, SlimTlsSecret> | undefined;
  if (s.tlsSecrets && !gapKinds.has('Secret')) {
    secrets = new Map();
    for (const sec of s.tlsSecrets) if (inNs(sec)) secrets.set(sec.metadata.name, sec);
  }
  const certificates = s.certificates && !gapKinds.has('Certificate') ? s.certificates.filter(inNs).sort(byName) : undefined;
  const acme = certificates ? acmeIndex(s, ns, gapKinds) : undefined;

  let ingressClasses: Map<string, SlimIngressClass> | undefined;
  let defaultClass: string | undefined;
  // A gap for IngressClass anywhere means the list is incomplete: then class checks are skipped.
  if (!(s.gaps ?? []).some((g) => g.kind === 'IngressClass')) {
    ingressClasses = new Map();
    for (const c of [...s.ingressClasses].sort(byName)) {
      ingressClasses.set(c.metadata.name, c);
      if (defaultClass === undefined && c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true') defaultClass = c.metadata.name;
    }
  }

  return {
    ns,
    opts,
    ingresses: s.ingresses.filter(inNs).sort(byName),
    services,
    slicesByService,
    pods,
    podsByLabel,
    secrets,
    certificates,
    ...(acme ? { acme } : {}),
    ingressClasses,
    defaultClass,
    warningEvents: s.events.filter((e) => e.type === 'Warning' && eventNamespace(e) === ns),
    gaps,
    chainGaps: gaps.filter((g) => CHAIN_KINDS.has(g.kind)),
    gapKinds,
    probes: s.probes ?? {},
    probing: s.probes !== undefined,
    ...(s.middlewares && !gapKinds.has('Middleware') ? { middlewares: middlewareIndex(s) } : {}),
    ...(s.traefik ? { traefik: s.traefik } : {}),
    ...(s.ingressRoutes && !gapKinds.has('IngressRoute') ? { ingressRoutes: s.ingressRoutes.filter(inNs).sort(byName) } : {}),
    ...(s.httpRoutes ? { gatewayApi: gatewayApiIndex(s, ns, gapKinds) } : {}),
  };
}

/** The Pods a selector matches: the smallest label bucket, filtered by the other labels. */
export function selectPods(ctx: NsContext, selector: Record<string, string>): SlimPod[] {
  const keys = Object.keys(selector);
  if (keys.length === 0) return [];
  let smallest: SlimPod[] | undefined;
  for (const k of keys) {
    const bucket = ctx.podsByLabel.get(k)?.get(selector[k]!);
    if (!bucket) return [];
    if (!smallest || bucket.length < smallest.length) smallest = bucket;
  }
  return (smallest ?? []).filter((p) => keys.every((k) => p.metadata.labels?.[k] === selector[k]));
}

/** `app=my-app,tier=web`, sorted by key: the form `kubectl -l` takes. */
export function selectorString(selector: Record<string, string>): string {
  return Object.keys(selector)
    .sort()
    .map((k) => `${k}=${selector[k]}`)
    .join(',');
}

/** `kubectl -n NS`: the start of every hint. */
export const kubectl = (ns: string | undefined) => (ns ? `kubectl -n ${ns}` : 'kubectl');

/** Parse an RFC 3339 time; NaN when absent or malformed. */
export const timeMs = (t: string | undefined) => (t ? Date.parse(t) : NaN);
