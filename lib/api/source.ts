import 'server-only';
/**
 * Where the API's analysis comes from: the live watch caches of each configured cluster, or a dump
 * loaded once (`CHAINBOARD_DUMP=path`, for looking at a cluster dump someone sent you). The app
 * (lib/server/app.ts) builds one source from its configuration and owns it.
 *
 * Every cluster has its own runtime (watch caches, analysis store, probes), sync state, staleness and
 * forbidden namespaces; the source only lists them side by side. A cluster that cannot start (its
 * kubeconfig Secret is wrong, its context gone) or cannot be reached is that cluster's state, never
 * the others': only when no cluster starts at all does the source fail to start.
 *
 * The live source also runs the TLS and DNS probes: their targets come only from the cached Ingress
 * objects (hosts, load-balancer addresses) or the configured probe address - never from a request; and,
 * when `CHAINBOARD_TRAEFIK_API` is set, polls Traefik's API (only that configured URL).
 */
import type { AnalysisResult } from '../model/chain';
import type { ResourceKind, SlimGateway, SlimHTTPRoute, SlimIngress, SlimTraefikIngressRoute } from '../model/k8s';
import type { ProbeResults } from '../model/probe';
import type { Cacheable, CacheChange } from '../cluster/reducer';
import { clusterNameOf, isClusterName, type ClusterConfig, type ClusterTarget, type Config, type Env } from '../server/config';
import type { SyncInfo } from './types';

export interface SourceState {
  result?: AnalysisResult;
  sync: SyncInfo;
  /** Why there is no result yet. */
  notReadyReason?: string;
}

/**
 * What a live source tells the parts that keep a memory (lib/history's recorder, the down-time counters):
 * each new analysis with whether the data is current (`synced`: every kind listed and none disconnected or
 * stalled), the object changes from the watches, and the probes' results.
 */
export type SourceUpdate = { cluster: string } & (
  | { type: 'view'; result?: AnalysisResult; synced: boolean }
  | { type: 'objects'; kind: ResourceKind; changes: CacheChange<Cacheable>[] }
  | { type: 'probes'; results: ProbeResults }
);

/** One cluster's state, named. */
export interface ClusterState extends SourceState {
  name: string;
}

export interface AnalysisSource {
  readonly mode: 'live' | 'dump';
  /** Every cluster's state, in the configured order (one for a dump). */
  clusters(): ClusterState[];
  /** Live sources only: updates as they happen, each naming its cluster. A dump never changes, so it has none. */
  subscribe?(listener: (u: SourceUpdate) => void): () => void;
  stop(): Promise<void>;
}

/** One cluster's part of a live source. */
interface ClusterSource {
  current(): SourceState;
  subscribe(listener: (u: SourceUpdate) => void): () => void;
  stop(): Promise<void>;
}

export interface SourceDeps {
  log: (message: string) => void;
  now: () => Date;
}

/**
 * Build and start the source the configuration names. Throws when it cannot start (no kubeconfig, an
 * unknown context, an unreadable dump); the app then tries again on the next request.
 */
export async function createSource(config: Config, deps: SourceDeps): Promise<AnalysisSource> {
  const cluster = config.cluster;
  if (cluster.mode === 'dump') return dumpSource(cluster.name, cluster.paths, config, deps);
  return liveClusters(cluster, config, deps);
}

/**
 * Hand an update to every listener. A listener keeps a memory of the live view (history, down-time
 * counters); its failure is logged and must never stop the view itself or the other listeners.
 */
function fanOut(listeners: ReadonlySet<(u: SourceUpdate) => void>, log: (m: string) => void): (u: SourceUpdate) => void {
  return (u) => {
    for (const l of listeners) {
      try {
        l(u);
      } catch (e) {
        log(`source listener failed: ${(e as Error).message}`);
      }
    }
  };
}

type LiveConfig = Extract<ClusterConfig, { mode: 'live' }>;

/** How long a cluster that could not start waits before it is tried again. */
const RESTART_AFTER_MS = 30_000;

/**
 * The clusters of the live configuration with `*` and the remote-kubeconfig folder expanded: every
 * context of the kubeconfig, and every kubeconfig file of the folder (named after the file, using its
 * current context). Throws when the list cannot be made (no kubeconfig for `*`, a folder that cannot be
 * read, two clusters of one name). `env` is where `KUBECONFIG` and the home folder are looked up
 * (the CLI's own environment); unset: the process's.
 */
export async function resolveTargets(cluster: LiveConfig, env?: Env): Promise<ClusterTarget[]> {
  let targets = cluster.targets;
  if (cluster.allContexts) {
    const [{ loadKubeConfig }, { existsSync }] = await Promise.all([import('../cluster/live'), import('node:fs')]);
    const sys = env && { env, home: () => env.HOME || env.USERPROFILE || undefined, exists: existsSync };
    const kc = loadKubeConfig({ kubeconfig: cluster.kubeconfig }, sys);
    targets = kc.getContexts().map((c) => ({ name: clusterNameOf(c.name), context: c.name }));
    if (targets.length === 0) throw new Error('CHAINBOARD_CONTEXTS=*: the kubeconfig has no contexts');
  }
  if (cluster.remoteKubeconfigs) {
    const { readdirSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = cluster.remoteKubeconfigs;
    // A mounted Secret holds its keys as symlinks beside `..data` and other dot-entries: those are skipped.
    for (const file of readdirSync(dir).filter((f) => !f.startsWith('.')).sort()) {
      const path = join(dir, file);
      if (!statSync(path).isFile()) continue;
      const name = file.replace(/\.(ya?ml|conf|kubeconfig)$/, '');
      if (!isClusterName(name)) throw new Error(`CHAINBOARD_REMOTE_KUBECONFIGS: the file "${file}" must be named after its cluster, a DNS label (a-z, 0-9, -)`);
      targets = [...targets, { name, kubeconfig: path }];
    }
  }
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.name)) throw new Error(`two clusters are named "${t.name}"`);
    seen.add(t.name);
  }
  return targets;
}

/**
 * The live source over every cluster. Each starts on its own; one that throws at start (an unknown
 * context, an unreadable kubeconfig) is listed with the reason and tried again after
 * {@link RESTART_AFTER_MS}, while the others serve. Only when none starts does this throw, so the app's
 * first request reports why and the next one tries again.
 */
async function liveClusters(cluster: LiveConfig, config: Config, deps: SourceDeps): Promise<AnalysisSource> {
  const targets = await resolveTargets(cluster);
  const listeners = new Set<(u: SourceUpdate) => void>();
  const emit = fanOut(listeners, deps.log);
  type Slot = { target: ClusterTarget; source?: ClusterSource; off?: () => void; error?: string; failedAt?: number; starting?: Promise<void> };
  const slots: Slot[] = targets.map((target) => ({ target }));
  let stopped = false;
  const start = (slot: Slot, index: number): Promise<void> =>
    (slot.starting ??= liveSource(slot.target, cluster, config, deps, index === 0)
      .then((s) => {
        if (stopped) return void s.stop();
        slot.source = s;
        slot.error = undefined;
        slot.off = s.subscribe(emit);
      })
      .catch((e: unknown) => {
        slot.error = (e as Error).message;
        slot.failedAt = deps.now().getTime();
        deps.log(`cluster ${slot.target.name}: ${slot.error}`);
      })
      .finally(() => (slot.starting = undefined)));
  await Promise.all(slots.map(start));
  if (slots.every((s) => !s.source)) {
    throw new Error(slots.map((s) => (slots.length > 1 ? `${s.target.name}: ${s.error}` : s.error)).join('; '));
  }
  return {
    mode: 'live',
    clusters() {
      const now = deps.now().getTime();
      return slots.map((slot, i) => {
        if (slot.source) return { name: slot.target.name, ...slot.source.current() };
        if (!stopped && !slot.starting && now - (slot.failedAt ?? 0) >= RESTART_AFTER_MS) void start(slot, i);
        return { name: slot.target.name, sync: { ready: false, kinds: [] }, notReadyReason: `cluster ${slot.target.name} cannot start: ${slot.error ?? 'starting'}` };
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      // Each cluster's current view at once (a cluster source replays it to a new subscriber), so a
      // listener that joins late knows where things stand.
      for (const slot of slots) slot.source?.subscribe((u) => (u.type === 'view' ? listener(u) : undefined))();
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      listeners.clear();
      await Promise.all(
        slots.map(async (s) => {
          s.off?.();
          await s.source?.stop();
          s.source = undefined;
        }),
      );
    },
  };
}

async function dumpSource(name: string, paths: string[], config: Config, deps: SourceDeps): Promise<AnalysisSource> {
  const [{ loadDump }, { analyze }] = await Promise.all([import('../cluster/dump'), import('../chain')]);
  const loaded = loadDump(paths);
  const now = deps.now();
  const result = analyze(loaded.snapshot, { now, namespacePrefix: config.namespacePrefix });
  const sync: SyncInfo = {
    ready: true,
    syncedAt: now.toISOString(),
    kinds: [{ kind: 'Dump', state: 'synced', since: now.toISOString(), message: `${paths.join(', ')}: ${loaded.errors.length} bad documents` }],
  };
  for (const e of loaded.errors) deps.log(`${e.file} document ${e.document}${e.item ? ` item ${e.item}` : ''}: ${e.message}`);
  return { mode: 'dump', clusters: () => [{ name, result, sync }], stop: async () => {} };
}

/**
 * One cluster's runtime: its watch caches and analysis store, its probes (targets from its own route
 * objects) and, for the first cluster only, Traefik's API (`CHAINBOARD_TRAEFIK_API` names one Traefik).
 */
async function liveSource(target: ClusterTarget, cluster: LiveConfig, config: Config, deps: SourceDeps, withTraefik: boolean): Promise<ClusterSource> {
  const [{ createRuntime }, { syncInfo }, probe, { probeRouteKind, routeProbeSources }] = await Promise.all([
    import('../cluster/runtime'),
    import('../cluster/store'),
    import('../probe'),
    import('../chain'),
  ]);
  const settings = config.probe;
  const runtime = createRuntime(
    {
      kubeconfig: target.kubeconfig ?? cluster.kubeconfig,
      context: target.context,
      namespaces: cluster.namespaces,
      namespacePrefix: config.namespacePrefix,
      withSecrets: cluster.readSecrets,
      withCertificates: cluster.certManager,
      withMiddlewares: cluster.middlewares,
      withIngressRoutes: cluster.ingressRoutes,
      withGatewayApi: cluster.gatewayApi ?? false,
      stallAfterMs: cluster.stallAfterMs,
    },
    { log: (m) => deps.log(`cluster ${target.name}: ${m}`), analyzeOptions: { tls: { expiringFraction: settings.expiringFraction }, http: { slowMs: settings.httpSlowMs } } },
  );
  const { source, store } = runtime;
  const listeners = new Set<(u: SourceUpdate) => void>();
  const emit = fanOut(listeners, deps.log);
  const synced = (v: { ready: boolean; result?: AnalysisResult; stale?: unknown; stalled?: unknown }) => v.ready && !!v.result && !v.stale && !v.stalled;
  const name = target.name;
  const offView = store.onChange((v) => emit({ cluster: name, type: 'view', result: v.result, synced: synced(v) }));
  const offObjects = source.onChange((e) => {
    if (e.type === 'objects' && listeners.size > 0) emit({ cluster: name, type: 'objects', kind: e.kind, changes: e.changes });
  });

  let stopProbes = () => {};
  if (settings.enabled) {
    const allowAddress = config.probeLoopbackOnly ? probe.loopbackOnly : undefined;
    const manager = new probe.ProbeManager({ ...settings, allowAddress });
    // Probes are on from now: hosts without a result yet read "not yet probed", not "probes off".
    store.setProbes({});
    let pending: NodeJS.Timeout | undefined;
    const flush = () => {
      pending = undefined;
      const results = manager.results();
      store.setProbes(results);
      emit({ cluster: name, type: 'probes', results });
    };
    const offResult = manager.onResult(() => {
      // Results arrive in bursts (one per host); hand them to the store in batches.
      pending ??= setTimeout(flush, 200).unref();
    });
    let lastTargets = '';
    const retarget = () => {
      // Route objects of the client namespaces; Gateways of any namespace (routes attach across them).
      const names = [...source.namespaceNames()];
      const clients = names.filter((ns) => ns.startsWith(config.namespacePrefix));
      const of = <T>(kind: ResourceKind, nss: string[]) => (source.reads(kind) ? nss.flatMap((ns) => source.objectsIn<T & Cacheable>(kind, ns)) : []);
      const ingresses = routeProbeSources({
        ingresses: of<SlimIngress>('Ingress', clients),
        ingressRoutes: of<SlimTraefikIngressRoute>('IngressRoute', clients),
        httpRoutes: of<SlimHTTPRoute>('HTTPRoute', clients),
        gateways: of<SlimGateway>('Gateway', names),
      });
      const targets = probe.probeTargets(ingresses, { enabled: true, port: settings.port, address: settings.address, allowAddress, routeKind: probeRouteKind });
      const key = JSON.stringify(targets);
      if (key === lastTargets) return;
      lastTargets = key;
      manager.update(targets);
    };
    const offChange = source.onChange((e) => {
      if (e.type === 'objects' && e.kind !== 'Ingress' && e.kind !== 'IngressRoute' && e.kind !== 'HTTPRoute' && e.kind !== 'Gateway') return;
      retarget();
    });
    retarget();
    stopProbes = () => {
      offChange();
      offResult();
      if (pending) clearTimeout(pending);
      manager.stop();
    };
  }

  // Traefik's runtime view, read on its own interval; until its first answer the routers read "API
  // unreachable", not "API off".
  let stopTraefik = async () => {};
  if (config.traefik && withTraefik) {
    const { TraefikPoller } = await import('../traefik/poller');
    const poller = new TraefikPoller(config.traefik, { now: deps.now, log: deps.log });
    store.setTraefik(poller.view());
    const off = poller.onChange((v) => store.setTraefik(v));
    poller.start();
    stopTraefik = async () => {
      off();
      await poller.stop();
    };
  }

  return {
    current() {
      const view = store.getResult();
      return { result: view.result, sync: syncInfo(view), notReadyReason: view.notReadyReason };
    },
    subscribe(listener) {
      listeners.add(listener);
      // The current view at once, so a listener that joins late knows where things stand.
      const view = store.getResult();
      if (view.result) listener({ cluster: name, type: 'view', result: view.result, synced: synced(view) });
      return () => listeners.delete(listener);
    },
    async stop() {
      offView();
      offObjects();
      listeners.clear();
      stopProbes();
      await stopTraefik();
      await runtime.stop();
    },
  };
}
