/**
 * Traefik's runtime view, as its API serves it (`/api/http/routers`, `/api/http/services`,
 * `/api/http/middlewares`, `/api/entrypoints`), slimmed to the fields Chainboard reads. The field names
 * are Traefik's own JSON names (pkg/api/handler_http.go: `routerRepresentation` embeds
 * `runtime.RouterInfo`, whose `error`, `status` and `using` sit beside the dynamic router's
 * `entryPoints`, `middlewares`, `service`, `rule` and `tls`).
 *
 * @see https://doc.traefik.io/traefik/reference/install-configuration/api-dashboard/
 */

/** `runtime.StatusEnabled`, `StatusDisabled`, `StatusWarning`. */
export type TraefikStatus = 'enabled' | 'disabled' | 'warning';

export interface TraefikRouter {
  /** Qualified name, e.g. `hst-acme-web-shop-acme-example@kubernetes`. */
  name: string;
  provider?: string;
  status: TraefikStatus;
  /** Traefik's own error texts, e.g. `middleware "hst-x-auth@kubernetescrd" does not exist`. */
  error?: string[];
  /** As configured; empty means every default entrypoint. */
  entryPoints?: string[];
  /** The entrypoints the router is really on. */
  using?: string[];
  middlewares?: string[];
  service?: string;
  rule?: string;
  /** Present when the router terminates TLS. */
  tls?: { certResolver?: string; options?: string };
}

export interface TraefikService {
  name: string;
  provider?: string;
  status: TraefikStatus;
  error?: string[];
  type?: string;
  /** Server URL -> `UP`/`DOWN`, from Traefik's health checks (absent without health checks). */
  serverStatus?: Record<string, string>;
  /** The load balancer's servers. */
  servers?: string[];
}

export interface TraefikMiddleware {
  name: string;
  provider?: string;
  status: TraefikStatus;
  error?: string[];
  type?: string;
}

export interface TraefikEntryPoint {
  name: string;
  address?: string;
  /** Does the entrypoint terminate TLS for every router on it (`http.tls`)? */
  tls: boolean;
  /** The entrypoint every request is redirected to (`http.redirections.entryPoint.to`), if any. */
  redirectTo?: string;
}

/** One good answer of Traefik's API. */
export interface TraefikRuntime {
  /** When this answer was read; the poller keeps the first read time while the answers stay the same. */
  fetchedAt: string;
  routers: TraefikRouter[];
  services: TraefikService[];
  middlewares: TraefikMiddleware[];
  /** `undefined` when `/api/entrypoints` could not be read: entrypoint checks are then skipped. */
  entryPoints?: TraefikEntryPoint[];
}

/**
 * What Chainboard knows of Traefik's runtime: the last good answer (if any) and, when the latest poll
 * failed, why and since when. `runtime` with `error` is stale; no `runtime` with `error` is unreachable.
 */
export interface TraefikView {
  /** The API's base URL, as configured. */
  api: string;
  runtime?: TraefikRuntime;
  error?: { message: string; since: string };
}

/**
 * Traefik's `provider.Normalize`: every run of characters that are not letters or digits becomes one
 * `-`, and leading and trailing runs are dropped (Go's `strings.FieldsFunc` over `unicode.IsLetter` and
 * `unicode.IsNumber`). So `hst-acme-web-*.acme.example/api/v1` is `hst-acme-web-acme-example-api-v1`.
 */
export function traefikNormalize(name: string): string {
  return name
    .split(/[^\p{L}\p{N}]+/u)
    .filter((s) => s !== '')
    .join('-');
}

/** The Kubernetes Ingress provider's name, the suffix of every router and service it makes. */
export const INGRESS_PROVIDER = 'kubernetes';
/** The Kubernetes CRD provider's name, the suffix of every Middleware it loads. */
export const CRD_PROVIDER = 'kubernetescrd';

/**
 * The router key the Kubernetes Ingress provider gives one path of one rule:
 * `TrimPrefix(Normalize(namespace + "-" + ingress + "-" + host + path), "-")`, qualified with
 * `@kubernetes`. When two paths of one Ingress normalise to the same key, Traefik appends `-` and the
 * first 10 hex digits of the SHA-256 of each router's rule (see {@link matchesRouterKey}). An Ingress
 * default backend is the one router `default-router@kubernetes`.
 * @see https://github.com/traefik/traefik/blob/master/pkg/provider/kubernetes/ingress/kubernetes.go
 */
export function ingressRouterName(namespace: string, ingress: string, host: string, path: string): string {
  return `${traefikNormalize(`${namespace}-${ingress}-${host}${path}`)}@${INGRESS_PROVIDER}`;
}

/** `default-router@kubernetes`: the router of an Ingress's `spec.defaultBackend`. */
export const DEFAULT_BACKEND_ROUTER = `default-router@${INGRESS_PROVIDER}`;

/**
 * The service key of an Ingress backend: `Normalize(namespace + "-" + service + "-" + port)` where the
 * port is its name, or its number when unnamed; qualified with `@kubernetes`.
 */
export function ingressServiceName(namespace: string, service: string, port: string | number): string {
  return `${traefikNormalize(`${namespace}-${service}-${port}`)}@${INGRESS_PROVIDER}`;
}

/**
 * The id of a `Middleware` of the CRD provider: `Normalize(namespace + "-" + name)`, qualified with
 * `@kubernetescrd`; the form an Ingress's `router.middlewares` annotation must use.
 */
export function crdMiddlewareName(namespace: string, name: string): string {
  return `${traefikNormalize(`${namespace}-${name}`)}@${CRD_PROVIDER}`;
}

/**
 * Is `name` the router `expected` (from {@link ingressRouterName}), plain or with the hash suffix Traefik
 * adds when several paths of an Ingress share a key?
 */
export function matchesRouterKey(name: string, expected: string): boolean {
  if (name === expected) return true;
  const at = expected.lastIndexOf('@');
  const key = expected.slice(0, at);
  const provider = expected.slice(at);
  return name.endsWith(provider) && name.length === expected.length + 11 && name.startsWith(`${key}-`) && /^[0-9a-f]{10}$/.test(name.slice(key.length + 1, key.length + 11));
}

/** The qualified name Traefik resolves a reference to: one without `@` belongs to the referrer's provider. */
export function qualifyName(name: string, provider: string): string {
  return name.includes('@') ? name : `${name}@${provider}`;
}

/** The names in a comma-separated Traefik annotation such as `router.middlewares`, trimmed. */
export function splitTraefikList(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
