import 'server-only';
/**
 * Where the API's analysis comes from: the live watch caches of the kubeconfig's cluster, or a dump
 * loaded once (`CHAINBOARD_DUMP=path`, for looking at a cluster dump someone sent you). The app
 * (lib/server/app.ts) builds one source from its configuration and owns it.
 *
 * The live source also runs the TLS and DNS probes: their targets come only from the cached Ingress
 * objects (hosts, load-balancer addresses) or the configured probe address - never from a request; and,
 * when `CHAINBOARD_TRAEFIK_API` is set, polls Traefik's API (only that configured URL).
 */
import type { AnalysisResult } from '../model/chain';
import type { ResourceKind, SlimGateway, SlimHTTPRoute, SlimIngress, SlimTraefikIngressRoute } from '../model/k8s';
import type { ProbeResults } from '../model/probe';
import type { Cacheable, CacheChange } from '../cluster/reducer';
import type { ClusterConfig, Config } from '../server/config';
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
export type SourceUpdate =
  | { type: 'view'; result?: AnalysisResult; synced: boolean }
  | { type: 'objects'; kind: ResourceKind; changes: CacheChange<Cacheable>[] }
  | { type: 'probes'; results: ProbeResults };

export interface AnalysisSource {
  readonly mode: 'live' | 'dump';
  current(): SourceState;
  /** Live sources only: updates as they happen. A dump never changes, so it has none. */
  subscribe?(listener: (u: SourceUpdate) => void): () => void;
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
  if (cluster.mode === 'dump') return dumpSource(cluster.paths, config, deps);
  return liveSource(cluster, config, deps);
}

async function dumpSource(paths: string[], config: Config, deps: SourceDeps): Promise<AnalysisSource> {
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
  return { mode: 'dump', current: () => ({ result, sync }), stop: async () => {} };
}

async function liveSource(cluster: Extract<ClusterConfig, { mode: 'live' }>, config: Config, deps: SourceDeps): Promise<AnalysisSource> {
  const [{ createRuntime }, { syncInfo }, probe, { probeRouteKind, routeProbeSources }] = await Promise.all([
    import('../cluster/runtime'),
    import('../cluster/store'),
    import('../probe'),
    import('../chain'),
  ]);
  const settings = config.probe;
  const runtime = createRuntime(
    {
      kubeconfig: cluster.kubeconfig,
      context: cluster.context,
      namespaces: cluster.namespaces,
      namespacePrefix: config.namespacePrefix,
      withSecrets: cluster.readSecrets,
      withCertificates: cluster.certManager,
      withMiddlewares: cluster.middlewares,
      withIngressRoutes: cluster.ingressRoutes,
      withGatewayApi: cluster.gatewayApi ?? false,
      stallAfterMs: cluster.stallAfterMs,
    },
    { log: deps.log, analyzeOptions: { tls: { expiringFraction: settings.expiringFraction }, http: { slowMs: settings.httpSlowMs } } },
  );
  const { source, store } = runtime;
  const listeners = new Set<(u: SourceUpdate) => void>();
  const emit = (u: SourceUpdate) => {
    for (const l of listeners) {
      try {
        l(u);
      } catch (e) {
        // A listener keeps a memory of the live view; its failure must never stop the view itself.
        deps.log(`source listener failed: ${(e as Error).message}`);
      }
    }
  };
  const synced = (v: { ready: boolean; result?: AnalysisResult; stale?: unknown; stalled?: unknown }) => v.ready && !!v.result && !v.stale && !v.stalled;
  const offView = store.onChange((v) => emit({ type: 'view', result: v.result, synced: synced(v) }));
  const offObjects = source.onChange((e) => {
    if (e.type === 'objects' && listeners.size > 0) emit({ type: 'objects', kind: e.kind, changes: e.changes });
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
      emit({ type: 'probes', results });
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
  if (config.traefik) {
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
    mode: 'live',
    current() {
      const view = store.getResult();
      return { result: view.result, sync: syncInfo(view), notReadyReason: view.notReadyReason };
    },
    subscribe(listener) {
      listeners.add(listener);
      // The current view at once, so a listener that joins late knows where things stand.
      const view = store.getResult();
      if (view.result) listener({ type: 'view', result: view.result, synced: synced(view) });
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
