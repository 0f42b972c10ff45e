/**
 * The IngressRoute adapter: each Traefik IngressRoute (traefik.io/v1alpha1) of a namespace as the route
 * drafts the shared steps take. Each (host, path) its `match` serves, for each Kubernetes Service backend
 * of the route, is one draft; the IngressRoute itself is seen through an Ingress-shaped view (its TLS
 * source, entrypoints, external-dns annotations), so that everything from the backend Service down, and
 * the certificate and DNS of the host, are judged as for an Ingress. The view is marked (route-kind.ts), so
 * nothing calls it an Ingress.
 * @see https://doc.traefik.io/traefik/reference/routing-configuration/kubernetes/crd/http/ingressroute/
 */
import { nodeId } from '../../model/ids';
import type { IngressBackend, IngressRouteService, SlimIngress, SlimTraefikIngressRoute } from '../../model/k8s';
import type { NsContext } from '../context';
import { markIngressRouteView } from '../route-kind';
import type { IngressRouteSubject } from '../rules/traefik';
import { parseMatch } from '../traefik-match';
import { TRAEFIK_CERT_RESOLVER, TRAEFIK_ENTRYPOINTS, TRAEFIK_ROUTER_TLS } from './tls-dns';

/** What a draft of an IngressRoute says, before it joins the Ingress drafts of its host. */
export interface IngressRouteDraft {
  view: SlimIngress;
  id: string;
  host: string;
  path: string;
  pathType: string;
  backend?: IngressBackend;
  /** The Middlewares of the route, as Traefik names them (`<namespace>-<name>@kubernetescrd`). */
  middlewares: string[];
  /** The route's rule as written: Traefik's router for it has the same. */
  match: string;
}

/**
 * The annotations of an IngressRoute that mean the same on it as on an Ingress: external-dns's
 * (its Traefik source reads them from IngressRoutes) and Chainboard's own probe settings. cert-manager and
 * Traefik's Ingress annotations do nothing on an IngressRoute, so they are not carried into the view.
 */
const CARRIED = /^(external-dns\.alpha\.kubernetes\.io\/|chainboard\.io\/)/;

/** The Ingress-shaped view of an IngressRoute: what its TLS, entrypoints and annotations amount to. */
export function ingressRouteView(ir: SlimTraefikIngressRoute): SlimIngress {
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(ir.metadata.annotations ?? {})) if (CARRIED.test(k)) annotations[k] = v;
  const eps = ir.spec?.entryPoints ?? [];
  if (eps.length > 0) annotations[TRAEFIK_ENTRYPOINTS] = eps.join(',');
  const tls = ir.spec?.tls;
  if (tls?.certResolver) annotations[TRAEFIK_CERT_RESOLVER] = tls.certResolver;
  // `tls: {}` asks for TLS with Traefik's default certificate, as `router.tls: "true"` does.
  if (tls && !tls.certResolver && !tls.secretName) annotations[TRAEFIK_ROUTER_TLS] = 'true';
  const view: SlimIngress = {
    metadata: { ...ir.metadata, annotations },
    // An IngressRoute's TLS covers every host it serves: one entry without hosts.
    spec: tls ? { tls: [tls.secretName ? { secretName: tls.secretName } : {}] } : {},
  };
  markIngressRouteView(view, ir);
  return view;
}

/**
 * The IngressRoutes of a list as the probes see them: each one's Ingress-shaped view with a rule per host
 * its routes' matches serve, carrying the paths, so the TLS, DNS and HTTP checks reach its domains as
 * they reach an Ingress's. The view stays marked as the IngressRoute's, so each HTTP check names it.
 * Legacy objects and unreadable matches serve nothing and are probed for nothing.
 */
export function ingressRouteProbeViews(irs: readonly SlimTraefikIngressRoute[]): SlimIngress[] {
  const out: SlimIngress[] = [];
  for (const ir of irs) {
    if (ir.legacy) continue;
    const paths = new Map<string, string[]>();
    for (const route of ir.spec?.routes ?? []) {
      const parsed = parseMatch(route.match ?? '');
      if (!parsed.ok) continue;
      for (const r of parsed.routes) {
        const list = paths.get(r.host) ?? [];
        if (!list.includes(r.path)) list.push(r.path);
        paths.set(r.host, list);
      }
    }
    if (paths.size === 0) continue;
    const view = ingressRouteView(ir);
    view.spec = { ...view.spec, rules: [...paths].map(([host, ps]) => ({ host, http: { paths: ps.map((path) => ({ path })) } })) };
    out.push(view);
  }
  return out;
}

/** A route's backend as an Ingress backend: a Service of the namespace, or a resource Chainboard does not follow. */
function backendOf(ns: string, s: IngressRouteService): IngressBackend {
  if (s.kind && s.kind !== 'Service') return { resource: { apiGroup: 'traefik.io', kind: s.kind, ...(s.name ? { name: s.name } : {}) } };
  // A Service of another namespace (allowCrossNamespace) lies outside this namespace's analysis.
  if (s.namespace && s.namespace !== ns) return { resource: { kind: 'Service', name: `${s.namespace}/${s.name ?? '?'}` } };
  const service: NonNullable<IngressBackend['service']> = {};
  if (s.name) service.name = s.name;
  if (typeof s.port === 'number') service.port = { number: s.port };
  else if (typeof s.port === 'string') service.port = { name: s.port };
  return { service };
}

/** A Middleware reference as Traefik names it: `<namespace>-<name>@kubernetescrd`, or as written with a provider. */
const middlewareRef = (ns: string, m: { name?: string; namespace?: string }) =>
  m.name?.includes('@') ? m.name : `${m.namespace ?? ns}-${m.name ?? ''}@kubernetescrd`;

/**
 * The drafts of the namespace's IngressRoutes, in name order, then route, (host, path) and backend
 * order; and each IngressRoute as the subject of the IngressRoute rules. A legacy (`traefik.containo.us`)
 * IngressRoute drafts nothing: Traefik v3 does not read it.
 */
export function draftIngressRoutes(ctx: NsContext): { drafts: IngressRouteDraft[]; subjects: IngressRouteSubject[] } {
  const drafts: IngressRouteDraft[] = [];
  const subjects: IngressRouteSubject[] = [];
  for (const ir of ctx.ingressRoutes ?? []) {
    const subject: IngressRouteSubject = { ingressRoute: ir, unparsed: [] };
    subjects.push(subject);
    if (ir.legacy) continue;
    const view = ingressRouteView(ir);
    const name = ir.metadata.name;
    (ir.spec?.routes ?? []).forEach((route, ri) => {
      const match = route.match ?? '';
      const parsed = parseMatch(match);
      if (!parsed.ok) {
        subject.unparsed.push({ index: ri, match, error: parsed.error });
        return;
      }
      const middlewares = (route.middlewares ?? []).filter((m) => m.name).map((m) => middlewareRef(ctx.ns, m));
      const services = route.services ?? [];
      const backends: (IngressBackend | undefined)[] = services.length > 0 ? services.map((s) => backendOf(ctx.ns, s)) : [undefined];
      let position = 0;
      for (const r of parsed.routes) {
        for (const backend of backends) {
          const d: IngressRouteDraft = { view, id: nodeId.route(name, ri, position++), host: r.host, path: r.path, pathType: r.pathType, middlewares, match };
          if (backend) d.backend = backend;
          drafts.push(d);
        }
      }
    });
  }
  return { drafts, subjects };
}
