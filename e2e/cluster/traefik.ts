/**
 * A real Traefik (built by build-traefik.sh) against the harness's real kube-apiserver, with its
 * Kubernetes Ingress and CRD providers, the entrypoints `web` and `websecure` and its API, all on
 * 127.0.0.1; plus the backends Traefik routes to and one "site" (Ingress -> Service -> backend)
 * with the failures Traefik users meet most, each with its repair.
 *
 * ```ts
 * const cp = await startControlPlane();
 * const traefik = await startTraefik(cp);            // installs the CRDs, RBAC and IngressClass first
 * const site = await createSite(cp, { namespace: 'hst-shop', host: 'shop.example.test' });
 * await site.waitHealthy(traefik);
 * for (const s of SCENARIOS) { await s.break(site); ...; await s.repair(site); await site.waitHealthy(traefik); }
 * ```
 *
 * Pods in the harness run no processes, so a site's backends are small HTTP servers on 127.0.0.x. The
 * apiserver refuses loopback addresses in EndpointSlices, so a live backend is published as an
 * ExternalName Service whose name is the backend's IP (Traefik dials it as it is); "endpoints gone"
 * is the same Service made a selector-less ClusterIP Service with an empty or no EndpointSlice, what
 * Traefik reads for a Service whose Pods are all gone.
 *
 * @see https://doc.traefik.io/traefik/reference/install-configuration/providers/kubernetes/kubernetes-ingress/
 * @see https://doc.traefik.io/traefik/reference/routing-configuration/kubernetes/ingress/
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { freePort } from '../../lib/testing/net';
import { createCa, issueCertificate, type CertificateAuthority } from '../../lib/testing/pki';
import { traefikBinDir } from './bin';
import { INGRESS_CLASS, ingressClass, namespace as namespaceObject } from './environments';
import { installCrds } from './crds';
import type { ControlPlane } from './harness';
import { moduleObjects, requiredVersion } from './modules';
import type { KubeObject } from './objects';
import { ComponentProcesses, type ProcessInfo } from './processes';
import { installGatewayApi } from './traefik-gateway';
import { waitFor } from './wait';

const LOOPBACK = '127.0.0.1';

/** Where Traefik runs and what it is allowed to read: its own namespace and ServiceAccount. */
export const TRAEFIK_NAMESPACE = 'traefik';
export const TRAEFIK_SERVICE_ACCOUNT = 'traefik';
/** The subject of the certificate Traefik serves when no certificate matches (pkg/tls/generate). */
export const TRAEFIK_DEFAULT_CERT = 'TRAEFIK DEFAULT CERT';
/** What Traefik itself answers when no router matches the request. */
export const TRAEFIK_NOT_FOUND_BODY = '404 page not found\n';

const ANN = 'traefik.ingress.kubernetes.io/';

/** A file of Traefik's own docs, from the module of the version built (traefik/go.mod). */
function traefikDocObjects(file: string): KubeObject[] {
  return moduleObjects('github.com/traefik/traefik/v3', requiredVersion('github.com/traefik/traefik/v3'), `docs/content/reference/dynamic-configuration/${file}`);
}

/**
 * Installs what Traefik needs before it starts: its CRDs (all of them: the CRD provider watches every
 * kind and never syncs while one is missing), its namespace and ServiceAccount with Traefik's own
 * ClusterRole, and the IngressClass `traefik-external`. Idempotent (server-side apply).
 */
export async function installTraefik(cp: ControlPlane): Promise<void> {
  const crds = traefikDocObjects('kubernetes-crd-definition-v1.yml');
  await installCrds(cp, crds, 'Traefik');
  const rbac = traefikDocObjects('kubernetes-crd-rbac.yml').map((o) =>
    o.kind === 'ClusterRoleBinding' ? { ...o, subjects: [{ kind: 'ServiceAccount', name: TRAEFIK_SERVICE_ACCOUNT, namespace: TRAEFIK_NAMESPACE }] } : o,
  );
  await cp.applyAll([
    namespaceObject(TRAEFIK_NAMESPACE),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: TRAEFIK_SERVICE_ACCOUNT, namespace: TRAEFIK_NAMESPACE } },
    ...rbac,
    ingressClass(),
  ]);
}

export interface TraefikOptions {
  /**
   * Traefik's `allowEmptyServices` for Ingresses. Default true: a Service without endpoints keeps its
   * router and answers 503. Traefik's own default (false) drops the router instead ("Skipping service:
   * no endpoints found"), so the same break answers 404.
   */
  allowEmptyServices?: boolean;
  /**
   * Also run Traefik's Gateway API provider (installing the Gateway API CRDs and its RBAC first, see
   * traefik-gateway.ts); it publishes 127.0.0.1 in each Gateway's status.
   */
  gateway?: boolean;
  /** Folder with the traefik binary. Default: what `build-traefik.sh --bin-dir` prints. */
  binDir?: string;
  /** Keep the working folder (Traefik's log and access log). Default: env CHAINBOARD_E2E_KEEP=1. */
  keepDir?: boolean;
  log?: (line: string) => void;
}

/** A host and port Traefik listens on. */
export interface Address {
  host: string;
  port: number;
}

/** A router as Traefik's API shows it (GET /api/http/routers). */
export interface TraefikRouter {
  name: string;
  provider: string;
  status: 'enabled' | 'disabled' | 'warning';
  rule: string;
  service: string;
  entryPoints?: string[];
  middlewares?: string[];
  tls?: Record<string, unknown>;
  error?: string[];
  using?: string[];
  [k: string]: unknown;
}

/** A service as Traefik's API shows it (GET /api/http/services). */
export interface TraefikService {
  name: string;
  provider: string;
  status: 'enabled' | 'disabled' | 'warning';
  loadBalancer?: { servers?: Array<{ url: string }>; [k: string]: unknown };
  serverStatus?: Record<string, string>;
  error?: string[];
  usedBy?: string[];
  [k: string]: unknown;
}

export interface Traefik {
  /** The API's base URL on the `traefik` entrypoint: `http://127.0.0.1:<port>` (GET `${apiUrl}/api/http/routers`). */
  readonly apiUrl: string;
  /** The `web` entrypoint (plain HTTP). */
  readonly web: Address;
  /** The `websecure` entrypoint (TLS on every router, as Traefik's Helm chart sets it). */
  readonly websecure: Address;
  /** Working folder: `traefik.log` (Traefik's log) and `access.log`. */
  readonly dir: string;
  readonly logPath: string;
  /** GET of Traefik's API (`/api/...`): status and parsed JSON. */
  api<T = unknown>(path: string): Promise<{ status: number; body: T }>;
  routers(): Promise<TraefikRouter[]>;
  /** One router by its full name (`<name>@kubernetes`), or undefined when Traefik has none by that name. */
  router(name: string): Promise<TraefikRouter | undefined>;
  service(name: string): Promise<TraefikService | undefined>;
  /** The last lines of Traefik's log (for a failure's message). */
  logTail(lines?: number): string;
  /** Traefik's process and its watchdog, while they run. */
  processes(): ProcessInfo[];
  /** Stops Traefik (SIGTERM, SIGKILL after 5 s) and its watchdog; removes the folder unless kept. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Installs Traefik's objects (installTraefik) and starts Traefik against `cp` as its ServiceAccount
 * (a bound token, the cluster CA, the apiserver's URL: Traefik's "cluster-external" client), with the
 * Ingress provider (class `traefik-external`, publishing `127.0.0.1` in each Ingress's status) and the
 * CRD provider. Resolves once Traefik answers its ping and both providers have started; a route shows
 * within seconds after that (wait for it: Site.waitHealthy).
 */
export async function startTraefik(cp: ControlPlane, opts: TraefikOptions = {}): Promise<Traefik> {
  const log = opts.log ?? (process.env.CHAINBOARD_E2E_VERBOSE === '1' ? (l: string) => process.stderr.write(`[traefik] ${l}\n`) : () => {});
  await installTraefik(cp);
  if (opts.gateway) await installGatewayApi(cp, { name: TRAEFIK_SERVICE_ACCOUNT, namespace: TRAEFIK_NAMESPACE });
  const token = await cp.createServiceAccountToken(TRAEFIK_NAMESPACE, TRAEFIK_SERVICE_ACCOUNT);
  const dir = mkdtempSync(join(tmpdir(), 'chainboard-traefik-'));
  const keepDir = opts.keepDir ?? process.env.CHAINBOARD_E2E_KEEP === '1';
  const tokenFile = join(dir, 'token');
  const caFile = join(dir, 'ca.crt');
  writeFileSync(tokenFile, token, { mode: 0o600 });
  writeFileSync(caFile, cp.caCert, { mode: 0o644 });
  const [webPort, websecurePort, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const logPath = join(dir, 'traefik.log');
  const kube = (provider: string) => [
    `--providers.${provider}=true`,
    `--providers.${provider}.endpoint=${cp.server}`,
    `--providers.${provider}.token=${tokenFile}`,
    `--providers.${provider}.certAuthFilePath=${caFile}`,
  ];
  const args = [
    // Traefik phones home for new versions and usage statistics unless told not to.
    '--global.checkNewVersion=false',
    '--global.sendAnonymousUsage=false',
    `--entryPoints.web.address=${LOOPBACK}:${webPort}`,
    `--entryPoints.websecure.address=${LOOPBACK}:${websecurePort}`,
    '--entryPoints.websecure.http.tls=true',
    `--entryPoints.traefik.address=${LOOPBACK}:${apiPort}`,
    // The API on the `traefik` entrypoint only (loopback here; a ClusterIP Service in a cluster).
    '--api=true',
    '--api.insecure=true',
    '--api.dashboard=false',
    '--ping=true',
    ...kube('kubernetesIngress'),
    `--providers.kubernetesIngress.ingressClass=${INGRESS_CLASS}`,
    `--providers.kubernetesIngress.ingressEndpoint.ip=${LOOPBACK}`,
    `--providers.kubernetesIngress.allowEmptyServices=${opts.allowEmptyServices ?? true}`,
    // The sites' live backends are ExternalName Services to 127.0.0.x (see Site.service).
    '--providers.kubernetesIngress.allowExternalNameServices=true',
    ...kube('kubernetesCRD'),
    // An IngressRoute to the same ExternalName Services (see Site.service).
    '--providers.kubernetesCRD.allowExternalNameServices=true',
    ...(opts.gateway ? [...kube('kubernetesGateway'), `--providers.kubernetesGateway.statusAddress.ip=${LOOPBACK}`] : []),
    '--log.level=DEBUG',
    '--log.noColor=true',
    '--accessLog=true',
    `--accessLog.filePath=${join(dir, 'access.log')}`,
  ];
  const binDir = opts.binDir ?? traefikBinDir();
  const procs = new ComponentProcesses({ dir, binDir, logs: dir, removeDir: !keepDir, log });
  const logTail = (lines = 30) => {
    try {
      return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  };
  const apiUrl = `http://${LOOPBACK}:${apiPort}`;
  const api = async <T>(path: string) => {
    const r = await fetch(`${apiUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await procs.stopAll();
    procs.release();
    log(keepDir ? `kept ${dir}` : `removed ${dir}`);
  };
  try {
    procs.startWatchdog();
    procs.start('traefik', args);
    const abort = () => {
      const why = procs.exited('traefik');
      return why === undefined ? undefined : `${why}\nTraefik's log:\n${logTail()}`;
    };
    await waitFor('Traefik to answer /ping', async () => (await fetch(`${apiUrl}/ping`, { signal: AbortSignal.timeout(5_000) })).ok, { timeoutMs: 60_000, abort });
    await waitFor(
      "Traefik's Kubernetes Ingress and CRD providers to start",
      () => {
        const text = readFileSync(logPath, 'utf8');
        return /Starting provider \*ingress\.Provider/.test(text) && /Starting provider \*crd\.Provider/.test(text) && (!opts.gateway || /Starting provider \*gateway\.Provider/.test(text));
      },
      { timeoutMs: 60_000, abort },
    );
    log(`Traefik up: api ${apiUrl}, web ${webPort}, websecure ${websecurePort}, log ${logPath}`);
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
  return {
    apiUrl,
    web: { host: LOOPBACK, port: webPort },
    websecure: { host: LOOPBACK, port: websecurePort },
    dir,
    logPath,
    api,
    async routers() {
      return (await api<TraefikRouter[]>('/api/http/routers?per_page=1000')).body;
    },
    async router(name) {
      const r = await api<TraefikRouter>(`/api/http/routers/${encodeURIComponent(name)}`);
      return r.status === 200 ? r.body : undefined;
    },
    async service(name) {
      const r = await api<TraefikService>(`/api/http/services/${encodeURIComponent(name)}`);
      return r.status === 200 ? r.body : undefined;
    },
    logTail,
    processes: () => procs.list(),
    stop,
  };
}

// ---------------------------------------------------------------------------------------------------
// Backends

/** How a backend answers: 200, a 500 of its own, or a TCP reset as soon as a request arrives. */
export type BackendKind = 'ok' | 'error' | 'reset';

export interface Backend {
  kind: BackendKind;
  /** A 127.0.0.x address (any address of 127.0.0.0/8 is the loopback interface on Linux). */
  host: string;
  port: number;
  /** Requests (or, for `reset`, connections) it has received. */
  readonly hits: number;
  close(): Promise<void>;
}

/** What an `ok` backend answers, and the header by which a response is known to come from a backend. */
export const BACKEND_HEADER = 'x-chainboard-backend';
export const backendBody = (kind: BackendKind, host: string) => `${kind} backend on ${host}\n`;

/** Starts a backend on `host` (a 127.0.0.x address), on a port the kernel picks. */
export async function startBackend(kind: BackendKind, host: string): Promise<Backend> {
  let hits = 0;
  let server: Server | ReturnType<typeof createTcpServer>;
  const sockets = new Set<Socket>();
  if (kind === 'reset') {
    // Reads the request's first bytes, then answers with a TCP RST: what a crashing process or a
    // dropped conntrack entry looks like to a proxy.
    server = createTcpServer((socket) => {
      hits++;
      socket.once('data', () => socket.resetAndDestroy());
      socket.on('error', () => {});
    });
  } else {
    server = createHttpServer((req, res) => {
      hits++;
      req.resume();
      res.writeHead(kind === 'ok' ? 200 : 500, { 'content-type': 'text/plain', [BACKEND_HEADER]: `${kind}@${host}` });
      res.end(backendBody(kind, host));
    });
  }
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    kind,
    host,
    port,
    get hits() {
      return hits;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------------
// Requests through Traefik

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export interface ProbeResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The certificate Traefik served (https only). */
  certificate?: { subjectCN?: string; issuerCN?: string; subjectaltname?: string; raw: PeerCertificate };
}

/**
 * One request through Traefik as a browser would send it to `host`: to `https://host/path` on the
 * websecure entrypoint (SNI and Host both `host`), or `http://host/path` on web; the connection goes to
 * 127.0.0.1, never to a resolver. The certificate is read, not verified (the default certificate is a
 * case to observe); a caller verifies with `ca`.
 */
export function probe(traefik: Traefik, host: string, opts: { path?: string; entrypoint?: 'websecure' | 'web'; ca?: string; timeoutMs?: number } = {}): Promise<ProbeResult> {
  const ep = opts.entrypoint ?? 'websecure';
  const address = ep === 'web' ? traefik.web : traefik.websecure;
  const base = { host: address.host, port: address.port, path: opts.path ?? '/', method: 'GET', headers: { host }, agent: false as const, timeout: opts.timeoutMs ?? 10_000 };
  return new Promise((resolve, reject) => {
    let certificate: ProbeResult['certificate'];
    const onResponse = (res: import('node:http').IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        // A bounded read: the bodies here are a line long.
        if (size < 65_536) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), certificate }));
      res.on('error', reject);
    };
    const req =
      ep === 'web'
        ? httpRequest(base, onResponse)
        : httpsRequest({ ...base, servername: host, rejectUnauthorized: opts.ca !== undefined, ca: opts.ca }, onResponse);
    req.on('socket', (s) => {
      if (ep === 'web') return;
      (s as TLSSocket).once('secureConnect', () => {
        const c = (s as TLSSocket).getPeerCertificate();
        certificate = { subjectCN: first(c.subject?.CN), issuerCN: first(c.issuer?.CN), subjectaltname: c.subjectaltname, raw: c };
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${ep} for ${host} within ${base.timeout} ms`)));
    req.on('error', reject);
    req.end();
  });
}

// ---------------------------------------------------------------------------------------------------
// A site: Ingress -> Service -> EndpointSlice -> backends, plus its Middleware and TLS Secret

export interface SiteOptions {
  namespace: string;
  host: string;
  /** The Ingress, Service, Middleware and Secret are named after it. Default `web`. */
  name?: string;
  /** Addresses of the site's three backends (ok, reset, error). Default 127.0.0.2-4. */
  backendHosts?: [string, string, string];
}

/** The router name Traefik gives an Ingress rule: provider.Normalize(ns-ingress-host+path)@kubernetes. */
export function ingressRouterName(namespace: string, ingress: string, host: string, path: string): string {
  const normalize = (s: string) => s.split(/[^\p{L}\p{N}]+/u).filter(Boolean).join('-');
  return `${normalize(`${namespace}-${ingress}-${host}${path}`)}@kubernetes`;
}

export class Site {
  readonly name: string;
  readonly ingressName: string;
  readonly serviceName: string;
  readonly middlewareName: string;
  readonly tlsSecretName: string;
  readonly endpointSliceName: string;
  /** `<namespace>-<middleware>@kubernetescrd`, as the Ingress's router.middlewares names it. */
  readonly middlewareRef: string;
  /** Traefik's name of the route's router and service. */
  readonly routerName: string;
  readonly serviceRef: string;
  /** The header the site's Middleware adds to every response (proof that it ran). */
  static readonly MIDDLEWARE_HEADER = 'x-chainboard-middleware';

  private entrypoints = 'websecure';

  constructor(
    private readonly cp: ControlPlane,
    readonly namespace: string,
    readonly host: string,
    readonly ca: CertificateAuthority,
    private readonly tlsCert: { cert: string; key: string },
    readonly backends: { ok: Backend; reset: Backend; error: Backend },
    name: string,
  ) {
    this.name = name;
    this.ingressName = name;
    this.serviceName = name;
    this.middlewareName = `${name}-headers`;
    this.tlsSecretName = `${name}-tls`;
    this.endpointSliceName = `${name}-0`;
    this.middlewareRef = `${namespace}-${this.middlewareName}@kubernetescrd`;
    this.routerName = ingressRouterName(namespace, name, host, '/');
    this.serviceRef = `${namespace}-${name}-http@kubernetes`;
  }

  /** The route is healthy: 200 from the ok backend, through the Middleware, with the site's certificate. */
  async isHealthy(traefik: Traefik): Promise<ProbeResult | undefined> {
    const r = await probe(traefik, this.host, { ca: this.ca.certPem });
    return r.status === 200 && r.headers[BACKEND_HEADER] === `ok@${this.backends.ok.host}` && r.headers[Site.MIDDLEWARE_HEADER] === 'on' ? r : undefined;
  }

  async waitHealthy(traefik: Traefik, timeoutMs = 60_000): Promise<ProbeResult> {
    return waitFor(`${this.host} healthy through Traefik`, () => this.isHealthy(traefik), { timeoutMs, intervalMs: 250 });
  }

  /** Every object of the healthy site. */
  objects(): KubeObject[] {
    return [namespaceObject(this.namespace), this.service(this.backends.ok), this.tlsSecret(), this.middleware(), this.ingress()];
  }

  /**
   * The site's Service: an ExternalName Service to `backend`'s address and port, or (null) a
   * selector-less ClusterIP Service, whose EndpointSlice the test writes.
   *
   * Why ExternalName for a live backend: kube-apiserver refuses loopback addresses in EndpointSlices
   * ("may not be in the loopback range (127.0.0.0/8, ::1/128)"), and the tests send packets to
   * 127.0.0.0/8 only. An ExternalName that is an IP literal makes Traefik dial exactly that address
   * (`http://<externalName>:<port>`), with no resolver involved.
   */
  service(backend: Backend | null): KubeObject {
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: this.serviceName, namespace: this.namespace },
      spec:
        backend === null
          ? { type: 'ClusterIP', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }
          : { type: 'ExternalName', externalName: backend.host, ports: [{ name: 'http', port: backend.port, protocol: 'TCP' }] },
    };
  }

  /** The selector-less Service's EndpointSlice, with no endpoint. */
  emptyEndpointSlice(): KubeObject {
    return {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: this.endpointSliceName, namespace: this.namespace, labels: { 'kubernetes.io/service-name': this.serviceName } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [],
    };
  }

  tlsSecret(): KubeObject {
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: this.tlsSecretName, namespace: this.namespace },
      type: 'kubernetes.io/tls',
      stringData: { 'tls.crt': this.tlsCert.cert, 'tls.key': this.tlsCert.key },
    };
  }

  middleware(): KubeObject {
    return {
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'Middleware',
      metadata: { name: this.middlewareName, namespace: this.namespace },
      spec: { headers: { customResponseHeaders: { [Site.MIDDLEWARE_HEADER]: 'on' } } },
    };
  }

  /** The Ingress in the cluster's pattern: class traefik-external, pinned to websecure, a Middleware, spec.tls. */
  ingress(): KubeObject {
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: this.ingressName,
        namespace: this.namespace,
        annotations: { [`${ANN}router.entrypoints`]: this.entrypoints, [`${ANN}router.middlewares`]: this.middlewareRef },
      },
      spec: {
        ingressClassName: INGRESS_CLASS,
        tls: [{ hosts: [this.host], secretName: this.tlsSecretName }],
        rules: [
          {
            host: this.host,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: this.serviceName, port: { name: 'http' } } } }] },
          },
        ],
      },
    };
  }

  async apply(): Promise<void> {
    await this.cp.applyAll(this.objects());
  }

  /** Routes the site's Service to one backend (ExternalName; any EndpointSlice of it goes). */
  async setBackend(backend: Backend): Promise<void> {
    await this.cp.apply(this.service(backend));
    await this.deleteEndpointSlice();
  }

  /**
   * Takes the site's endpoints away: the Service becomes a selector-less ClusterIP Service whose
   * EndpointSlice lists no endpoint (`empty`) or that has no EndpointSlice at all (`deleted`).
   */
  async removeEndpoints(how: 'empty' | 'deleted'): Promise<void> {
    await this.cp.apply(this.service(null));
    if (how === 'empty') await this.cp.apply(this.emptyEndpointSlice());
    else await this.deleteEndpointSlice();
  }

  private async deleteEndpointSlice(): Promise<void> {
    const path = `/apis/discovery.k8s.io/v1/namespaces/${this.namespace}/endpointslices/${this.endpointSliceName}`;
    const r = await this.cp.api('DELETE', path);
    if (r.status !== 200 && r.status !== 404) throw new Error(`DELETE ${path}: ${r.status} ${r.text}`);
  }

  async deleteMiddleware(): Promise<void> {
    await this.delete(`/apis/traefik.io/v1alpha1/namespaces/${this.namespace}/middlewares/${this.middlewareName}`);
  }

  async createMiddleware(): Promise<void> {
    await this.cp.apply(this.middleware());
  }

  async deleteTlsSecret(): Promise<void> {
    await this.delete(`/api/v1/namespaces/${this.namespace}/secrets/${this.tlsSecretName}`);
  }

  async createTlsSecret(): Promise<void> {
    await this.cp.apply(this.tlsSecret());
  }

  /** The Ingress's `router.entrypoints` annotation. */
  async setEntrypoints(entrypoints: 'web' | 'websecure'): Promise<void> {
    this.entrypoints = entrypoints;
    await this.cp.apply(this.ingress());
  }

  private async delete(path: string): Promise<void> {
    const r = await this.cp.api('DELETE', path);
    if (r.status !== 200 && r.status !== 202) throw new Error(`DELETE ${path}: ${r.status} ${r.text}`);
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.backends).map((b) => b.close()));
  }
}

/**
 * Creates a healthy site in its own namespace: its three backends (ok, reset, error), a certificate for
 * `host` from a new CA (Secret `<name>-tls`), the Service with an EndpointSlice to the ok backend, a
 * headers Middleware, and the Ingress (class traefik-external, websecure, the Middleware, spec.tls).
 */
export async function createSite(cp: ControlPlane, opts: SiteOptions): Promise<Site> {
  const [okHost, resetHost, errorHost] = opts.backendHosts ?? ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
  const ca = await createCa({ name: `CN=chainboard-traefik-e2e-ca ${opts.namespace}` });
  const tls = await issueCertificate(ca, { dns: [opts.host] });
  const [ok, reset, error] = await Promise.all([startBackend('ok', okHost), startBackend('reset', resetHost), startBackend('error', errorHost)]);
  const site = new Site(cp, opts.namespace, opts.host, ca, tls, { ok, reset, error }, opts.name ?? 'web');
  try {
    await site.apply();
  } catch (e) {
    await site.close();
    throw e;
  }
  return site;
}

// ---------------------------------------------------------------------------------------------------
// The failures, each with its repair

export type ScenarioId = 'middleware-missing' | 'backend-resets' | 'backend-error' | 'no-endpoints' | 'endpointslice-deleted' | 'entrypoint-web' | 'tls-secret-missing';

/** A failure Traefik users meet, as a change to a healthy site, and the change that repairs it. */
export interface Scenario {
  id: ScenarioId;
  /** What is broken, in a sentence. */
  what: string;
  break(site: Site): Promise<void>;
  repair(site: Site): Promise<void>;
  /**
   * What Traefik v3.7.13 answers on websecure while it is broken (with allowEmptyServices), as
   * traefik.test.ts observes it: the status, the body when it is Traefik's own, who answered, and the
   * certificate's subject when it is not the site's.
   */
  answer: { status: number; body?: string; from: 'traefik' | 'backend'; certificate?: string };
}

/**
 * The failures, in the order the test runs them; each repair brings the site back to healthy
 * (Site.waitHealthy). What Traefik does with each is asserted in traefik.test.ts and summarised in
 * the README.
 */
export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'middleware-missing',
    what: 'the Middleware that router.middlewares names does not exist',
    break: (s) => s.deleteMiddleware(),
    repair: (s) => s.createMiddleware(),
    answer: { status: 404, body: TRAEFIK_NOT_FOUND_BODY, from: 'traefik' },
  },
  {
    id: 'backend-resets',
    what: 'the only endpoint resets every connection',
    break: (s) => s.setBackend(s.backends.reset),
    repair: (s) => s.setBackend(s.backends.ok),
    answer: { status: 502, body: 'Bad Gateway', from: 'traefik' },
  },
  {
    id: 'backend-error',
    what: 'the only endpoint answers 500 itself',
    break: (s) => s.setBackend(s.backends.error),
    repair: (s) => s.setBackend(s.backends.ok),
    answer: { status: 500, from: 'backend' },
  },
  {
    id: 'no-endpoints',
    what: "the Service's EndpointSlice lists no endpoint",
    break: (s) => s.removeEndpoints('empty'),
    repair: (s) => s.setBackend(s.backends.ok),
    answer: { status: 503, body: 'no available server\n', from: 'traefik' },
  },
  {
    id: 'endpointslice-deleted',
    what: 'the Service has no EndpointSlice at all',
    break: (s) => s.removeEndpoints('deleted'),
    repair: (s) => s.setBackend(s.backends.ok),
    answer: { status: 503, body: 'no available server\n', from: 'traefik' },
  },
  {
    id: 'entrypoint-web',
    what: 'the Ingress pins router.entrypoints to web while the site is reached over HTTPS',
    break: (s) => s.setEntrypoints('web'),
    repair: (s) => s.setEntrypoints('websecure'),
    answer: { status: 404, body: TRAEFIK_NOT_FOUND_BODY, from: 'traefik' },
  },
  {
    id: 'tls-secret-missing',
    what: "the Ingress's TLS Secret does not exist",
    break: (s) => s.deleteTlsSecret(),
    repair: (s) => s.createTlsSecret(),
    answer: { status: 200, from: 'backend', certificate: TRAEFIK_DEFAULT_CERT },
  },
];

export function scenario(id: ScenarioId): Scenario {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id}`);
  return s;
}
