/**
 * A Traefik API for the demo cluster: `/api/http/routers`, `/api/http/services`,
 * `/api/http/middlewares` and `/api/entrypoints`, computed from the demo's Ingresses, Services,
 * EndpointSlices and Middlewares the way Traefik v3's Kubernetes Ingress and CRD providers name and
 * status them (pkg/provider/kubernetes/ingress, pkg/server/middleware), paged the way Traefik pages them
 * (pkg/api/criterion.go). On 127.0.0.1 only, on a port of its own, read-only.
 *
 * What it does as Traefik does: one router per rule path, keyed `Normalize(ns-ingress-host+path)`, with a
 * hash suffix when keys collide; a path whose Service has no ready endpoint is skipped ("Skipping
 * service: no endpoints found"), so it has no router; a router naming a Middleware that does not exist is
 * disabled with `middleware "<name>" does not exist`; entrypoints `web` (redirecting to websecure),
 * `websecure` (TLS) and `traefik` (the API's own).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { traefikNormalize } from '../lib/model/traefik';
import type { KubeObject } from './resources';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

const normalize = traefikNormalize;

const ENTRYPOINTS = ['web', 'websecure'];
const CLASS_CONTROLLER = 'traefik.io/ingress-controller';

/** The four lists, as Traefik's API writes them. */
export interface TraefikApiData {
  routers: Json[];
  services: Json[];
  middlewares: Json[];
  entrypoints: Json[];
}

/** What the view is computed from: every object of these kinds, raw. */
export interface TraefikApiObjects {
  ingressClasses: KubeObject[];
  ingresses: KubeObject[];
  services: KubeObject[];
  endpointSlices: KubeObject[];
  middlewares: KubeObject[];
  /** Traefik IngressRoutes (traefik.io/v1alpha1); absent in a view built before they were served. */
  ingressRoutes?: KubeObject[];
}

/** Traefik's runtime view of the demo's objects. */
export function traefikApiData(o: TraefikApiObjects): TraefikApiData {
  const traefikClasses = new Set(o.ingressClasses.filter((c) => str(obj(c.spec).controller) === CLASS_CONTROLLER).map((c) => c.metadata.name));
  const middlewares = new Map<string, Json>();
  for (const m of o.middlewares) {
    const name = `${normalize(`${m.metadata.namespace}-${m.metadata.name}`)}@kubernetescrd`;
    const type = Object.keys(obj(m.spec)).sort()[0] ?? '';
    middlewares.set(name, { name, provider: 'kubernetescrd', status: 'enabled', type: type.toLowerCase(), usedBy: [] as string[] });
  }
  const services = new Map<string, Json>();
  const routers: Json[] = [];
  for (const ing of o.ingresses) {
    const ns = ing.metadata.namespace ?? '';
    const spec = obj(ing.spec);
    const cls = str(spec.ingressClassName) ?? ing.metadata.annotations?.['kubernetes.io/ingress.class'];
    if (!cls || !traefikClasses.has(cls)) continue;
    const ann = ing.metadata.annotations ?? {};
    const eps = (ann['traefik.ingress.kubernetes.io/router.entrypoints'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const mws = (ann['traefik.ingress.kubernetes.io/router.middlewares'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const resolver = ann['traefik.ingress.kubernetes.io/router.tls.certresolver'];
    const tls = resolver ? { certResolver: resolver, options: 'default' } : ann['traefik.ingress.kubernetes.io/router.tls'] === 'true' ? { options: 'default' } : undefined;
    const byKey = new Map<string, Json[]>();
    for (const rule of arr(spec.rules).map(obj)) {
      const host = str(rule.host) ?? '';
      for (const pa of arr(obj(rule.http).paths).map(obj)) {
        const svc = obj(obj(pa.backend).service);
        const svcName = str(svc.name);
        if (!svcName) continue;
        const port = obj(svc.port);
        const portKey = str(port.name) ?? String(port.number ?? '');
        const serviceKey = normalize(`${ns}-${svcName}-${portKey}`);
        if (!services.has(`${serviceKey}@kubernetes`)) {
          const servers = serversOf(o, ns, svcName, port);
          // Traefik skips the path, router and all, when the Service has no endpoints.
          if (servers.length === 0) continue;
          services.set(`${serviceKey}@kubernetes`, {
            loadBalancer: { passHostHeader: true, servers: servers.map((url) => ({ url })) },
            name: `${serviceKey}@kubernetes`,
            provider: 'kubernetes',
            status: 'enabled',
            type: 'loadbalancer',
            usedBy: [] as string[],
          });
        }
        const path = str(pa.path) ?? '';
        const matcher = str(pa.pathType) === 'Exact' ? 'Path' : 'PathPrefix';
        const rules = [...(host ? [`Host(${JSON.stringify(host)})`] : []), ...(path ? [`${matcher}(${JSON.stringify(path)})`] : [])];
        const key = normalize(`${ns}-${ing.metadata.name}-${host}${path}`);
        const router: Json = { entryPoints: eps.length ? eps : undefined, middlewares: mws.length ? mws : undefined, priorityStr: '0', provider: 'kubernetes', rule: rules.join(' && '), service: serviceKey, tls };
        const list = byKey.get(key) ?? [];
        list.push(router);
        byKey.set(key, list);
      }
    }
    for (const [key, list] of byKey) {
      for (const r of list) {
        const name = list.length === 1 ? `${key}@kubernetes` : `${key}-${createHash('sha256').update(String(r.rule)).digest('hex').slice(0, 10)}@kubernetes`;
        const using = (r.entryPoints as string[] | undefined) ?? ENTRYPOINTS;
        const missing = ((r.middlewares as string[] | undefined) ?? []).map((m) => (m.includes('@') ? m : `${m}@kubernetes`)).filter((m) => !middlewares.has(m));
        for (const m of (r.middlewares as string[] | undefined) ?? []) (middlewares.get(m)?.usedBy as string[] | undefined)?.push(name);
        (services.get(`${r.service}@kubernetes`)?.usedBy as string[] | undefined)?.push(name);
        routers.push(clean({ ...r, name, using, status: missing.length ? 'disabled' : 'enabled', error: missing.length ? missing.map((m) => `middleware "${m}" does not exist`) : undefined }));
      }
    }
  }
  routers.push(...ingressRouteRouters(o, services, middlewares));
  const byName = (a: Json, b: Json) => String(a.name).localeCompare(String(b.name));
  return {
    routers: routers.sort(byName),
    services: [...services.values()].sort(byName),
    middlewares: [...middlewares.values()].map(clean).sort(byName),
    entrypoints: [
      { address: ':8000/tcp', http: { redirections: { entryPoint: { to: 'websecure', scheme: 'https', permanent: true, priority: 2147483646 } } }, name: 'web' },
      { address: ':8443/tcp', http: { tls: {} }, name: 'websecure' },
      { address: ':9000/tcp', http: {}, name: 'traefik' },
    ],
  };
}

/**
 * The routers Traefik's CRD provider makes of IngressRoutes: one per route, named
 * `<ns>-<name>-<hash of the match>@kubernetescrd`, its rule the match as written, to a service of the
 * route's first Kubernetes Service (`<ns>-<service>-<port>@kubernetescrd`). A route whose Service does not
 * exist is skipped with an error in Traefik's log, so it has no router; one naming a Middleware that does
 * not exist is disabled, as for an Ingress. Objects of the old `traefik.containo.us` group are not read.
 */
function ingressRouteRouters(o: TraefikApiObjects, services: Map<string, Json>, middlewares: Map<string, Json>): Json[] {
  const routers: Json[] = [];
  for (const ir of o.ingressRoutes ?? []) {
    if (ir.apiVersion && !ir.apiVersion.startsWith('traefik.io/')) continue;
    const ns = ir.metadata.namespace ?? '';
    const spec = obj(ir.spec);
    const eps = arr(spec.entryPoints).filter((e): e is string => typeof e === 'string');
    const tlsSpec = spec.tls === undefined ? undefined : obj(spec.tls);
    const tls = tlsSpec ? { ...(str(tlsSpec.certResolver) ? { certResolver: str(tlsSpec.certResolver) } : {}), options: 'default' } : undefined;
    for (const route of arr(spec.routes).map(obj)) {
      const match = str(route.match) ?? '';
      const svc = arr(route.services).map(obj).find((x) => str(x.kind) === undefined || x.kind === 'Service');
      const svcName = str(svc?.name);
      if (!svc || !svcName || !o.services.some((x) => x.metadata.namespace === ns && x.metadata.name === svcName)) continue;
      const port = typeof svc.port === 'number' ? { number: svc.port } : { name: str(svc.port) };
      const serviceName = `${normalize(`${ns}-${svcName}-${String(svc.port ?? '')}`)}@kubernetescrd`;
      const name = `${normalize(`${ns}-${ir.metadata.name}`)}-${createHash('sha256').update(match).digest('hex').slice(0, 20)}@kubernetescrd`;
      if (!services.has(serviceName)) {
        const servers = serversOf(o, ns, svcName, port);
        services.set(serviceName, { loadBalancer: { passHostHeader: true, servers: servers.map((url) => ({ url })) }, name: serviceName, provider: 'kubernetescrd', status: 'enabled', type: 'loadbalancer', usedBy: [] as string[] });
      }
      (services.get(serviceName)?.usedBy as string[]).push(name);
      const mws = arr(route.middlewares)
        .map(obj)
        .filter((m) => !!str(m.name))
        .map((m) => (str(m.name)!.includes('@') ? str(m.name)! : `${normalize(`${str(m.namespace) ?? ns}-${str(m.name)}`)}@kubernetescrd`));
      const missing = mws.filter((m) => !middlewares.has(m));
      for (const m of mws) (middlewares.get(m)?.usedBy as string[] | undefined)?.push(name);
      routers.push(
        clean({
          entryPoints: eps.length ? eps : undefined,
          middlewares: mws.length ? mws : undefined,
          name,
          priorityStr: '0',
          provider: 'kubernetescrd',
          rule: match,
          service: serviceName.replace(/@kubernetescrd$/, ''),
          status: missing.length ? 'disabled' : 'enabled',
          error: missing.length ? missing.map((m) => `middleware "${m}" does not exist`) : undefined,
          tls,
          using: eps.length ? eps : ENTRYPOINTS,
        }),
      );
    }
  }
  return routers;
}

function clean(o: Json): Json {
  const out: Json = {};
  for (const k of Object.keys(o).sort()) {
    const v = o[k];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0 && k === 'usedBy')) out[k] = v;
  }
  return out;
}

/** The ready endpoints of a Service port, as Traefik's server URLs. */
function serversOf(o: TraefikApiObjects, ns: string, svcName: string, port: Json): string[] {
  const svc = o.services.find((s) => s.metadata.namespace === ns && s.metadata.name === svcName);
  if (!svc) return [];
  const sp = arr(obj(svc.spec).ports)
    .map(obj)
    .find((p) => (port.name !== undefined ? p.name === port.name : p.port === port.number));
  if (!sp) return [];
  const urls: string[] = [];
  for (const sl of o.endpointSlices) {
    if (sl.metadata.namespace !== ns || sl.metadata.labels?.['kubernetes.io/service-name'] !== svcName) continue;
    const slPort = arr(sl.ports).map(obj).find((p) => (sp.name ? p.name === sp.name : true));
    const number = typeof slPort?.port === 'number' ? slPort.port : undefined;
    if (number === undefined) continue;
    for (const ep of arr(sl.endpoints).map(obj)) {
      if (obj(ep.conditions).ready === false) continue;
      for (const a of arr(ep.addresses)) if (typeof a === 'string') urls.push(`http://${a}:${number}`);
    }
  }
  return urls.sort();
}

/**
 * Traefik's list pagination: `per_page` (default 100) and `page` (default 1), the next page in
 * `X-Next-Page` (`1` on the last), 400 for a page past the end.
 */
export function page<T>(items: T[], query: URLSearchParams): { status: 200; items: T[]; next: number } | { status: 400; message: string } {
  const perPage = query.has('per_page') ? Number(query.get('per_page')) : 100;
  const p = query.has('page') ? Number(query.get('page')) : 1;
  if (!Number.isInteger(perPage) || perPage <= 0 || !Number.isInteger(p) || p <= 0) return { status: 400, message: 'invalid request: bad per_page or page' };
  const start = (p - 1) * perPage;
  if (start !== 0 && start >= items.length) return { status: 400, message: `invalid request: page: ${p}, per_page: ${perPage}` };
  return { status: 200, items: items.slice(start, Math.min(start + perPage, items.length)), next: p * perPage < items.length ? p + 1 : 1 };
}

const PATHS: Record<string, keyof TraefikApiData> = {
  '/api/http/routers': 'routers',
  '/api/http/services': 'services',
  '/api/http/middlewares': 'middlewares',
  '/api/entrypoints': 'entrypoints',
};

/** The request handler: the four lists from `data()` at each request. */
export function traefikApiHandler(data: () => TraefikApiData): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const list = PATHS[url.pathname];
    if (req.method !== 'GET' || !list) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    const r = page(data()[list], url.searchParams);
    if (r.status === 400) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: r.message }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-next-page': String(r.next) }).end(`${JSON.stringify(r.items)}\n`);
  };
}

export interface TraefikApi {
  /** `http://127.0.0.1:PORT`, what `CHAINBOARD_TRAEFIK_API` is set to. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Listen on 127.0.0.1 (a free port unless given) with {@link traefikApiHandler}. */
export async function startTraefikApi(opts: { data: () => TraefikApiData; port?: number }): Promise<TraefikApi> {
  const server: Server = createServer(traefikApiHandler(opts.data));
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The view of a demo cluster's objects now (the demo server's `state.all(kind)`). */
export function objectsOf(all: (kind: string) => KubeObject[]): TraefikApiObjects {
  return {
    ingressClasses: all('IngressClass'),
    ingresses: all('Ingress'),
    services: all('Service'),
    endpointSlices: all('EndpointSlice'),
    middlewares: all('Middleware'),
    ingressRoutes: all('IngressRoute'),
  };
}
