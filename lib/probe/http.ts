/**
 * An HTTPS request per route path of a domain, through the address the Ingress publishes (or the
 * configured probe address), with SNI and Host set to the domain: what a user's browser gets. The answer
 * is told apart as the ingress controller's own (Traefik's `404 page not found` when no router matches,
 * its `Bad Gateway` / `no available server` / `Gateway Timeout` pages when the backend fails) or the
 * backend's.
 *
 * Bounds: one request at a time per host, at most {@link MAX_REDIRECTS} redirects followed and only to
 * hosts the cluster serves (a caller-supplied resolver decides; anything else is reported, not
 * followed), at most {@link MAX_BODY_BYTES} of a body read, one timeout for the whole check.
 *
 * @see https://doc.traefik.io/traefik/routing/routers/
 */
import 'server-only';
import { request, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { ControllerAnswer, HttpProbeResult, HttpRouteRef, RedirectStop } from '../model/probe';
import { formatTarget } from './tls';

export const MAX_REDIRECTS = 5;
/** The most of a body read: enough to tell Traefik's pages from a backend's, never a whole download. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Paths checked per host at most, so one Ingress with many rules cannot make a round unbounded. */
export const MAX_PATHS_PER_HOST = 8;
const SNIPPET_CHARS = 200;

/** One route path of a host to check. */
export interface HttpCheck {
  path: string;
  route: HttpRouteRef;
  /** `chainboard.io/expect-status`, when the route is expected to answer e.g. 401. */
  expectStatus?: number[];
}

/** Where to dial for a host, or undefined when the host is not one the cluster serves (or not allowed). */
export type ResolveHost = (host: string) => { address: string; port: number } | undefined;

export interface HttpProbeOptions {
  host: string;
  address: string;
  port?: number;
  check: HttpCheck;
  /** For redirects: where a redirect's host is dialled; a host it does not know is not followed. */
  resolveHost: ResolveHost;
  timeoutMs?: number;
  now?: () => number;
  /** Aborting ends the check at once with an `other` error. */
  signal?: AbortSignal;
  /** Monotonic milliseconds for latency; injectable for tests only when needed. */
  clock?: () => number;
}

/**
 * Traefik's own pages, as Traefik v3 writes them: Go's `http.NotFound` when no router matches;
 * `no available server` (`http.Error`, text/plain) from its load balancer when the service has no
 * server; and from its reverse proxy's error handler the bare status text (`Bad Gateway`, `Gateway
 * Timeout`, `Service Unavailable`) with no Content-Type at all. Older Traefik versions answered 503 with
 * the status text too.
 */
const CONTROLLER_BODIES: Readonly<Record<number, { bodies: readonly string[]; answer: ControllerAnswer; untyped?: true }>> = {
  404: { bodies: ['404 page not found'], answer: 'not-found' },
  502: { bodies: ['Bad Gateway'], answer: 'bad-gateway', untyped: true },
  503: { bodies: ['no available server', 'Service Unavailable'], answer: 'unavailable', untyped: true },
  504: { bodies: ['Gateway Timeout'], answer: 'gateway-timeout', untyped: true },
};

/**
 * Did the controller answer itself? Its pages are exact plain-text bodies (a backend's page rarely is),
 * typed text/plain, or untyped where Traefik's proxy writes them without a Content-Type.
 */
export function controllerAnswer(statusCode: number, contentType: string | undefined, body: string): ControllerAnswer | undefined {
  const known = CONTROLLER_BODIES[statusCode];
  if (!known) return undefined;
  const type = (contentType ?? '').trim().toLowerCase();
  if (!(type.startsWith('text/plain') || (type === '' && known.untyped))) return undefined;
  return known.bodies.includes(body.replace(/\r?\n$/, '')) ? known.answer : undefined;
}

/**
 * The headers of an answer nothing but the HTTP server itself writes: Go's `http.Error` in Traefik sets
 * Content-Type and X-Content-Type-Options; the server adds the date, length and connection ones; an
 * entrypoint with HTTP/3 advertises it. Any other header (Server, X-Powered-By, Set-Cookie, a request id,
 * caching) is an application's, or a proxy's in front of one.
 */
const TRANSPORT_HEADERS = new Set(['content-type', 'x-content-type-options', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'alt-svc']);

/**
 * Is a 500 Traefik's own bare answer for a router whose service cannot be resolved (a missing backend of
 * an HTTPRoute, a backend it may not use, a service that does not exist)? It is `http.Error`'s status text
 * exactly, typed text/plain, with no header but the server's own. An application's 500 says more, or
 * carries headers of its own.
 * @see https://pkg.go.dev/net/http#Error
 */
export function bareInternalError(statusCode: number, contentType: string | undefined, headerNames: readonly string[], body: string): boolean {
  if (statusCode !== 500) return false;
  if (!(contentType ?? '').trim().toLowerCase().startsWith('text/plain')) return false;
  if (body.replace(/\r?\n$/, '') !== 'Internal Server Error') return false;
  return headerNames.every((h) => TRANSPORT_HEADERS.has(h.toLowerCase()));
}

const TEXTUAL = /^(text\/|application\/(json|problem\+json|xml|xhtml\+xml))/i;

/** The start of a text body with control characters and runs of spaces collapsed; binary bodies give none. */
export function bodySnippet(contentType: string | undefined, body: string): string | undefined {
  if (!TEXTUAL.test(contentType ?? '')) return undefined;
  // eslint-disable-next-line no-control-regex
  const text = body.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS)}…` : text;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']);

type ErrorKind = Extract<HttpProbeResult, { status: 'error' }>['errorKind'];

/**
 * Map a request error: no TCP or TLS connection is `unreachable`; a hang-up after the request went out
 * is `reset` (the controller accepted the connection and dropped it without an answer).
 */
export function classifyHttpError(e: unknown, connected: boolean): ErrorKind {
  const err = e as NodeJS.ErrnoException & { library?: string };
  const code = typeof err?.code === 'string' ? err.code : '';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (UNREACHABLE.has(code)) return 'unreachable';
  if (!connected) return 'unreachable';
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(err?.message ?? '')) return 'reset';
  return 'other';
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { reason?: string };
  if (!err || typeof err !== 'object') return String(e);
  const text = err.reason ?? err.message ?? String(e);
  return err.code && !text.includes(err.code) ? `${text} (${err.code})` : text;
}

interface Answer {
  statusCode: number;
  /** The names of the answer's headers, lower-case. */
  headerNames: string[];
  contentType?: string;
  location?: string;
  body: string;
  truncated: boolean;
}

class CheckError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** One request; reads at most MAX_BODY_BYTES and always destroys the socket. */
function once(url: URL, address: string, port: number, signal: AbortSignal): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    let connected = false;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const options = {
      host: address,
      port,
      method: 'GET',
      path: `${url.pathname}${url.search}`,
      // A browser reaching the domain on the standard port sends the bare name; routers match it.
      headers: { host: url.host, 'user-agent': 'chainboard-probe', accept: '*/*', connection: 'close' },
      agent: false as const,
      signal,
    };
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const done = () => {
        const body = Buffer.concat(chunks).toString('utf8');
        res.destroy();
        resolve({
          statusCode: res.statusCode ?? 0,
          headerNames: Object.keys(res.headers),
          ...(res.headers['content-type'] ? { contentType: res.headers['content-type'] } : {}),
          ...(res.headers.location ? { location: res.headers.location } : {}),
          body,
          truncated,
        });
      };
      res.on('data', (c: Buffer) => {
        if (truncated) return;
        const room = MAX_BODY_BYTES - size;
        if (c.length >= room) {
          chunks.push(c.subarray(0, room));
          size = MAX_BODY_BYTES;
          truncated = c.length > room || res.readableLength > 0 || !res.complete;
          // The limit reached: stop reading, the rest is never needed.
          done();
          return;
        }
        chunks.push(c);
        size += c.length;
      });
      res.on('end', done);
      res.on('error', (e) => signal.aborted ? reject(signal.reason) : reject(new CheckError(classifyHttpError(e, true), `the answer broke off: ${describe(e)}`)));
    };
    const req =
      url.protocol === 'https:'
        ? httpsRequest(
            {
              ...options,
              // SNI must be a name: node rejects IP literals there.
              servername: isIP(host) ? undefined : host,
              // The certificate is the TLS probe's to judge; the check wants what the route answers
              // even behind an untrusted one. No CA is loaded, so no per-request trust store is built.
              rejectUnauthorized: false,
            },
            onResponse,
          )
        : request(options, onResponse);
    req.on('socket', (s) => s.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => (connected = true)));
    req.on('error', (e) => {
      if (signal.aborted) return reject(signal.reason);
      const kind = classifyHttpError(e, connected);
      const what = kind === 'reset' ? 'the connection was closed without an answer' : kind === 'unreachable' ? 'no connection' : 'the request failed';
      reject(new CheckError(kind, `${what}: ${describe(e)}`));
    });
    req.end();
  });
}

/**
 * Check one route path of a host. Never throws. Redirects are followed while they stay on HTTPS and on
 * hosts `resolveHost` knows, at most {@link MAX_REDIRECTS}; a redirect that leaves, repeats or exceeds
 * that is recorded with why it stopped.
 */
export async function probeHttp(opts: HttpProbeOptions): Promise<HttpProbeResult> {
  const { host, address, check } = opts;
  const port = opts.port ?? 443;
  const timeoutMs = opts.timeoutMs ?? 3000;
  const now = opts.now ?? Date.now;
  const clock = opts.clock ?? (() => performance.now());
  const target = formatTarget(address, port);
  const started = clock();
  const base = {
    host,
    path: check.path,
    route: check.route,
    target,
    ...(check.expectStatus?.length ? { expectStatus: check.expectStatus } : {}),
  };
  const elapsed = () => Math.round(clock() - started);

  const abort = new AbortController();
  const timeoutReason = new CheckError('timeout', `no answer within ${timeoutMs} ms`);
  const timer = setTimeout(() => abort.abort(timeoutReason), timeoutMs);
  const onOuterAbort = () => abort.abort(new CheckError('other', 'probe cancelled'));
  if (opts.signal?.aborted) onOuterAbort();
  else opts.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const redirects: string[] = [];
  try {
    let url = new URL(`https://${isIP(host) === 6 ? `[${host}]` : host}${check.path.startsWith('/') ? check.path : `/${check.path}`}`);
    let dial = { address, port };
    const seen = new Set<string>([url.href]);
    for (;;) {
      const a = await once(url, dial.address, dial.port, abort.signal);
      const latencyMs = elapsed();
      const bare = bareInternalError(a.statusCode, a.contentType, a.headerNames, a.body);
      const controller = bare ? 'internal-error' : controllerAnswer(a.statusCode, a.contentType, a.body);
      const snippet = bodySnippet(a.contentType, a.body);
      const answered = {
        ...base,
        status: 'ok' as const,
        checkedAt: new Date(now()).toISOString(),
        latencyMs,
        statusCode: a.statusCode,
        from: controller ? ('controller' as const) : ('backend' as const),
        ...(controller ? { controller } : {}),
        ...(bare ? { bare: true as const } : {}),
        redirects: [...redirects],
        ...(snippet ? { bodySnippet: snippet } : {}),
        ...(a.truncated ? { bodyTruncated: true } : {}),
      };
      const isRedirect = a.statusCode >= 300 && a.statusCode < 400 && a.location !== undefined;
      if (!isRedirect || (check.expectStatus?.includes(a.statusCode) ?? false)) return answered;
      let next: URL;
      try {
        next = new URL(a.location as string, url);
      } catch {
        return answered;
      }
      const stop = (why: RedirectStop): HttpProbeResult => ({ ...answered, redirect: { location: next.href, stop: why } });
      const nextHost = next.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase().replace(/\.$/, '');
      const resolved = opts.resolveHost(nextHost);
      if (!resolved) return stop('offsite');
      if (next.protocol !== 'https:') return stop('insecure');
      if (seen.has(next.href)) return stop('loop');
      if (redirects.length >= MAX_REDIRECTS) return stop('limit');
      seen.add(next.href);
      redirects.push(next.href);
      url = next;
      // The port of an explicit `https://host:port/` is the controller's only when it is the probe port.
      dial = resolved;
    }
  } catch (e) {
    const err = e instanceof CheckError ? e : abort.signal.reason instanceof CheckError ? abort.signal.reason : undefined;
    return {
      ...base,
      status: 'error',
      checkedAt: new Date(now()).toISOString(),
      latencyMs: elapsed(),
      errorKind: err?.kind ?? 'other',
      error: err?.message ?? describe(e),
      redirects,
    };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/**
 * Check each route path of a host in turn (at most {@link MAX_PATHS_PER_HOST}): one request in flight per
 * host, so the manager's host concurrency bounds the whole round.
 */
export async function probeHttpHost(
  opts: Omit<HttpProbeOptions, 'check'> & { checks: readonly HttpCheck[] },
): Promise<HttpProbeResult[]> {
  const out: HttpProbeResult[] = [];
  for (const check of opts.checks.slice(0, MAX_PATHS_PER_HOST)) {
    if (opts.signal?.aborted) break;
    out.push(await probeHttp({ ...opts, check }));
  }
  return out;
}
