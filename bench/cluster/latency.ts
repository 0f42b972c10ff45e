/**
 * The latency runs against the production server: for /api/v1/overview and /api/v1/domains/{host},
 * autocannon at one connection (service time), an open-loop fixed rate over several connections (paced.ts,
 * in a child process), and autocannon with those connections as fast as they go; the targets are checked
 * at the fixed rate and flat out.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { Bench } from './context';
import { domainPath as domainPathOf } from './domains';
import type { Processes } from './processes';
import type { SeededCluster } from './seed';
import { fmtMs, percentile } from './stats';

/** Latency percentiles (ms) and throughput of one load phase. */
export interface Latency {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  /**
   * The longest event-loop stall (ms) during the phase: in the server (prom-client's
   * nodejs_eventloop_lag_max_seconds, reset by each scrape) and in the bench process, which sends the load
   * and hosts the demo API server. A long one on either side shows in the tail latency.
   */
  stallMs?: { server: number; bench: number };
}

/** The six load phases' figures. */
export interface LatencyFigures {
  overviewSeq: Latency;
  overviewPaced: Latency;
  overviewLoad: Latency;
  domainSeq: Latency;
  domainPaced: Latency;
  domainLoad: Latency;
}

/** autocannon against one URL (or a path per request), for a fixed time; latency percentiles from every response. */
function load(processes: Processes, url: string, connections: number, seconds: number, path?: () => string): Promise<Latency> {
  return new Promise((resolveLoad, reject) => {
    const times: number[] = [];
    let non2xx = 0;
    const inst = autocannon(
      { url, connections, duration: seconds, timeout: 30, requests: path ? [{ method: 'GET', setupRequest: (req) => ({ ...req, path: path() }) }] : undefined },
      (err, res) => {
        if (err) return reject(err);
        resolveLoad({
          requests: times.length,
          rps: times.length / res.duration,
          p50: percentile(times, 50),
          p95: percentile(times, 95),
          p99: percentile(times, 99),
          max: Math.max(...times),
          errors: res.errors,
          non2xx,
        });
      },
    );
    inst.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
      times.push(responseTime);
      if (status < 200 || status >= 300) non2xx++;
    });
    processes.onCleanup('autocannon', () => inst.stop());
  });
}

/**
 * The open-loop fixed rate (paced.ts) in a child process of its own, so it times the server and not this
 * process: the bench process also holds the demo API servers' objects, and a major collection of that heap
 * (0.5-0.6 s in full runs) stalled the sender and counted as server latency. `paths` are the request
 * paths in order, picked here from the run's seeded stream.
 */
async function paced(processes: Processes, base: string, paths: readonly string[], rate: number, seconds: number, connections: number): Promise<Latency> {
  const dir = mkdtempSync(join(tmpdir(), 'chainboard-paced-'));
  try {
    const config = join(dir, 'config.json');
    const out = join(dir, 'result.json');
    writeFileSync(config, JSON.stringify({ base, paths, rate, seconds, connections, out }));
    const child = processes.spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'paced.ts'), config], { stderr: 'inherit' });
    const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? 1)));
    if (code !== 0) throw new Error(`the paced sender exited ${code}`);
    return JSON.parse(readFileSync(out, 'utf8')) as Latency;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The server's longest event-loop stall since its metrics were last scraped, in ms (NaN when unreadable). */
async function serverStallMs(base: string): Promise<number> {
  try {
    const text = await (await fetch(`${base}/api/metrics`)).text();
    return Number(/^nodejs_eventloop_lag_max_seconds(?:\{[^}]*\})? (\S+)/m.exec(text)?.[1]) * 1000;
  } catch {
    return NaN;
  }
}

/** Runs one load phase with the longest event-loop stall of the server and of this process recorded beside it. */
async function withStalls(base: string, phase: () => Promise<Latency>): Promise<Latency> {
  await serverStallMs(base);
  const own = monitorEventLoopDelay({ resolution: 10 });
  own.enable();
  const l = await phase();
  own.disable();
  return { ...l, stallMs: { server: await serverStallMs(base), bench: own.max / 1e6 } };
}

/**
 * Warm-up, then the six load phases; errors or non-2xx answers are run errors. Domains are random hosts of
 * every cluster, each asked of its own cluster (`?cluster=`) when there are several.
 */
export async function measureLatency(bench: Bench, base: string, cluster: SeededCluster): Promise<LatencyFigures> {
  const { sizes } = bench.options;
  const { processes } = bench;
  const domainPath = () => domainPathOf(cluster, bench.pick(cluster.domains));
  const pacedPaths = (path: () => string) => Array.from({ length: Math.round(sizes.pacedRate * sizes.pacedSeconds) }, path);
  await load(processes, `${base}/api/v1/overview`, 2, 1);
  await load(processes, `${base}/api/v1/domains/x`, 2, 1, domainPath);
  console.error(`bench: load phases (per endpoint: ${sizes.seqSeconds} s at 1 connection, ${sizes.pacedSeconds} s at ${sizes.pacedRate} req/s over ${sizes.connections}, ${sizes.loadSeconds} s as fast as ${sizes.connections} connections go)...`);
  const figures: LatencyFigures = {
    overviewSeq: await withStalls(base, () => load(processes, `${base}/api/v1/overview`, 1, sizes.seqSeconds)),
    overviewPaced: await withStalls(base, () => paced(processes, base, pacedPaths(() => '/api/v1/overview'), sizes.pacedRate, sizes.pacedSeconds, sizes.connections)),
    overviewLoad: await withStalls(base, () => load(processes, `${base}/api/v1/overview`, sizes.connections, sizes.loadSeconds)),
    domainSeq: await withStalls(base, () => load(processes, `${base}/api/v1/domains/x`, 1, sizes.seqSeconds, domainPath)),
    domainPaced: await withStalls(base, () => paced(processes, base, pacedPaths(domainPath), sizes.pacedRate, sizes.pacedSeconds, sizes.connections)),
    domainLoad: await withStalls(base, () => load(processes, `${base}/api/v1/domains/x`, sizes.connections, sizes.loadSeconds, domainPath)),
  };
  for (const [name, l] of [['overview', figures.overviewSeq], ['overview', figures.overviewPaced], ['overview', figures.overviewLoad], ['domain', figures.domainSeq], ['domain', figures.domainPaced], ['domain', figures.domainLoad]] as const) {
    if (l.errors || l.non2xx) bench.errors.push(`${name} load: ${l.errors} errors, ${l.non2xx} non-2xx responses`);
  }
  console.error(`bench: overview p95 ${fmtMs(figures.overviewLoad.p95)} at ${sizes.connections} connections, domain p95 ${fmtMs(figures.domainLoad.p95)}`);
  return figures;
}
