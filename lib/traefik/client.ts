import 'server-only';
/**
 * A read-only client of Traefik's API: `GET /api/http/routers`, `/api/http/services`,
 * `/api/http/middlewares` and `/api/entrypoints`, each paged the way Traefik pages them (`per_page`,
 * `page`, and the next page in the `X-Next-Page` header, `1` on the last), with one timeout over the
 * whole read and a bound on the bytes read. What comes back is slimmed to lib/model/traefik.ts.
 *
 * @see https://doc.traefik.io/traefik/reference/install-configuration/api-dashboard/#endpoints
 */
import type { TraefikEntryPoint, TraefikMiddleware, TraefikRouter, TraefikRuntime, TraefikService, TraefikStatus, TraefikView } from '../model/traefik';

export interface TraefikClientOptions {
  /** The API's base URL, e.g. `http://traefik-api.traefik.svc:9000`. */
  baseUrl: string;
  /** Over the whole read (every page of every list). */
  timeoutMs: number;
  /** Items asked per page. */
  perPage?: number;
  /** Pages read per list at most: a runaway `X-Next-Page` cannot loop. */
  maxPages?: number;
  /** Bytes read per response at most. */
  maxBytes?: number;
  now?: () => Date;
  signal?: AbortSignal;
}

/** A read that failed: the URL, and what went wrong (status, timeout, refused, bad JSON). */
export class TraefikApiError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'TraefikApiError';
  }
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const strs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
const status = (v: unknown): TraefikStatus => (v === 'disabled' || v === 'warning' ? v : 'enabled');

function compact<T extends object>(o: T): T {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** A router of `/api/http/routers` (routerRepresentation). */
export function slimRouter(o: Json): TraefikRouter | undefined {
  const name = str(o.name);
  if (!name) return undefined;
  const tls = isObj(o.tls) ? compact({ certResolver: str(o.tls.certResolver), options: str(o.tls.options) }) : undefined;
  return compact({
    name,
    provider: str(o.provider),
    status: status(o.status),
    error: strs(o.error),
    entryPoints: strs(o.entryPoints),
    using: strs(o.using),
    middlewares: strs(o.middlewares),
    service: str(o.service),
    rule: str(o.rule),
    tls,
  });
}

/** A service of `/api/http/services` (serviceRepresentation; servers from `loadBalancer.servers[].url`). */
export function slimService(o: Json): TraefikService | undefined {
  const name = str(o.name);
  if (!name) return undefined;
  const lb = isObj(o.loadBalancer) ? o.loadBalancer : undefined;
  const servers = lb && Array.isArray(lb.servers) ? lb.servers.map((s) => (isObj(s) ? str(s.url) : undefined)).filter((u): u is string => !!u) : undefined;
  let serverStatus: Record<string, string> | undefined;
  if (isObj(o.serverStatus)) {
    serverStatus = {};
    for (const [url, st] of Object.entries(o.serverStatus)) if (typeof st === 'string') serverStatus[url] = st;
  }
  return compact({ name, provider: str(o.provider), status: status(o.status), error: strs(o.error), type: str(o.type), serverStatus, servers });
}

/** A middleware of `/api/http/middlewares` (middlewareRepresentation), without its settings. */
export function slimMiddleware(o: Json): TraefikMiddleware | undefined {
  const name = str(o.name);
  if (!name) return undefined;
  return compact({ name, provider: str(o.provider), status: status(o.status), error: strs(o.error), type: str(o.type) });
}

/** An entrypoint of `/api/entrypoints`: its address, whether it terminates TLS, where it redirects. */
export function slimEntryPoint(o: Json): TraefikEntryPoint | undefined {
  const name = str(o.name);
  if (!name) return undefined;
  const http = isObj(o.http) ? o.http : {};
  const redirections = isObj(http.redirections) ? http.redirections : {};
  const to = isObj(redirections.entryPoint) ? str(redirections.entryPoint.to) : undefined;
  return compact({ name, address: str(o.address), tls: isObj(http.tls), redirectTo: to });
}

/** Read one list, every page of it. */
async function readList(opts: Required<Pick<TraefikClientOptions, 'baseUrl' | 'perPage' | 'maxPages' | 'maxBytes'>>, path: string, signal: AbortSignal): Promise<Json[]> {
  const out: Json[] = [];
  let page = 1;
  for (let n = 0; n < opts.maxPages; n++) {
    const url = `${opts.baseUrl.replace(/\/+$/, '')}${path}?per_page=${opts.perPage}&page=${page}`;
    let res: Response;
    try {
      res = await fetch(url, { signal, headers: { accept: 'application/json' }, redirect: 'error' });
    } catch (e) {
      throw new TraefikApiError(fetchErrorText(e, signal), url);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new TraefikApiError(`HTTP ${res.status} from ${path}`, url, res.status);
    }
    const text = await readBounded(res, opts.maxBytes, url);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new TraefikApiError(`${path} answered something that is not JSON`, url);
    }
    if (!Array.isArray(body)) throw new TraefikApiError(`${path} answered JSON that is not a list`, url);
    for (const item of body) if (isObj(item)) out.push(item);
    const next = Number(res.headers.get('x-next-page') ?? '1');
    if (!Number.isInteger(next) || next <= page) return out;
    page = next;
  }
  throw new TraefikApiError(`${path} has more than ${opts.maxPages} pages`, `${opts.baseUrl}${path}`);
}

async function readBounded(res: Response, maxBytes: number, url: string): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new TraefikApiError(`answer larger than ${maxBytes} bytes`, url);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function fetchErrorText(e: unknown, signal: AbortSignal): string {
  if (signal.aborted) {
    const reason = signal.reason as { name?: string; message?: string } | undefined;
    return reason?.name === 'TimeoutError' ? 'timed out' : `aborted${reason?.message ? `: ${reason.message}` : ''}`;
  }
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  if (err.cause?.code) return `${err.cause.code}${err.cause.message ? ` (${err.cause.message})` : ''}`;
  // undici says only "fetch failed"; the reason is in its cause (e.g. "bad port").
  return err.cause?.message ? `${err.message ?? 'fetch failed'}: ${err.cause.message}` : (err.message ?? String(e));
}

/**
 * Read Traefik's runtime once. Throws {@link TraefikApiError} when a list of routers, services or
 * middlewares cannot be read; the entrypoints are optional (`entryPoints` is then `undefined`, and
 * entrypoint checks are skipped).
 */
export async function readTraefikRuntime(options: TraefikClientOptions): Promise<TraefikRuntime> {
  const opts = { baseUrl: options.baseUrl, perPage: options.perPage ?? 1000, maxPages: options.maxPages ?? 100, maxBytes: options.maxBytes ?? 64 * 1024 * 1024 };
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const pick = <T>(list: Json[], slim: (o: Json) => T | undefined): T[] => list.map(slim).filter((x): x is T => x !== undefined);
  const [routers, services, middlewares, entryPoints] = await Promise.all([
    readList(opts, '/api/http/routers', signal),
    readList(opts, '/api/http/services', signal),
    readList(opts, '/api/http/middlewares', signal),
    readList(opts, '/api/entrypoints', signal).catch((e: unknown) => {
      // Only a refusal of this one list is tolerated; a timeout or an abort fails the whole read.
      if (e instanceof TraefikApiError && e.status !== undefined) return undefined;
      throw e;
    }),
  ]);
  const runtime: TraefikRuntime = {
    fetchedAt: (options.now ?? (() => new Date()))().toISOString(),
    routers: pick(routers, slimRouter),
    services: pick(services, slimService),
    middlewares: pick(middlewares, slimMiddleware),
  };
  if (entryPoints) runtime.entryPoints = pick(entryPoints, slimEntryPoint);
  return runtime;
}

/**
 * One read as a view: the runtime, or why the API could not be read (what `chainboard check` puts in its
 * snapshot; the web app polls instead, lib/traefik/poller.ts).
 */
export async function readTraefikView(settings: { api: string; timeoutMs: number }, now: () => Date = () => new Date()): Promise<TraefikView> {
  try {
    return { api: settings.api, runtime: await readTraefikRuntime({ baseUrl: settings.api, timeoutMs: settings.timeoutMs, now }) };
  } catch (e) {
    return { api: settings.api, error: { message: e instanceof Error ? e.message : String(e), since: now().toISOString() } };
  }
}
