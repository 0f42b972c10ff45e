/**
 * One Pod change at a time, in process: how many namespaces the analysis store re-analyses for it, and
 * what that costs. The engine is wrapped to count its calls.
 */
import { performance } from 'node:perf_hooks';
import { analyzeNamespace, combine } from '../../lib/chain';
import type { AnalysisStore, Engine } from '../../lib/cluster/store';
import type { Bench } from './context';
import { podNotReady, showsNotReady } from './domains';
import type { SeededCluster } from './seed';
import { sleep } from './stats';

/** Engine calls and their time so far. */
export interface EngineCalls {
  analyzeNamespace: number;
  combine: number;
  analyzeMs: number;
  combineMs: number;
}

/** What one Pod change cost. */
export interface PodChange {
  namespaces: number;
  analyzeMs: number;
  combineMs: number;
  visibleMs: number;
}

/** lib/chain's engine, counting its calls and their time into `calls`. */
export function countingEngine(calls: EngineCalls): Engine {
  return {
    analyzeNamespace(s, ns, opts) {
      const t0 = performance.now();
      try {
        return analyzeNamespace(s, ns, opts);
      } finally {
        calls.analyzeNamespace++;
        calls.analyzeMs += performance.now() - t0;
      }
    },
    combine(parts, opts) {
      const t0 = performance.now();
      try {
        return combine(parts, opts);
      } finally {
        calls.combine++;
        calls.combineMs += performance.now() - t0;
      }
    },
  };
}

/** Turns one Pod of a fresh healthy domain not ready at a time and counts what the store re-analyses until it shows. */
export async function measurePodChanges(bench: Bench, cluster: SeededCluster, store: AnalysisStore, calls: EngineCalls): Promise<PodChange[]> {
  const perChange: PodChange[] = [];
  for (let i = 0; i < bench.options.sizes.inProcessChanges; i++) {
    const d = cluster.takeDomain();
    const pod = bench.pick(d.pods);
    const before = { ...calls };
    const t0 = performance.now();
    const visible = new Promise<void>((r) => {
      const off = store.onChange((v) => {
        const dom = v.result?.domains.find((x) => x.host === d.host);
        if (dom && showsNotReady(dom, pod)) {
          off();
          r();
        }
      });
    });
    podNotReady(cluster.demoOf(d), d, pod);
    await Promise.race([visible, sleep(30_000).then(() => Promise.reject(new Error(`in-process: the change of ${d.ns}/${pod} never showed`)))]);
    const visibleMs = performance.now() - t0;
    await sleep(250); // let a flush split across the debounce finish, so it is counted with this change
    perChange.push({
      namespaces: calls.analyzeNamespace - before.analyzeNamespace,
      analyzeMs: calls.analyzeMs - before.analyzeMs,
      combineMs: calls.combineMs - before.combineMs,
      visibleMs,
    });
  }
  return perChange;
}
