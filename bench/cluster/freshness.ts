/** Freshness: a Pod and its endpoint turn not ready in the API server -> the domain endpoint shows it. */
import { performance } from 'node:perf_hooks';
import { waitFor } from '../../lib/testing/net';
import type { Bench } from './context';
import { domainPath, podNotReady, showsNotReady } from './domains';
import type { SeededCluster } from './seed';
import { getJson } from './server';
import { fmtMs, median, percentile, sleep } from './stats';

/**
 * Makes one change at a time on a fresh healthy domain and polls its endpoint every 5 ms until the
 * change shows; returns each change's delay in ms. A change that never shows is a run error.
 */
export async function measureFreshness(bench: Bench, base: string, cluster: SeededCluster): Promise<number[]> {
  const fresh: number[] = [];
  for (let i = 0; i < bench.options.sizes.changes; i++) {
    const d = cluster.takeDomain();
    const pod = bench.pick(d.pods);
    const url = `${base}${domainPath(cluster, d)}`;
    const t0 = performance.now();
    podNotReady(cluster.demoOf(d), d, pod);
    try {
      await waitFor(
        `the change of ${d.ns}/${pod} on ${d.host}`,
        async () => {
          const r = await getJson(url);
          return r.status === 200 && showsNotReady((JSON.parse(r.text) as { domain: unknown }).domain, pod);
        },
        { timeoutMs: 30_000, intervalMs: 5 },
      );
      fresh.push(performance.now() - t0);
    } catch (e) {
      bench.errors.push((e as Error).message);
    }
    await sleep(100 + bench.rand() * 200);
  }
  console.error(`bench: freshness p50 ${fmtMs(median(fresh))}, p95 ${fmtMs(percentile(fresh, 95))} over ${fresh.length} changes`);
  return fresh;
}
