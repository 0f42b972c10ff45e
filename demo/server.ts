/**
 * The built-in demo cluster: an HTTP server on 127.0.0.1 that speaks the Kubernetes REST API for the kinds
 * Chainboard reads - discovery, get, list (label/field selectors, limit/continue), watch (ADDED, MODIFIED,
 * DELETED, BOOKMARK, and 410 Gone for a too-old resourceVersion) - so the app and kubectl reach it exactly
 * as they reach a real cluster, through a kubeconfig this module writes.
 *
 * Tests and the timeline change the cluster in-process (`apply`, `remove`, `patch`); another process can do
 * the same over HTTP under `/demo/v1/`, a path the real API does not use.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/
 */
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadRawObjects, parseRawObjects } from './load';
import {
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  groupVersion,
  RESOURCES,
  versionInfo,
  type KubeObject,
  type ResourceType,
} from './resources';
import { parseFieldSelector, parseLabelSelector, SelectorError } from './selectors';
import { ApiError, ClusterState, notFound, type Patch, type Scope } from './state';
import { Timeline, type TimelineOptions } from './timeline';

export type Verb = 'get' | 'list' | 'watch';

/**
 * A rule that makes matching requests fail with 403 Forbidden. Unset fields match anything;
 * `namespace: null` matches only cluster-scope requests (e.g. listing Pods in all namespaces), a string
 * only requests inside that namespace.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 */
export interface ForbidRule {
  token?: string;
  verb?: Verb | Verb[];
  /** Kind (`Pod`) or resource (`pods`). */
  kind?: string;
  namespace?: string | null;
}

export interface AuthPolicy {
  /** Reject requests without a bearer token with 401, as an API server without anonymous auth does. */
  requireToken?: boolean;
  /** User names by token, for the 403 messages. Unknown tokens are `demo-user`. */
  users?: Record<string, string>;
  forbid?: ForbidRule[];
}

export interface DemoServerOptions {
  /** 0 (default) picks a free port. The server only ever listens on 127.0.0.1. */
  port?: number;
  /** Initial objects (full API objects). */
  objects?: KubeObject[];
  /** Dump files or folders to load initial objects from (same formats as `chainboard check --dump`). */
  dumpPath?: string | string[];
  /** Run the scripted story that changes objects over time. */
  timeline?: boolean | TimelineOptions;
  /** Changes kept for watches to replay; older resourceVersions get 410 Gone. Default 1000. */
  historyLimit?: number;
  /**
   * Serve at most this many items per list page, even when the client asks for more (the API allows a
   * server to return fewer than `limit`). Lists without `limit` are still served whole, as the API server does.
   */
  maxPageSize?: number;
  /** How often a watch with allowWatchBookmarks=true gets a BOOKMARK. Default 15s (client-node gives up after 30s of silence). */
  bookmarkIntervalMs?: number;
  auth?: AuthPolicy;
  /** Serve the `/demo/v1/` mutation endpoints. Default true. */
  admin?: boolean;
  now?: () => Date;
  /** Called with a line per request when set. */
  log?: (line: string) => void;
}

export interface KubeconfigOptions {
  /** Bearer token the kubeconfig's user sends. Default `demo-token`. */
  token?: string;
  /** Context (and cluster and user) name. Default `chainboard-demo`. */
  context?: string;
  /** The context's default namespace. */
  namespace?: string;
}

/** A running demo cluster. */
export interface DemoServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly state: ClusterState;
  readonly timeline?: Timeline;
  /** Create or replace objects; a List's items are applied one by one. */
  apply(obj: KubeObject | KubeObject[]): KubeObject[];
  remove(kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  patch(kind: string, namespace: string | undefined, name: string, patch: Patch): KubeObject;
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Add a 403 rule; returns the function that removes it. */
  forbid(rule: ForbidRule): () => void;
  /** Remove every 403 rule. */
  allowAll(): void;
  /**
   * Answer LIST requests (only those sent with `token`, when given) no sooner than `seconds` from now,
   * with the data of the moment they are answered: an overloaded or distant API server, whose first
   * lists keep a freshly started client syncing. Watches and gets are not held. The hold ends by itself;
   * the returned function ends it early.
   */
  holdLists(seconds: number, opts?: { token?: string }): () => void;
  /** End every hold now: the held lists are answered. */
  releaseLists(): void;
  /** Drop the watch history: every resourceVersion seen so far becomes too old (410 Gone). */
  compact(): void;
  /** Kubeconfig YAML pointing at this server. */
  kubeconfig(opts?: KubeconfigOptions): string;
  /** Write that kubeconfig to `path`; returns `path`. */
  writeKubeconfig(path: string, opts?: KubeconfigOptions): string;
  /** Stop listening and cut every connection (watches end as when an API server goes away); data is kept. */
  stop(): Promise<void>;
  /** Listen again on the same port after `stop()`. */
  restart(): Promise<void>;
  /** Stop for good: the timeline too. */
  close(): Promise<void>;
  /** Open watch streams. */
  readonly watchCount: number;
}

/**
 * Start a demo cluster on 127.0.0.1.
 *
 * @example
 * const demo = await startDemoServer({ dumpPath: 'samples/cluster', timeline: true });
 * demo.writeKubeconfig('/tmp/demo.kubeconfig'); // KUBECONFIG=/tmp/demo.kubeconfig kubectl get pods -A
 * await demo.close();
 */
export async function startDemoServer(opts: DemoServerOptions = {}): Promise<DemoServer> {
  const now = opts.now ?? (() => new Date());
  const state = new ClusterState({ historyLimit: opts.historyLimit, now });
  const initial: KubeObject[] = [...(opts.objects ?? [])];
  if (opts.dumpPath) {
    const loaded = loadRawObjects(opts.dumpPath);
    for (const e of loaded.errors) opts.log?.(`load: ${e.file} document ${e.document}${e.item ? ` item ${e.item}` : ''}: ${e.message}`);
    initial.push(...loaded.objects);
  }
  // Namespaces first, so objects do not auto-create a namespace the dump describes itself.
  initial.sort((a, b) => Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'));
  state.seed(initial);

  const rules: ForbidRule[] = [...(opts.auth?.forbid ?? [])];
  /** Active list holds; `end` answers the lists waiting on it. */
  const holds = new Set<{ token?: string; until: number; done: Promise<void>; end: () => void }>();
  const bookmarkMs = opts.bookmarkIntervalMs ?? 15_000;
  const admin = opts.admin ?? true;
  let port = opts.port ?? 0;
  let url = '';
  let timeline: Timeline | undefined;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`);
      if (!res.headersSent) sendStatus(res, err);
      else res.destroy();
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    opts.log?.(`${req.method} ${u.pathname}${u.search}`);
    if (admin && u.pathname.startsWith('/demo/v1/')) return handleAdmin(req, res, u);
    const token = bearer(req);
    if (opts.auth?.requireToken && !token) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
    if (req.method !== 'GET') {
      throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (the demo cluster is read-only over the Kubernetes API; use ${url}/demo/v1/apply)`);
    }
    const path = u.pathname.replace(/\/+$/, '') || '/';
    if (path === '/version') return sendJson(res, 200, versionInfo());
    if (path === '/healthz' || path === '/readyz' || path === '/livez') return sendText(res, 200, 'ok');
    if (path === '/api') return sendJson(res, 200, apiVersions(`127.0.0.1:${port}`));
    if (path === '/apis') return sendJson(res, 200, apiGroupList());
    const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (seg[0] === 'api' && seg.length >= 2) {
      group = '';
      version = seg[1]!;
      rest = seg.slice(2);
    } else if (seg[0] === 'apis' && seg.length >= 2) {
      group = seg[1]!;
      if (seg.length === 2) {
        const g = apiGroup(group);
        if (!g) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
        return sendJson(res, 200, g);
      }
      version = seg[2]!;
      rest = seg.slice(3);
    } else throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');

    if (rest.length === 0) {
      const list = apiResourceList(group, version);
      if (!list) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      return sendJson(res, 200, list);
    }
    let namespace: string | undefined;
    let plural: string;
    let name: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1]!;
      plural = rest[2]!;
      name = rest[3];
      if (rest.length > 4) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource (subresources are not served by the demo cluster)');
    } else {
      plural = rest[0]!;
      name = rest[1];
      if (rest.length > 2) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    const resource = RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
    if (!resource || (namespace !== undefined && !resource.namespaced)) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    if (name !== undefined && resource.namespaced && namespace === undefined) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    const q = u.searchParams;
    const watch = q.get('watch') === '1' || q.get('watch') === 'true';
    const verb: Verb = name !== undefined ? 'get' : watch ? 'watch' : 'list';
    authorize(token, verb, resource, namespace, name);

    if (verb === 'get') {
      const o = state.get(resource, namespace, name!);
      if (!o) throw notFound(resource, name!);
      return sendJson(res, 200, o);
    }
    let scope: Scope;
    try {
      scope = {
        resource,
        namespace,
        labels: parseLabelSelector(q.get('labelSelector')),
        fields: parseFieldSelector(q.get('fieldSelector'), resource),
      };
    } catch (e) {
      if (e instanceof SelectorError) throw new ApiError(400, 'BadRequest', e.message);
      throw e;
    }
    if (verb === 'list') {
      // Held after authorization, as a real API server refuses a forbidden list at once and is slow only
      // in serving it; the data is read when the hold ends, so the answer is current.
      const waiting = [...holds].filter((h) => h.token === undefined || h.token === token);
      if (waiting.length) await Promise.all(waiting.map((h) => h.done));
      let limit = q.has('limit') ? Number(q.get('limit')) : undefined;
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new ApiError(400, 'BadRequest', `limit: Invalid value: "${q.get('limit')}"`);
      if (opts.maxPageSize && limit !== undefined) limit = Math.min(limit || Infinity, opts.maxPageSize);
      const page = state.list(scope, { limit, continue: q.get('continue') ?? undefined });
      return sendJson(res, 200, {
        kind: `${resource.kind}List`,
        apiVersion: groupVersion(resource),
        metadata: {
          resourceVersion: page.resourceVersion,
          ...(page.continue ? { continue: page.continue } : {}),
          ...(page.remainingItemCount !== undefined ? { remainingItemCount: page.remainingItemCount } : {}),
        },
        items: page.items,
      });
    }
    return serveWatch(req, res, scope, q);
  }

  function serveWatch(req: IncomingMessage, res: ServerResponse, scope: Scope, q: URLSearchParams): void {
    const timeoutSeconds = q.has('timeoutSeconds') ? Number(q.get('timeoutSeconds')) : 1800;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const write = (type: string, object: unknown) => {
      if (!res.writableEnded && !res.destroyed) res.write(JSON.stringify({ type, object }) + '\n');
    };
    let stop: (() => void) | undefined;
    const timers: NodeJS.Timeout[] = [];
    const end = () => {
      stop?.();
      stop = undefined;
      for (const t of timers) clearTimeout(t);
      if (!res.writableEnded) res.end();
    };
    res.on('close', end);
    req.on('close', end);
    try {
      stop = state.watch(scope, q.get('resourceVersion') ?? '', (type, o) => write(type, o));
    } catch (e) {
      // As the API server: the watch starts (200), then one ERROR event carries the Status, then it ends.
      const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', (e as Error).message);
      write('ERROR', statusBody(err));
      end();
      return;
    }
    if (q.get('allowWatchBookmarks') === 'true' || q.get('allowWatchBookmarks') === '1') {
      const t = setInterval(() => {
        write('BOOKMARK', { kind: scope.resource.kind, apiVersion: groupVersion(scope.resource), metadata: { resourceVersion: state.resourceVersion } });
      }, bookmarkMs);
      timers.push(t);
    }
    if (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0) timers.push(setTimeout(end, timeoutSeconds * 1000));
  }

  function authorize(token: string | undefined, verb: Verb, resource: ResourceType, namespace: string | undefined, name: string | undefined): void {
    const rule = rules.find(
      (r) =>
        (r.token === undefined || r.token === token) &&
        (r.verb === undefined || (Array.isArray(r.verb) ? r.verb.includes(verb) : r.verb === verb)) &&
        (r.kind === undefined || r.kind === resource.kind || r.kind === resource.plural) &&
        (r.namespace === undefined || (r.namespace === null ? namespace === undefined : r.namespace === namespace)),
    );
    if (!rule) return;
    const user = token === undefined ? 'system:anonymous' : opts.auth?.users?.[token] ?? 'demo-user';
    const what = `${resource.plural}${resource.group ? '.' + resource.group : ''}`;
    const where = namespace !== undefined ? `in the namespace "${namespace}"` : 'at the cluster scope';
    throw new ApiError(
      403,
      'Forbidden',
      `${what}${name !== undefined ? ` "${name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${resource.plural}" in API group "${resource.group}" ${where}`,
      { ...(name !== undefined ? { name } : {}), ...(resource.group ? { group: resource.group } : {}), kind: resource.plural },
    );
  }

  async function handleAdmin(req: IncomingMessage, res: ServerResponse, u: URL): Promise<void> {
    const action = u.pathname.slice('/demo/v1/'.length).replace(/\/+$/, '');
    if (req.method === 'GET' && action === 'state') {
      const counts = Object.fromEntries(RESOURCES.map((r) => [r.kind, state.all(r.kind).length]));
      const listHolds = [...holds].map((h) => ({ ...(h.token !== undefined ? { token: h.token } : {}), until: new Date(h.until).toISOString() }));
      return sendJson(res, 200, { resourceVersion: state.resourceVersion, counts, watches: state.watchCount, timeline: timeline?.status(), listHolds });
    }
    if (req.method === 'GET' && action === 'kubeconfig') {
      // For a second client started by another process (an e2e spec's own dashboard): its own token, so
      // forbid rules and list holds can single it out.
      const token = u.searchParams.get('token') ?? undefined;
      const namespace = u.searchParams.get('namespace') ?? undefined;
      return sendText(res, 200, kubeconfigYaml(url, { token, namespace }));
    }
    if (req.method !== 'POST') throw new ApiError(405, 'MethodNotAllowed', 'use POST');
    const text = await readBody(req);
    const json = () => {
      try {
        return (text.trim() ? JSON.parse(text) : {}) as Record<string, unknown>;
      } catch {
        throw new ApiError(400, 'BadRequest', 'body is not JSON');
      }
    };
    const ref = () => {
      const b = json();
      if (typeof b.kind !== 'string' || typeof b.name !== 'string') throw new ApiError(400, 'BadRequest', 'need {kind, namespace?, name}');
      return { kind: b.kind, namespace: typeof b.namespace === 'string' ? b.namespace : undefined, name: b.name, body: b };
    };
    switch (action) {
      case 'apply': {
        const parsed = parseRawObjects(text, 'request body');
        if (parsed.errors.length) throw new ApiError(400, 'BadRequest', parsed.errors.map((e) => e.message).join('; '));
        const applied = api.apply(parsed.objects);
        return sendJson(res, 200, { applied: applied.map(refOf) });
      }
      case 'delete': {
        const r = ref();
        const gone = api.remove(r.kind, r.namespace, r.name);
        if (!gone) throw notFound(state.resource(r.kind), r.name);
        return sendJson(res, 200, { deleted: refOf(gone) });
      }
      case 'patch': {
        const r = ref();
        if (typeof r.body.patch !== 'object' || r.body.patch === null) throw new ApiError(400, 'BadRequest', 'need {kind, namespace?, name, patch}');
        return sendJson(res, 200, { patched: refOf(api.patch(r.kind, r.namespace, r.name, r.body.patch as Record<string, unknown>)) });
      }
      case 'forbid': {
        const b = json() as ForbidRule;
        api.forbid(b);
        return sendJson(res, 200, { rules: rules.length });
      }
      case 'allow':
        api.allowAll();
        return sendJson(res, 200, { rules: 0 });
      case 'compact':
        api.compact();
        return sendJson(res, 200, { resourceVersion: state.resourceVersion });
      case 'timeline/step':
        timeline ??= new Timeline(state, { now });
        timeline.step();
        return sendJson(res, 200, timeline.status());
      case 'timeline/start':
        timeline ??= new Timeline(state, { now });
        timeline.start();
        return sendJson(res, 200, timeline.status());
      case 'timeline/stop':
        timeline?.stop();
        return sendJson(res, 200, timeline?.status() ?? {});
      case 'hold-lists': {
        // Bounded like the outage, so a test that dies mid-way cannot leave the cluster unlistable.
        const b = json();
        const seconds = Number(b.seconds ?? 10);
        if (!Number.isFinite(seconds) || seconds < 1 || seconds > 60) throw new ApiError(400, 'BadRequest', 'seconds must be 1 to 60');
        if (b.token !== undefined && typeof b.token !== 'string') throw new ApiError(400, 'BadRequest', 'token must be a string');
        api.holdLists(seconds, { token: b.token });
        return sendJson(res, 202, { holdForSeconds: seconds, ...(b.token !== undefined ? { token: b.token } : {}) });
      }
      case 'release-lists':
        api.releaseLists();
        return sendJson(res, 200, { listHolds: 0 });
      case 'outage': {
        // The API server goes away (every connection cut, as when it restarts) and comes back after
        // `seconds` (1-60) on the same port with its data: clients must show stale data, then recover.
        const seconds = Number(json().seconds ?? 5);
        if (!Number.isFinite(seconds) || seconds < 1 || seconds > 60) throw new ApiError(400, 'BadRequest', 'seconds must be 1 to 60');
        sendJson(res, 202, { downForSeconds: seconds });
        res.once('finish', () => {
          void api.stop().then(() => {
            const t = setTimeout(() => void api.restart(), seconds * 1000);
            t.unref();
          });
        });
        return;
      }
      default:
        throw new ApiError(404, 'NotFound', `unknown demo action "${action}"`);
    }
  }

  let server: Server = createServer(handler);
  await listen(server, port);
  port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;

  if (opts.timeline) {
    timeline = new Timeline(state, { now, ...(typeof opts.timeline === 'object' ? opts.timeline : {}) });
    timeline.start();
  }

  let listening = true;
  const api: DemoServer = {
    get url() {
      return url;
    },
    get port() {
      return port;
    },
    state,
    get timeline() {
      return timeline;
    },
    apply: (obj) => (Array.isArray(obj) ? obj : [obj]).map((o) => state.apply(o)),
    remove: (kind, ns, name) => state.remove(kind, ns, name),
    patch: (kind, ns, name, p) => state.patch(kind, ns, name, p),
    get: (kind, ns, name) => state.get(state.resource(kind), ns, name),
    forbid(rule) {
      rules.push(rule);
      return () => {
        const i = rules.indexOf(rule);
        if (i >= 0) rules.splice(i, 1);
      };
    },
    allowAll() {
      rules.length = 0;
    },
    holdLists(seconds, { token } = {}) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      const hold = {
        ...(token !== undefined ? { token } : {}),
        until: Date.now() + seconds * 1000,
        done,
        end: () => {
          clearTimeout(timer);
          if (holds.delete(hold)) resolve();
        },
      };
      const timer = setTimeout(hold.end, seconds * 1000);
      timer.unref();
      holds.add(hold);
      return hold.end;
    },
    releaseLists() {
      for (const h of [...holds]) h.end();
    },
    compact: () => state.compact(),
    kubeconfig: (k = {}) => kubeconfigYaml(url, k),
    writeKubeconfig(path, k = {}) {
      writeFileSync(path, kubeconfigYaml(url, k), { mode: 0o600 });
      return path;
    },
    async stop() {
      if (!listening) return;
      listening = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
    async restart() {
      if (listening) return;
      server = createServer(handler);
      await listen(server, port);
      listening = true;
    },
    async close() {
      timeline?.stop();
      api.releaseLists();
      await api.stop();
    },
    get watchCount() {
      return state.watchCount;
    },
  };
  return api;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = h?.match(/^Bearer\s+(.+)$/i);
  return m?.[1];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 16 * 1024 * 1024) {
        reject(new ApiError(413, 'RequestEntityTooLarge', 'request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const refOf = (o: KubeObject) => ({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name, resourceVersion: o.metadata.resourceVersion });

/** A `Status` object as the API server returns it for failures. @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/ */
export function statusBody(e: ApiError) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: e.continueToken ? { continue: e.continueToken } : {},
    status: 'Failure',
    message: e.message,
    reason: e.reason,
    ...(e.details ? { details: e.details } : {}),
    code: e.code,
  };
}

function sendStatus(res: ServerResponse, e: ApiError): void {
  sendJson(res, e.code, statusBody(e));
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * A kubeconfig for the demo server. Plain HTTP needs `insecure-skip-tls-verify: true`: client-node refuses
 * an `http:` server otherwise. @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 */
export function kubeconfigYaml(url: string, k: KubeconfigOptions = {}): string {
  const name = k.context ?? 'chainboard-demo';
  const token = k.token ?? 'demo-token';
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: ${url}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    `- name: ${name}`,
    '  user:',
    `    token: ${JSON.stringify(token)}`,
    'contexts:',
    `- name: ${name}`,
    '  context:',
    `    cluster: ${name}`,
    `    user: ${name}`,
    ...(k.namespace ? [`    namespace: ${k.namespace}`] : []),
    `current-context: ${name}`,
    'preferences: {}',
    '',
  ].join('\n');
}
