/**
 * Cluster-scale benchmark (`npm run bench`): Chainboard against a synthetic cluster served by the demo
 * Kubernetes API server, side by side with the naive way (list everything per request).
 *
 *   node --conditions=react-server --import tsx bench/cluster.ts [--small] [--clusters N] [--ingress-only]
 *     [--no-build] [--strict] [--results DIR] [--node-options "--max-old-space-size=N"] [--cpu-prof DIR]
 *
 * Full size: 500 `hst-*` namespaces, 5,000 domains, 50,000 Pods, their Services and EndpointSlices, and the
 * events `kubectl get events -A` would show (Warnings of the broken Pods, Normal events of recent
 * rollouts); 5% of the domains broken. Every fifth domain is routed by a Gateway API HTTPRoute through one
 * shared Gateway (with its GatewayClass, and the status Traefik's Gateway controller writes), the others by
 * Ingresses; `--ingress-only` routes them all by Ingresses, as before HTTPRoutes were mixed in. `--small`:
 * 20 namespaces, 200 domains, 2,000 Pods and short load phases, for CI.
 *
 * `--clusters N`: the same namespaces split over N synthetic API servers (2: 2 x 250 namespaces, 2 x
 * 25,000 Pods), one production server over all of them through a kubeconfig with a context each and
 * CHAINBOARD_CONTEXTS; only the server phases (3) run, domains are asked with `?cluster=`, and the RSS
 * target is 1 GB (after the sync and at the peak).
 *
 * The phases, each a module under bench/cluster/:
 * 1. seed.ts: the synthetic cluster in the demo API server, and its dump;
 * 2. in-process.ts, reanalysis.ts: in this process, the watch caches and the analysis store alone
 *    (LiveSource + AnalysisStore, as lib/cluster/runtime.ts wires them): heap per cached object, and what
 *    one Pod change re-analyses;
 * 3. server.ts, payloads.ts, route-kinds.ts, latency.ts, freshness.ts: the production server
 *    (`bin/chainboard-server.mjs`, Next behind the read API's fast path; KUBECONFIG at the demo server,
 *    probes off, NODE_OPTIONS as deploy/base/deployment.yaml sets them): time to first full sync, RSS,
 *    payload sizes, every HTTPRoute domain answered as an HTTPRoute chain, latency of
 *    /api/v1/overview and /api/v1/domains/{host} (autocannon with one connection; a fixed rate over 10
 *    connections; autocannon with 10 connections as fast as they go, where the targets are checked), and
 *    freshness (a Pod and its endpoint turn not ready in the API server -> the domain endpoint shows it);
 * 4. naive.ts: per request, list every kind from the API server in pages of 500 (as kubectl does),
 *    slim, analyse, answer;
 * 5. check.ts: `chainboard check --from DUMP --no-probe --json` on a dump of the same cluster;
 * 6. history.ts: the history store (bench/history.ts: one domain's 90 days on PGlite and PostgreSQL, disk
 *    per 1,000 transitions) and what recording adds to the analysis (bench/history-record.ts), each in a
 *    child process. The server of phase 3 runs with its embedded history store on, so its RSS includes it.
 *
 * report.ts prints a markdown table (figure, target, pass/miss) and machine info, and writes
 * `<label>.json` (`full`, `small`, `full-clusters2`, `full-ingress-only`...) into `--results DIR` (default
 * bench/results/ for a full run, test-results/bench/ for `--small`). Exits non-zero only on errors (a
 * server that fails to start or answers with errors, a change that never shows); a missed target is
 * reported, not a failure - unless `--strict`.
 * A production build is needed (build.ts): it is built (`next build`) when .next/BUILD_ID is missing or
 * older than the sources, unless `--no-build` (then a stale build is used with a warning).
 * Everything listens on 127.0.0.1; everything started is stopped on exit, error or Ctrl-C.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureBuild } from './cluster/build';
import { measureCheck } from './cluster/check';
import { createBench, type Bench } from './cluster/context';
import { measureFreshness } from './cluster/freshness';
import { measureHistory } from './cluster/history';
import { measureInProcess } from './cluster/in-process';
import { measureLatency } from './cluster/latency';
import { measureNaive } from './cluster/naive';
import { parseOptions } from './cluster/options';
import { measurePayloads } from './cluster/payloads';
import { describeMachine, report, reportClusters } from './cluster/report';
import { measureRouteKinds } from './cluster/route-kinds';
import { seedCluster } from './cluster/seed';
import { startServer, stopServer } from './cluster/server';

async function main(bench: Bench): Promise<number> {
  const started = performance.now();
  const machine = describeMachine(bench);
  const build = await ensureBuild(bench);
  const work = mkdtempSync(join(tmpdir(), 'chainboard-bench-'));
  bench.processes.onCleanup('temp folder', () => rmSync(work, { recursive: true, force: true }));

  const cluster = await seedCluster(bench, work);
  if (bench.options.clusters > 1) {
    // Several clusters: what the production server does with them (the in-process, naive, CLI and history
    // phases are about one cluster and are not repeated).
    const server = await startServer(bench, cluster, work);
    const payload = await measurePayloads(bench, server.base, cluster);
    const routeKinds = await measureRouteKinds(bench, server.base, cluster);
    const latency = await measureLatency(bench, server.base, cluster);
    const fresh = await measureFreshness(bench, server.base, cluster);
    const serverEnd = await stopServer(bench, server);
    return reportClusters(bench, { started, machine, build, cluster, server, payload, routeKinds, latency, fresh, serverEnd });
  }
  const inProcess = await measureInProcess(bench, cluster);
  const server = await startServer(bench, cluster, work);
  const payload = await measurePayloads(bench, server.base, cluster);
  const routeKinds = await measureRouteKinds(bench, server.base, cluster);
  const latency = await measureLatency(bench, server.base, cluster);
  const fresh = await measureFreshness(bench, server.base, cluster);
  const serverEnd = await stopServer(bench, server);
  const naive = await measureNaive(bench, cluster);
  await cluster.demo.close();
  const cli = await measureCheck(bench, cluster.dumpDir!);
  const history = await measureHistory(bench, work);

  return report(bench, { started, machine, build, cluster, inProcess, server, payload, routeKinds, latency, fresh, serverEnd, naive, cli, history });
}

const bench = createBench(parseOptions(process.argv));
bench.processes.installExitHooks();
main(bench)
  .then(async (code) => {
    await bench.processes.cleanupAll();
    process.exit(code);
  })
  .catch(async (e: unknown) => {
    console.error(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    await bench.processes.cleanupAll();
    process.exit(1);
  });
