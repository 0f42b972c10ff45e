import 'server-only';
/**
 * The parts of the app that remember: the down-time counters of /api/metrics and, when history is on,
 * the recorder that writes transitions and changes to the history store. Both follow the live source's
 * updates and, every `tickMs`, its current state - so losing sync (an unreachable API server, a stalled
 * watch), which produces no new analysis, still stops the clock on "observed" time within a tick.
 */
import type { AnalysisSource, SourceState, SourceUpdate } from '../api/source';
import type { DowntimeMeter } from '../metrics/downtime';

/** Data is current: every kind listed, none disconnected or stalled, and there is a result. */
export function isSynced(s: SourceState): boolean {
  return !!s.result && s.sync.ready && !s.sync.stale && !s.sync.stalled;
}

export interface MemoryListener {
  /** A source update (a new analysis, object changes, probe results). */
  update(u: SourceUpdate): void;
  /** The periodic look at the current state. */
  tick(state: SourceState, at: Date): void;
  stop(): void;
}

/** One cluster's down-time counters as a memory listener. */
export function meterListener(meter: DowntimeMeter, cluster: string, now: () => Date): MemoryListener {
  return {
    update(u) {
      if (u.type === 'view') meter.observe(cluster, u.result, u.synced, now().getTime());
    },
    tick(state, at) {
      meter.observe(cluster, state.result, isSynced(state), at.getTime());
    },
    stop() {},
  };
}

/**
 * Attach listeners to a live source, one set per cluster (`listenersOf(name)`, made when the cluster
 * is first seen): each cluster's updates as they come, and a tick every `tickMs` with its state. A dump
 * has no updates and is never attached. Returns the detach function.
 */
export function attachMemory(
  source: AnalysisSource,
  listenersOf: (cluster: string) => MemoryListener[],
  opts: { now: () => Date; tickMs?: number; log: (m: string) => void },
): () => void {
  if (!source.subscribe) return () => {};
  const safely = (f: () => void) => {
    try {
      f();
    } catch (e) {
      opts.log(`history: ${(e as Error).message}`);
    }
  };
  const byCluster = new Map<string, MemoryListener[]>();
  const of = (cluster: string) => {
    let ls = byCluster.get(cluster);
    if (!ls) byCluster.set(cluster, (ls = listenersOf(cluster)));
    return ls;
  };
  for (const c of source.clusters()) of(c.name);
  const off = source.subscribe((u) => {
    for (const l of of(u.cluster)) safely(() => l.update(u));
  });
  const timer = setInterval(() => {
    const at = opts.now();
    for (const state of source.clusters()) for (const l of of(state.name)) safely(() => l.tick(state, at));
  }, opts.tickMs ?? 10_000);
  timer.unref();
  return () => {
    clearInterval(timer);
    off();
    for (const ls of byCluster.values()) for (const l of ls) safely(() => l.stop());
  };
}
