/**
 * The built-in demo cluster: an HTTP server on 127.0.0.1 that speaks the Kubernetes REST API for the kinds
 * Chainboard reads - discovery, get, list (label/field selectors, limit/continue), watch (ADDED, MODIFIED,
 * DELETED, BOOKMARK, and 410 Gone for a too-old resourceVersion) - so the app and kubectl reach it exactly
 * as they reach a real cluster, through a kubeconfig this module writes.
 *
 * Tests and the timeline change the cluster in-process (`apply`, `remove`, `patch`); another process can do
 * the same over HTTP under `/demo/v1/`, a path the real API does not use.
 *
 * This module puts the parts together: the route table (router.ts) over discovery (discovery.ts) and the
 * objects (objects.ts, list-watch.ts), the access policy (policy.ts), list holds (holds.ts) and the admin
 * endpoint (admin.ts).
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/
 */
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, adminHandler } from './admin';
import { discoveryRoutes } from './discovery';
import { ListHolds } from './holds';
import { bearer, listen, noSuchResource, sendJson, sendStatus, type Handler } from './http';
import { kubeconfigYaml, type KubeconfigOptions } from './kubeconfig';
import { loadRawObjects } from './load';
import { objectRoutes } from './objects';
import { AccessPolicy, type AuthPolicy, type ForbidRule } from './policy';
import { apiGroupList, type KubeObject } from './resources';
import { Router } from './router';
import { ApiError, ClusterState, type Patch } from './state';
import { Timeline, type TimelineOptions } from './timeline';

export { statusBody } from './http';
export { kubeconfigYaml, type KubeconfigOptions } from './kubeconfig';
export type { AuthPolicy, ForbidRule, Verb } from './policy';

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
  /** How often a watch with allowWatchBookmarks=true gets a BOOKMARK. Default 15 s (kube-apiserver: about a minute). */
  bookmarkIntervalMs?: number;
  /**
   * How long a list at a resourceVersion the cluster has not reached waits before the 504
   * ResourceVersionTooLarge answer. Default 3000 ms, as kube-apiserver's watch cache.
   */
  freshWaitMs?: number;
  auth?: AuthPolicy;
  /** Serve the `/demo/v1/` mutation endpoints. Default true. */
  admin?: boolean;
  now?: () => Date;
  /** Called with a line per request when set. */
  log?: (line: string) => void;
  /** API groups to serve as if their CRDs were not installed (e.g. `gateway.networking.k8s.io`): 404 and absent from discovery. */
  uninstalledGroups?: readonly string[];
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
  /** Keep the objects as they are now for `reset()` (the server keeps its start state until then); returns the resourceVersion kept. */
  snapshot(): string;
  /**
   * Go back to the kept objects and their resourceVersion, as a restore from an etcd snapshot does:
   * resourceVersions start over below those clients hold, old ones are answered as kube-apiserver
   * answers them (410 Gone before the snapshot; after it, a silent watch and 504
   * ResourceVersionTooLarge to a list), and every open watch ends. Returns the resourceVersion before
   * and after.
   */
  reset(): { from: string; to: string };
  /**
   * Stop writing to watch streams without closing them, as a stalled connection does: what they are owed
   * waits until `unfreezeWatches()`, or until `seconds` have passed. Watches opened meanwhile are frozen
   * too, unless `openOnly`. Returns how many watches were open.
   */
  freezeWatches(seconds: number, opts?: { openOnly?: boolean }): number;
  /** Let every watch stream go on, with what it is owed first. */
  unfreezeWatches(): void;
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
  const state = new ClusterState({ historyLimit: opts.historyLimit, now, freshWaitMs: opts.freshWaitMs });
  const initial: KubeObject[] = [...(opts.objects ?? [])];
  if (opts.dumpPath) {
    const loaded = loadRawObjects(opts.dumpPath);
    for (const e of loaded.errors) opts.log?.(`load: ${e.file} document ${e.document}${e.item ? ` item ${e.item}` : ''}: ${e.message}`);
    initial.push(...loaded.objects);
  }
  // Namespaces first, so objects do not auto-create a namespace the dump describes itself.
  initial.sort((a, b) => Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'));
  state.seed(initial);
  let saved = state.save();
  let thawTimer: NodeJS.Timeout | undefined;

  const policy = new AccessPolicy(opts.auth);
  const uninstalled: ReadonlySet<string> = new Set(opts.uninstalledGroups ?? []);
  const holds = new ListHolds();
  let port = opts.port ?? 0;
  let url = '';
  let timeline: Timeline | undefined;

  const router = new Router<Handler>([
    ...discoveryRoutes(() => `127.0.0.1:${port}`, uninstalled),
    ...objectRoutes({ state, policy, holds, maxPageSize: opts.maxPageSize, bookmarkMs: opts.bookmarkIntervalMs ?? 15_000, uninstalled }),
  ]);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    opts.log?.(`${req.method} ${u.pathname}${u.search}`);
    if (admin && u.pathname.startsWith(ADMIN_PREFIX)) return admin(req, res, u);
    const token = bearer(req);
    policy.authenticate(token);
    if (req.method !== 'GET') {
      throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (the demo cluster is read-only over the Kubernetes API; use ${url}/demo/v1/apply)`);
    }
    const path = u.pathname.replace(/\/+$/, '') || '/';
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const match = router.match('GET', segments);
    if (match.kind !== 'found') throw noSuchResource();
    return match.handler({ req, res, url: u, params: match.params, token });
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`);
      if (!res.headersSent) sendStatus(res, err);
      else res.destroy();
    });
  };

  let server: Server = createServer(handler);
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
    forbid: (rule) => policy.forbid(rule),
    allowAll: () => policy.allowAll(),
    holdLists: (seconds, o) => holds.hold(seconds, o),
    releaseLists: () => holds.releaseAll(),
    compact: () => state.compact(),
    snapshot() {
      saved = state.save();
      return state.resourceVersion;
    },
    reset() {
      const from = state.resourceVersion;
      state.restore(saved);
      return { from, to: state.resourceVersion };
    },
    freezeWatches(seconds, o = {}) {
      clearTimeout(thawTimer);
      // Bounded, so a test that dies mid-way cannot leave the cluster frozen.
      thawTimer = setTimeout(() => api.unfreezeWatches(), seconds * 1000);
      thawTimer.unref();
      return state.watches.freeze(o.openOnly ?? false);
    },
    unfreezeWatches() {
      clearTimeout(thawTimer);
      thawTimer = undefined;
      state.watches.thaw();
    },
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
      api.unfreezeWatches();
      await api.stop();
    },
    get watchCount() {
      return state.watchCount;
    },
  };
  const admin = opts.admin ?? true ? adminHandler({ server: api, policy, holds, ensureTimeline: () => (timeline ??= new Timeline(state, { now })) }) : undefined;

  await listen(server, port);
  port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;
  if (opts.timeline) {
    timeline = new Timeline(state, { now, ...(typeof opts.timeline === 'object' ? opts.timeline : {}) });
    timeline.start();
  }
  return api;
}
