import 'server-only';
/**
 * Where the API's analysis comes from: the live watch caches of the kubeconfig's cluster (the default),
 * or a dump loaded once (`CHAINBOARD_DUMP=path`, for looking at a cluster dump someone sent you).
 * One source per process, kept on globalThis so Next's dev reloads do not start a second one.
 *
 * The live source also runs the TLS and DNS probes: their targets come only from the cached Ingress
 * objects (hosts, load-balancer addresses) or the configured probe address - never from a request.
 */
import type { AnalysisResult } from '../model/chain';
import type { SlimIngress } from '../model/k8s';
import type { SyncInfo } from './types';

export interface SourceState {
  result?: AnalysisResult;
  sync: SyncInfo;
  /** Why there is no result yet. */
  notReadyReason?: string;
}

export interface AnalysisSource {
  readonly mode: 'live' | 'dump';
  current(): SourceState;
  stop(): Promise<void>;
}

const KEY = Symbol.for('chainboard.source');
type Holder = { [KEY]?: Promise<AnalysisSource> };

export function getSource(): Promise<AnalysisSource> {
  const g = globalThis as Holder;
  g[KEY] ??= createSource().catch((e: unknown) => {
    // Do not cache a failed start (no kubeconfig yet, a bad setting): the next request tries again.
    delete g[KEY];
    throw e;
  });
  return g[KEY];
}

/** Stop the process's source (tests; graceful shutdown). */
export async function stopSource(): Promise<void> {
  const g = globalThis as Holder;
  const p = g[KEY];
  delete g[KEY];
  if (p) await (await p.catch(() => undefined))?.stop();
}

const prefixFromEnv = () => process.env.CHAINBOARD_NAMESPACE_PREFIX ?? 'hst-';
const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

async function createSource(): Promise<AnalysisSource> {
  const dump = process.env.CHAINBOARD_DUMP;
  if (dump) return dumpSource(dump);
  return liveSource();
}

async function dumpSource(path: string): Promise<AnalysisSource> {
  const [{ loadDump }, { analyze }] = await Promise.all([import('../cluster/dump'), import('../chain')]);
  const loaded = loadDump(path);
  const now = new Date();
  const result = analyze(loaded.snapshot, { now, namespacePrefix: prefixFromEnv() });
  const sync: SyncInfo = {
    ready: true,
    syncedAt: now.toISOString(),
    kinds: [{ kind: 'Dump', state: 'synced', since: now.toISOString(), message: `${path}: ${loaded.errors.length} bad documents` }],
  };
  for (const e of loaded.errors) console.warn(`chainboard: ${e.file} document ${e.document}${e.item ? ` item ${e.item}` : ''}: ${e.message}`);
  return { mode: 'dump', current: () => ({ result, sync }), stop: async () => {} };
}

async function liveSource(): Promise<AnalysisSource> {
  const [{ createRuntime, runtimeConfigFromEnv }, { syncInfo }, probe] = await Promise.all([
    import('../cluster/runtime'),
    import('../cluster/store'),
    import('../probe'),
  ]);
  // Validate every probe setting before anything starts: a typo is a clear error, not a silent default.
  const settings = probe.probeSettingsFromEnv(process.env);
  const config = runtimeConfigFromEnv();
  const runtime = createRuntime(config, {
    log: (m) => console.warn(`chainboard: ${m}`),
    analyzeOptions: { tls: { expiringFraction: settings.expiringFraction } },
  });
  const { source, store } = runtime;

  let stopProbes = () => {};
  if (settings.enabled) {
    // CHAINBOARD_PROBE_LOOPBACK_ONLY: the demo and tests dial nothing outside 127.0.0.0/8.
    const allowAddress = truthy(process.env.CHAINBOARD_PROBE_LOOPBACK_ONLY) ? probe.loopbackOnly : undefined;
    const manager = new probe.ProbeManager({ ...settings, allowAddress });
    let pending: NodeJS.Timeout | undefined;
    const flush = () => {
      pending = undefined;
      store.setProbes(manager.results());
    };
    const offResult = manager.onResult(() => {
      // Results arrive in bursts (one per host); hand them to the store in batches.
      pending ??= setTimeout(flush, 200).unref();
    });
    let lastTargets = '';
    const retarget = () => {
      const ingresses: SlimIngress[] = [];
      for (const ns of source.namespaceNames()) {
        if (ns.startsWith(config.namespacePrefix)) ingresses.push(...source.objectsIn<SlimIngress>('Ingress', ns));
      }
      const targets = probe.probeTargets(ingresses, { enabled: true, port: settings.port, address: settings.address, allowAddress });
      const key = JSON.stringify(targets);
      if (key === lastTargets) return;
      lastTargets = key;
      manager.update(targets);
    };
    const offChange = source.onChange((e) => {
      if (e.type === 'objects' && e.kind !== 'Ingress') return;
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

  return {
    mode: 'live',
    current() {
      const view = store.getResult();
      return { result: view.result, sync: syncInfo(view), notReadyReason: view.notReadyReason };
    },
    async stop() {
      stopProbes();
      await runtime.stop();
    },
  };
}
