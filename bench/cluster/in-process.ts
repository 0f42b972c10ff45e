/**
 * Phase 2, in this process: the watch caches and the analysis store alone (LiveSource + AnalysisStore, as
 * lib/cluster/runtime.ts wires them): heap per cached object, what a request costs the app itself, and
 * what one Pod change re-analyses.
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { domainView, overviewView } from '../../lib/api/views';
import type { SyncInfo } from '../../lib/api/types';
import { DEFAULT_NAMESPACE_PREFIX } from '../../lib/chain/options';
import { LiveSource, loadKubeConfig } from '../../lib/cluster/live';
import { AnalysisStore, syncInfo } from '../../lib/cluster/store';
import type { Bench } from './context';
import { gatewayRouted, type DomainInfo } from './domains';
import { countingEngine, measurePodChanges, type EngineCalls, type PodChange } from './reanalysis';
import type { SeededCluster } from './seed';
import { fmtMs, median, percentile, sleep } from './stats';

/** p50 and p95 of the app's own work for one request. */
export interface HandlerCost {
  p50: number;
  p95: number;
}

/** The in-process figures. */
export interface InProcessFigures {
  /** Heap used before the caches, with the caches, and with the caches and the analysis. */
  heap0: number;
  heapCaches: number;
  heapAnalysed: number;
  settledMs: number;
  readyMs: number;
  initialAnalysis: { namespaces: number; analyzeMs: number; combineMs: number; wallMs: number };
  cached: Record<string, number>;
  cachedObjects: number;
  /** Domains the analysis made HTTPRoute chains of. */
  gatewayRoutedDomains: number;
  handler: { overview: HandlerCost; domain: HandlerCost };
  perChange: PodChange[];
}

/** Two full collections, so the heap figures hold only what is still referenced. */
function fullGc(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

/** What a request costs the app itself (view + JSON), without the framework around it. */
function handlerCost(bench: Bench, store: AnalysisStore, domains: readonly DomainInfo[]): InProcessFigures['handler'] {
  const v = store.getResult();
  const result = v.result!;
  const sync = syncInfo(v) as SyncInfo;
  const time = (n: number, fn: () => unknown) => {
    fn();
    const xs: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      fn();
      xs.push(performance.now() - t0);
    }
    return { p50: median(xs), p95: percentile(xs, 95) };
  };
  return {
    overview: time(200, () => JSON.stringify(overviewView([{ name: 'bench', result, sync }], sync, { offset: 0, limit: 100 }))),
    domain: time(2000, () => JSON.stringify(domainView([{ name: 'bench', result, sync }], bench.pick(domains).host))),
  };
}

/** Syncs the watch caches and the store against the demo server, measures them, then stops both. */
export async function measureInProcess(bench: Bench, cluster: SeededCluster): Promise<InProcessFigures> {
  const { processes } = bench;
  fullGc();
  const heap0 = process.memoryUsage().heapUsed;
  const calls: EngineCalls = { analyzeNamespace: 0, combine: 0, analyzeMs: 0, combineMs: 0 };
  const t = performance.now();
  const source = new LiveSource({ kubeConfig: loadKubeConfig({ kubeconfig: cluster.kubeconfig }), withGatewayApi: cluster.gatewayDomains > 0 });
  processes.onCleanup('in-process watch caches', () => source.stop());
  source.start();
  await Promise.race([source.whenSettled(), sleep(120_000).then(() => Promise.reject(new Error('in-process watch caches did not sync in 120 s')))]);
  const settledMs = performance.now() - t;
  fullGc();
  const heapCaches = process.memoryUsage().heapUsed;
  // refreshMs 0: the periodic full refresh would blur the count of what one change re-analyses.
  const store = new AnalysisStore({ source, namespacePrefix: DEFAULT_NAMESPACE_PREFIX, engine: countingEngine(calls), refreshMs: 0 });
  processes.onCleanup('in-process analysis store', () => store.stop());
  const tStore = performance.now();
  store.start();
  await store.ready();
  const readyMs = performance.now() - t;
  const initialAnalysis = { namespaces: calls.analyzeNamespace, analyzeMs: calls.analyzeMs, combineMs: calls.combineMs, wallMs: performance.now() - tStore };
  fullGc();
  const heapAnalysed = process.memoryUsage().heapUsed;
  const snap = source.snapshot();
  const cached = {
    Namespace: snap.namespaces.length,
    IngressClass: snap.ingressClasses.length,
    Ingress: snap.ingresses.length,
    Service: snap.services.length,
    EndpointSlice: snap.endpointSlices.length,
    Pod: snap.pods.length,
    Event: snap.events.length,
    ...(snap.httpRoutes ? { GatewayClass: snap.gatewayClasses?.length ?? 0, Gateway: snap.gateways?.length ?? 0, HTTPRoute: snap.httpRoutes.length, ReferenceGrant: snap.referenceGrants?.length ?? 0 } : {}),
  };
  const analysed = store.getResult().result!.domains;
  const gatewayRoutedDomains = analysed.filter(gatewayRouted).length;
  if (gatewayRoutedDomains !== cluster.gatewayDomains) bench.errors.push(`in-process: ${gatewayRoutedDomains} HTTPRoute chains, the cluster has ${cluster.gatewayDomains} HTTPRoute domains`);
  const cachedObjects = Object.values(cached).reduce((a, b) => a + b, 0);
  console.error(`bench: in-process caches synced in ${fmtMs(settledMs)} (${cachedObjects} objects), first analysis ${fmtMs(initialAnalysis.wallMs)} incl. 100 ms debounce`);

  const handler = handlerCost(bench, store, cluster.domains);
  const perChange = await measurePodChanges(bench, cluster, store, calls);
  store.stop();
  await source.stop();
  console.error(`bench: one Pod change re-analysed at most ${Math.max(...perChange.map((c) => c.namespaces))} of ${cluster.allNamespaces} namespaces`);
  return { heap0, heapCaches, heapAnalysed, settledMs, readyMs, initialAnalysis, cached, cachedObjects, gatewayRoutedDomains, handler, perChange };
}
