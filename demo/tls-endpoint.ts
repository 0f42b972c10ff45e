/**
 * A local stand-in for Traefik's websecure entrypoint: one TLS server on 127.0.0.1 that picks the
 * certificate by SNI, with certificates generated at start for each demo host. Hosts it does not know
 * get Traefik's self-signed default certificate, exactly like Traefik, so the demo and the probe tests
 * see every certificate state through real handshakes.
 *
 * It answers HTTP the way Traefik would when given the cluster's objects (`objects`): its exact
 * `404 page not found` for a host and path no Ingress routes, `Service Unavailable` (503) when the route's
 * Service has no ready endpoint, `Bad Gateway` (502) when the endpoints do not serve the port the Service
 * targets (the connection would be refused), and 200 from the "backend" otherwise. Without `objects` it
 * answers any request with a one-line body naming the host, so `curl -k --resolve` works too.
 */
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import { certificateFor, createDemoPki, type CertKind, type DemoPki } from './certs';
import { parseMatch } from '../lib/chain/traefik-match';
import type { KubeObject } from './resources';

export type { CertKind } from './certs';

export interface TlsEndpointOptions {
  /** 0 picks a free port. */
  port?: number;
  /** A loopback IPv4 address (127.0.0.0/8); the demo never listens elsewhere. Default 127.0.0.1. */
  address?: string;
  /** Host (SNI) -> the certificate state it serves. */
  hosts: Record<string, CertKind>;
  /** Reuse issuers (e.g. to share the trusted root between endpoints). */
  pki?: DemoPki;
  /**
   * The cluster's objects as they are now (read at each request, so a changed object changes the answer):
   * HTTP answers are then Traefik's for them (see {@link traefikAnswer}).
   */
  objects?: (kind: 'Ingress' | 'IngressClass' | 'IngressRoute' | 'Service' | 'EndpointSlice' | 'HTTPRoute' | 'ReferenceGrant') => readonly KubeObject[];
}

/** What Traefik would answer a request: the status, its body, and who answered it. */
export interface DemoAnswer {
  status: number;
  body: string;
  from: 'controller' | 'backend';
}

/**
 * Traefik's answer when a router's service cannot be resolved (a missing backend of an HTTPRoute, one no
 * ReferenceGrant permits): Go's `http.Error` with the status text, so a bare 500 with nothing but the
 * server's own headers (the server adds X-Content-Type-Options for it).
 */
const BARE_500 = 'Internal Server Error\n';

type Obj = { metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [k: string]: unknown };
interface IngressPathLike {
  path?: string;
  pathType?: string;
  backend?: { service?: { name?: string; port?: { number?: number; name?: string } } };
}
interface IngressLike extends Obj {
  spec?: { ingressClassName?: string; rules?: { host?: string; http?: { paths?: IngressPathLike[] } }[] };
}
interface ServiceLike extends Obj {
  spec?: { type?: string; ports?: { name?: string; port: number; targetPort?: number | string }[] };
}
interface SliceLike extends Obj {
  ports?: { name?: string; port?: number }[] | null;
  endpoints?: { conditions?: { ready?: boolean | null } }[];
}

const TRAEFIK_CONTROLLER = 'traefik.io/ingress-controller';
const controller = (status: number, body: string): DemoAnswer => ({ status, body, from: 'controller' });

/** Does an Ingress rule host (maybe `*.x`) match a request host? A wildcard covers exactly one label. */
function hostMatches(rule: string | undefined, host: string): boolean {
  const r = (rule ?? '').toLowerCase();
  if (!r) return false;
  if (r.startsWith('*.')) return host.endsWith(r.slice(1)) && !host.slice(0, -r.length + 1).includes('.');
  return r === host;
}

/** The length of the match of a rule path (Prefix by path elements, Exact whole), or -1. */
function pathMatch(p: IngressPathLike, path: string): number {
  const rule = p.path || '/';
  if (p.pathType === 'Exact') return rule === path ? rule.length : -1;
  if (rule === '/' || path === rule || path.startsWith(rule.endsWith('/') ? rule : `${rule}/`)) return rule.length;
  return -1;
}

interface IngressRouteLike extends Obj {
  apiVersion?: string;
  spec?: { routes?: { match?: string; services?: { name?: string; kind?: string; port?: number | string }[] }[] };
}

/**
 * The demo's IngressRoutes as Traefik serves them, in the Ingress shape the answer reads: each (host,
 * path) of a route's match to its first Kubernetes Service. Objects of the old `traefik.containo.us` group
 * serve nothing, as in Traefik v3, and neither does a match Traefik could not parse.
 */
function ingressRouteRules(objects: NonNullable<TlsEndpointOptions['objects']>): IngressLike[] {
  const out: IngressLike[] = [];
  for (const ir of objects('IngressRoute') as readonly IngressRouteLike[]) {
    if (ir.apiVersion && !ir.apiVersion.startsWith('traefik.io/')) continue;
    const rules: NonNullable<NonNullable<IngressLike['spec']>['rules']> = [];
    for (const route of ir.spec?.routes ?? []) {
      const parsed = parseMatch(route.match ?? '');
      const svc = (route.services ?? []).find((x) => !x.kind || x.kind === 'Service');
      if (!parsed.ok || !svc) continue;
      const port = typeof svc.port === 'number' ? { number: svc.port } : { name: svc.port };
      for (const r of parsed.routes) {
        rules.push({ host: r.host, http: { paths: [{ path: r.path, pathType: r.pathType === 'Exact' ? 'Exact' : 'Prefix', backend: { service: { name: svc.name, port } } }] } });
      }
    }
    out.push({ metadata: ir.metadata, spec: { ingressClassName: 'traefik', rules } });
  }
  return out;
}

interface HTTPRouteLike extends Obj {
  spec?: {
    hostnames?: string[];
    rules?: { matches?: { path?: { type?: string; value?: string } }[]; backendRefs?: { name?: string; namespace?: string; port?: number; weight?: number }[] }[];
  };
}
interface GrantLike extends Obj {
  spec?: { from?: { kind?: string; namespace?: string }[]; to?: { kind?: string; name?: string }[] };
}

/**
 * The paths HTTPRoutes serve for a host, each as an Ingress path of its backend's namespace (the first
 * backendRef with weight); `refused` when that backend is another namespace's Service no ReferenceGrant
 * lets the route use. A Gateway API wildcard hostname matches any number of labels. The demo serves
 * HTTPRoutes as Traefik's Gateway provider would, whatever their parent.
 */
function httpRoutePaths(objects: NonNullable<TlsEndpointOptions['objects']>, host: string): { ing: IngressLike; p: IngressPathLike; refused?: boolean; httpRoute: true }[] {
  const out: { ing: IngressLike; p: IngressPathLike; refused?: boolean; httpRoute: true }[] = [];
  const grants = objects('ReferenceGrant') as readonly GrantLike[];
  for (const route of objects('HTTPRoute') as readonly HTTPRouteLike[]) {
    const names = (route.spec?.hostnames ?? []).map((n) => n.toLowerCase());
    if (!names.some((n) => n === host || (n.startsWith('*.') && host.endsWith(n.slice(1))))) continue;
    const routeNs = route.metadata.namespace;
    for (const rule of route.spec?.rules ?? []) {
      const b = (rule.backendRefs ?? []).find((x) => x.weight !== 0);
      const ns = b?.namespace ?? routeNs;
      const refused =
        !b ||
        (ns !== routeNs &&
          !grants.some((g) => g.metadata.namespace === ns && (g.spec?.from ?? []).some((f) => f.kind === 'HTTPRoute' && f.namespace === routeNs) && (g.spec?.to ?? []).some((t) => t.kind === 'Service' && (!t.name || t.name === b.name))));
      for (const m of rule.matches?.length ? rule.matches : [{}]) {
        const p: IngressPathLike = { path: m.path?.value ?? '/', pathType: m.path?.type === 'Exact' ? 'Exact' : 'Prefix', backend: { service: { name: b?.name, port: { number: b?.port } } } };
        out.push({ ing: { metadata: { name: route.metadata.name, namespace: ns } }, p, httpRoute: true, ...(refused ? { refused } : {}) });
      }
    }
  }
  return out;
}

/**
 * What Traefik answers for a host and path, from the cluster's objects: the longest matching path of the
 * Ingresses of a class it serves (or of none), its backend Service and port, that Service's
 * EndpointSlices. A broken link of that chain gives the answer Traefik gives for it.
 * @see https://doc.traefik.io/traefik/providers/kubernetes-ingress/
 */
export function traefikAnswer(objects: NonNullable<TlsEndpointOptions['objects']>, host: string, path: string): DemoAnswer {
  const h = host.toLowerCase().replace(/:\d+$/, '');
  const classes = new Map((objects('IngressClass') as readonly Obj[]).map((c) => [c.metadata.name, (c as { spec?: { controller?: string } }).spec?.controller]));
  let best: { ing: IngressLike; p: IngressPathLike; len: number; refused?: boolean; httpRoute?: true } | undefined;
  for (const r of httpRoutePaths(objects, h)) {
    const len = pathMatch(r.p, path);
    if (len > (best?.len ?? -1)) best = { ...r, len };
  }
  for (const ing of [...(objects('Ingress') as readonly IngressLike[]), ...ingressRouteRules(objects)]) {
    const cls = ing.spec?.ingressClassName ?? ing.metadata.annotations?.['kubernetes.io/ingress.class'];
    // Traefik ignores Ingresses of a class another controller (or no known class) serves: no router.
    if (cls !== undefined && classes.get(cls) !== TRAEFIK_CONTROLLER && cls !== 'traefik') continue;
    for (const rule of ing.spec?.rules ?? []) {
      if (!hostMatches(rule.host, h)) continue;
      for (const p of rule.http?.paths ?? []) {
        const len = pathMatch(p, path);
        if (len > (best?.len ?? -1)) best = { ing, p, len };
      }
    }
  }
  if (!best) return controller(404, '404 page not found\n');
  // The Gateway API answers a request for a backend it may not use (not granted, or missing) with a 500.
  if (best.refused) return controller(500, BARE_500);
  const ns = best.ing.metadata.namespace;
  const ref = best.p.backend?.service;
  const svc = (objects('Service') as readonly ServiceLike[]).find((s) => s.metadata.namespace === ns && s.metadata.name === ref?.name);
  const port = svc?.spec?.ports?.find((sp) => (ref?.port?.name ? sp.name === ref.port.name : sp.port === ref?.port?.number));
  if (best.httpRoute && (!svc || !port)) return controller(500, BARE_500);
  // Traefik drops the router when the backend Service or its port does not exist.
  if (!svc || (svc.spec?.type !== 'ExternalName' && !port)) return controller(404, '404 page not found\n');
  // An ExternalName leaves the cluster: the demo never dials out, so the gateway fails as it would offline.
  if (svc.spec?.type === 'ExternalName') return controller(502, 'Bad Gateway');
  const slices = (objects('EndpointSlice') as readonly SliceLike[]).filter((e) => e.metadata.namespace === ns && e.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name);
  const serving = slices.filter((e) => (e.ports ?? []).some((sp) => (sp.name ?? '') === (port?.name ?? '')));
  const ready = serving.flatMap((e) => e.endpoints ?? []).filter((ep) => ep.conditions?.ready !== false);
  if (ready.length === 0) {
    // Endpoints exist but none carries the Service's target port: Traefik dials a port nobody listens on.
    const anyReady = slices.flatMap((e) => e.endpoints ?? []).some((ep) => ep.conditions?.ready !== false);
    return anyReady ? controller(502, 'Bad Gateway') : controller(503, 'Service Unavailable\n');
  }
  return { status: 200, body: `chainboard demo backend: ${h}${path} -> Service ${svc.metadata.name}:${port?.port}\n`, from: 'backend' };
}

export interface TlsEndpoint {
  address: string;
  port: number;
  /** The root that signs the trusted certificates: pass it to probes as `ca`. */
  caPem: string;
  /** Change (or add) the state a host serves; resolves once new handshakes use it. */
  set(host: string, kind: CertKind): Promise<void>;
  /** The certificate chain (PEM, public part only) served for an SNI; unknown hosts get the default. */
  certificatePem(host: string): string;
  /** TCP connections accepted since start (tests count probes with it). */
  connections(): number;
  stop(): Promise<void>;
}

function isLoopbackV4(a: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** Start the endpoint. Certificates are generated before it listens. */
export async function startTlsEndpoint(opts: TlsEndpointOptions): Promise<TlsEndpoint> {
  const address = opts.address ?? '127.0.0.1';
  if (!isLoopbackV4(address)) throw new Error(`the demo TLS endpoint only listens on 127.0.0.0/8, not ${address}`);
  const pki = opts.pki ?? (await createDemoPki());
  const contexts = new Map<string, SecureContext>();
  const pems = new Map<string, string>();

  async function set(host: string, kind: CertKind): Promise<void> {
    const served = await certificateFor(pki, host.toLowerCase(), kind);
    contexts.set(host.toLowerCase(), createSecureContext(served));
    pems.set(host.toLowerCase(), served.cert);
  }
  await Promise.all(Object.entries(opts.hosts).map(([host, kind]) => set(host, kind)));

  const fallback = createSecureContext(pki.traefikDefault);
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer(
    {
      ...pki.traefikDefault,
      SNICallback: (servername, cb) => cb(null, contexts.get(servername.toLowerCase()) ?? fallback),
    },
    (req, res) => {
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      if (!opts.objects) return res.end(`chainboard demo endpoint: ${req.headers.host ?? '(no host)'}\n`);
      const path = (req.url ?? '/').split('?')[0] || '/';
      const a = traefikAnswer(opts.objects, req.headers.host ?? '', path);
      res.statusCode = a.status;
      // Traefik's own pages come from Go's http.Error, which marks them nosniff; a backend says who it is.
      if (a.from === 'controller') res.setHeader('x-content-type-options', 'nosniff');
      else res.setHeader('x-powered-by', 'chainboard-demo-backend');
      res.end(a.body);
    },
  );
  server.on('connection', (s: Socket) => {
    accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A handshake a client abandons is routine for probes; it must not surface as an unhandled error.
  server.on('tlsClientError', () => {});

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    address,
    port,
    caPem: pki.trusted.certPem,
    set,
    certificatePem: (host) => pems.get(host.toLowerCase()) ?? pki.traefikDefault.cert,
    connections: () => accepted,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
