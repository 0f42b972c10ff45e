/**
 * The report: the markdown table (figure, target, pass/miss) with the machine and the load it ran on,
 * and the results JSON `<mode>.json` with every figure and raw sample.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CheckFigures } from './check';
import type { HistoryFigures } from './history';
import type { Bench } from './context';
import type { InProcessFigures } from './in-process';
import type { Latency, LatencyFigures } from './latency';
import type { NaiveFigures } from './naive';
import { BROKEN_FRACTION, ROOT, SEED } from './options';
import type { Payloads } from './payloads';
import type { RouteKindFigures } from './route-kinds';
import type { SeededCluster } from './seed';
import type { RunningServer, ServerEnd } from './server';
import { fmtBytes, fmtMs, MB, median, percentile } from './stats';

/** The machine the run is on, and its load at the start and the end (the cores are shared). */
export interface Machine {
  cores: number;
  model: string;
  memory: string;
  node: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
}

/** One line of the table. */
export interface Row {
  figure: string;
  value: string;
  target: string;
  result: 'pass' | 'miss' | '';
}

/** What the phases against the production server measured, with one cluster or several. */
export interface ServerMeasurements {
  /** performance.now() at the start of the run. */
  started: number;
  machine: Machine;
  build: string;
  cluster: SeededCluster;
  server: RunningServer;
  payload: Payloads;
  routeKinds: RouteKindFigures;
  latency: LatencyFigures;
  /** Delay of each change, ms. */
  fresh: number[];
  serverEnd: ServerEnd;
}

/** Everything the phases of a one-cluster run measured. */
export interface Measurements extends ServerMeasurements {
  inProcess: InProcessFigures;
  naive: NaiveFigures;
  cli: CheckFigures;
  history: HistoryFigures;
}

/** The machine now, logged as the run's first line. */
export function describeMachine(bench: Bench): Machine {
  const machine: Machine = {
    cores: cpus().length,
    model: cpus()[0]?.model ?? '?',
    memory: fmtBytes(totalmem()),
    node: process.version,
    loadAverageAtStart: loadavg().map((x) => Number(x.toFixed(2))),
    loadAverageAtEnd: [],
  };
  console.error(`bench (${bench.options.mode}): ${machine.cores} cores (${machine.model}), node ${machine.node}, load average ${machine.loadAverageAtStart.join(' ')}`);
  return machine;
}

const passMiss = (ok: boolean): Row['result'] => (ok ? 'pass' : 'miss');
const lat = (l: Latency) =>
  `p50 ${fmtMs(l.p50)} / p95 ${fmtMs(l.p95)} / p99 ${fmtMs(l.p99)} (${l.rps.toFixed(0)} req/s)${l.stallMs ? `; longest stall: server ${fmtMs(l.stallMs.server)}, bench ${fmtMs(l.stallMs.bench)}` : ''}`;

/** The cluster's row: its size, and how its domains are routed. */
function clusterRow(m: ServerMeasurements): Row {
  const { counts, domains, allNamespaces, servers, gatewayDomains } = m.cluster;
  const routed = gatewayDomains ? `${domains.length - gatewayDomains} via Ingress, ${gatewayDomains} via HTTPRoute` : 'all via Ingress';
  const objects = Object.values(counts).reduce((a, b) => a + b, 0);
  const clusters = servers.length > 1 ? `${servers.length} clusters (${servers.map((s) => `${s.name}: ${s.namespaces} namespaces, ${s.domains} domains`).join('; ')}); in all ` : '';
  return { figure: 'cluster', value: `${clusters}${allNamespaces} namespaces, ${domains.length} domains (${routed}), ${counts.Pod} Pods, ${counts.EndpointSlice} EndpointSlices, ${counts.Event} Events (${m.cluster.warningEvents} Warning); ${objects} objects`, target: '', result: '' };
}

/** The server's rows shared by one cluster and several: sync, memory, latency, route kinds, freshness. */
function serverRows(bench: Bench, m: ServerMeasurements, rssTarget: { bytes: number; text: string; peak: boolean }): Row[] {
  const { sizes } = bench.options;
  const { server, serverEnd, latency, fresh, routeKinds: rk, cluster } = m;
  const { rssBase, rssAfterSync, heapAfterSync } = server;
  const { srvEnd, heapEnd } = serverEnd;
  const several = cluster.servers.length > 1;
  const domainFigure = several ? '/api/v1/domains/{host}?cluster=' : '/api/v1/domains/{host}';
  return [
    ...(several ? [{ figure: `first cluster synced (first request -> /api/readyz 200, ${cluster.servers.length - 1} not ready)`, value: fmtMs(server.firstClusterSyncMs), target: '', result: '' as const }] : []),
    { figure: several ? `first full sync of every cluster (first request -> /api/readyz 200, none not ready)` : 'first full sync (first request -> /api/readyz 200)', value: fmtMs(server.firstSyncMs), target: '< 15 s', result: passMiss(server.firstSyncMs < 15_000) },
    { figure: 'server -> ready (process start incl.)', value: fmtMs(server.spawnToReadyMs), target: '', result: '' },
    {
      figure: 'server RSS after sync (history store on, embedded)',
      value: `${fmtBytes(rssAfterSync)} (before sync ${fmtBytes(rssBase)}; after the load ${fmtBytes(srvEnd?.rss ?? NaN)}, peak ${fmtBytes(srvEnd?.hwm ?? NaN)}; V8 heap used ${fmtBytes(heapAfterSync?.used ?? NaN)} after sync, ${fmtBytes(heapEnd?.used ?? NaN)} of ${fmtBytes(heapEnd?.total ?? NaN)} at the end)`, target: rssTarget.text, result: passMiss(rssAfterSync < rssTarget.bytes) },
    ...(rssTarget.peak ? [{ figure: 'server peak RSS (VmHWM, after the load phases)', value: fmtBytes(srvEnd?.hwm ?? NaN), target: rssTarget.text, result: passMiss((srvEnd?.hwm ?? Infinity) < rssTarget.bytes) }] : []),
    {
      figure: 'domains answered as HTTPRoute chains (every HTTPRoute domain asked)',
      value: rk.seeded ? `${rk.gatewayRouted} of ${rk.seeded} (${rk.healthy} healthy, the rest carry seeded breakages); ${rk.ingressAsGateway} of ${rk.ingressSampled} Ingress domains asked` : `none seeded (--ingress-only); ${rk.ingressAsGateway} of ${rk.ingressSampled} Ingress domains asked`,
      target: 'all of them',
      result: passMiss(rk.gatewayRouted === rk.seeded && rk.ingressAsGateway === 0),
    },
    { figure: '/api/v1/overview, 1 connection', value: lat(latency.overviewSeq), target: '', result: '' },
    { figure: `/api/v1/overview, ${sizes.pacedRate} req/s over ${sizes.connections} connections`, value: lat(latency.overviewPaced), target: 'p95 < 50 ms', result: passMiss(latency.overviewPaced.p95 < 50) },
    { figure: `/api/v1/overview, ${sizes.connections} connections, saturated`, value: lat(latency.overviewLoad), target: 'p95 < 50 ms', result: passMiss(latency.overviewLoad.p95 < 50) },
    { figure: `${domainFigure}, 1 connection`, value: lat(latency.domainSeq), target: '', result: '' },
    { figure: `${domainFigure}, ${sizes.pacedRate} req/s over ${sizes.connections} connections`, value: lat(latency.domainPaced), target: 'p95 < 5 ms', result: passMiss(latency.domainPaced.p95 < 5) },
    { figure: `${domainFigure}, ${sizes.connections} connections, saturated`, value: lat(latency.domainLoad), target: 'p95 < 5 ms', result: passMiss(latency.domainLoad.p95 < 5) },
    { figure: `freshness (Pod + endpoint not ready -> API), ${fresh.length} changes`, value: `p50 ${fmtMs(median(fresh))} / p95 ${fmtMs(percentile(fresh, 95))} / max ${fmtMs(Math.max(...fresh))}`, target: 'p95 < 1 s', result: passMiss(percentile(fresh, 95) < 1000) },
  ];
}

/** The overview's payload rows. */
function payloadRows(payload: Payloads): Row[] {
  return [
    { figure: 'overview payload, default page', value: `${fmtBytes(payload.overviewDefaultBytes)} (${payload.overviewDefaultRows} rows; gzip ${fmtBytes(payload.overviewDefaultGzipBytes)})`, target: 'bounded', result: passMiss(payload.overviewDefaultRows <= 100) },
    { figure: 'overview payload, full list (limit=1000)', value: `${fmtBytes(payload.overviewAllBytes)} (${payload.overviewAllRows} rows; gzip ${fmtBytes(payload.overviewAllGzipBytes)})`, target: '', result: '' },
  ];
}

/** The rows of a run over several clusters: the server's figures, RSS and peak against 1 GB. */
function clustersRows(bench: Bench, m: ServerMeasurements): Row[] {
  return [clusterRow(m), ...serverRows(bench, m, { bytes: 1024 * MB, text: '< 1 GB (full size)', peak: true }), ...payloadRows(m.payload)];
}

/** The table's rows, each figure with its target and whether it is met. */
function tableRows(bench: Bench, m: Measurements): Row[] {
  const { cluster, inProcess: ip, server, latency, naive, cli } = m;
  const { allNamespaces } = cluster;
  const changeNs = ip.perChange.map((c) => c.namespaces);
  const overviewRatio = median(naive.overview) / latency.overviewSeq.p50;
  const domainRatio = median(naive.domain) / latency.domainSeq.p50;
  const { rssBase, rssAfterSync } = server;
  const [sync, ready, rss, ...rest] = serverRows(bench, m, { bytes: 800 * MB, text: '< 800 MB (full size)', peak: false });
  return [
    clusterRow(m),
    sync!,
    ready!,
    rss!,
    { figure: 'bytes per cached object, RSS delta', value: `${Math.round((rssAfterSync - rssBase) / ip.cachedObjects)} B (${ip.cachedObjects} cached objects)`, target: '', result: '' },
    { figure: 'bytes per cached object, in-process heap', value: `${Math.round((ip.heapCaches - ip.heap0) / ip.cachedObjects)} B caches only; ${Math.round((ip.heapAnalysed - ip.heap0) / ip.cachedObjects)} B with the analysis`, target: '', result: '' },
    { figure: 'app work per request, in-process (view + JSON.stringify)', value: `overview p50 ${fmtMs(ip.handler.overview.p50)} / p95 ${fmtMs(ip.handler.overview.p95)}; domain p50 ${fmtMs(ip.handler.domain.p50)} / p95 ${fmtMs(ip.handler.domain.p95)}`, target: '', result: '' },
    { figure: 'HTTPRoute chains, in-process analysis', value: `${ip.gatewayRoutedDomains} of ${cluster.domains.length} domains`, target: cluster.gatewayDomains ? `${cluster.gatewayDomains}` : '', result: cluster.gatewayDomains ? passMiss(ip.gatewayRoutedDomains === cluster.gatewayDomains) : '' },
    ...rest,
    {
      figure: `one Pod change re-analyses (${ip.perChange.length} changes, in-process)`,
      value: `${Math.min(...changeNs)}-${Math.max(...changeNs)} of ${allNamespaces} namespaces; ${fmtMs(median(ip.perChange.map((c) => c.analyzeMs + c.combineMs)))} per change (full analysis ${fmtMs(ip.initialAnalysis.analyzeMs + ip.initialAnalysis.combineMs)})`,
      target: 'not the whole cluster',
      result: passMiss(Math.max(...changeNs) <= 2 && Math.max(...changeNs) < allNamespaces),
    },
    { figure: '`chainboard check --from DUMP --no-probe --json`', value: `${fmtMs(cli.ms)} (dump ${fmtBytes(cluster.dump?.bytes ?? NaN)}, peak RSS ${fmtBytes(cli.peakRss)}, exit ${cli.exitCode})`, target: '', result: '' },
    ...payloadRows(m.payload),
    { figure: 'naive overview (list all kinds, analyse)', value: `median ${fmtMs(median(naive.overview))}; ${overviewRatio.toFixed(0)}x the 1-connection p50`, target: '>= 50x', result: passMiss(overviewRatio >= 50) },
    { figure: 'naive domain (list all kinds, analyse)', value: `median ${fmtMs(median(naive.domain))}; ${domainRatio.toFixed(0)}x the 1-connection p50`, target: '>= 50x', result: passMiss(domainRatio >= 50) },
    { figure: 'naive domain, smarter script (Ingresses or HTTPRoutes, then one namespace)', value: `median ${fmtMs(median(naive.domainOneNamespace))}; ${(median(naive.domainOneNamespace) / latency.domainSeq.p50).toFixed(0)}x`, target: '', result: '' },
    ...historyRows(m.history),
  ];
}

const pctOf = (a: number, b: number) => (100 * a) / b;

/** The history store's rows; a phase that failed shows as a missed row (its error is listed too). */
function historyRows(h: HistoryFigures): Row[] {
  const rows: Row[] = [];
  const { store, recording: r } = h;
  if (!store) rows.push({ figure: 'history store (bench/history.ts)', value: 'no figures: the run failed', target: '', result: 'miss' });
  for (const e of store?.engines ?? []) {
    rows.push({
      figure: `history of one domain, 90 days, ${store!.bigHostTransitions} transitions, ${e.engine} (${e.rows} rows)`,
      value: `p50 ${fmtMs(e.domainP50)} / p95 ${fmtMs(e.domainP95)}; 5,000-row insert ${fmtMs(e.insertMs)}; since/uptime of ${e.summaryHosts} hosts ${fmtMs(e.summariesFullMs)} full, ${fmtMs(e.summariesMs)} per refresh`,
      target: 'p95 < 20 ms',
      result: passMiss(e.domainP95 < 20),
    });
    rows.push({ figure: `history disk per 1,000 transitions, ${e.engine}`, value: `${fmtBytes(e.bytesPer1000)} (tables and indexes ${fmtBytes(e.tableBytesPer1000)})`, target: '', result: '' });
  }
  if (!r) rows.push({ figure: 'history recording (bench/history-record.ts)', value: 'no figures: the run failed', target: '', result: 'miss' });
  else {
    rows.push({
      figure: `history recording after one change (${r.domains} domains, ${r.namespaces} namespaces)`,
      value: `${fmtMs(r.viewMs)} per view, ${pctOf(r.viewMs, r.perChangeMs).toFixed(2)}% of the ${fmtMs(r.perChangeMs)} re-analysis; a 5% health wave ${fmtMs(r.waveMs)}`,
      target: '< 5%',
      result: passMiss(pctOf(r.viewMs, r.perChangeMs) < 5),
    });
    rows.push({
      figure: 'history recording of a rollout (its Pod events, the first attributed)',
      value: `${fmtMs(r.rolloutRecordingMs)}, ${pctOf(r.rolloutRecordingMs, r.rolloutAnalysisMs).toFixed(2)}% of its re-analyses (${fmtMs(r.rolloutAnalysisMs)}); the attributed Pod alone ${fmtMs(r.rolloutPodMs)}`,
      target: '< 5%',
      result: passMiss(pctOf(r.rolloutRecordingMs, r.rolloutAnalysisMs) < 5),
    });
  }
  return rows;
}

/** The table with the machine, the server and the load phases above it, and the errors below. */
function table(bench: Bench, m: ServerMeasurements, rows: Row[]): string {
  const { label, small, sizes, serverNodeOptions, clusters } = bench.options;
  const { machine, server, build } = m;
  const { errors } = bench;
  const routes = m.cluster.gatewayDomains ? `a fifth of the domains routed by HTTPRoutes of one shared Gateway (CHAINBOARD_GATEWAY_API=1), the rest by Ingresses` : 'every domain routed by an Ingress (--ingress-only)';
  return [
    `## Chainboard cluster benchmark (${label})`,
    '',
    `Cluster: ${clusters > 1 ? `${clusters} synthetic API servers (demo/server.ts, in the bench process), one Chainboard over both through a kubeconfig with a context each and CHAINBOARD_CONTEXTS=\`${m.cluster.contexts}\`; ` : ''}${routes}.`,
    '',
    `Machine: ${machine.cores} cores (${machine.model}), ${machine.memory} RAM, node ${machine.node}; load average ${machine.loadAverageAtStart.join(' ')} at start, ${machine.loadAverageAtEnd.join(' ')} at the end (the cores are shared).`,
    `Server: \`bin/chainboard-server.mjs\` (${build}), pid ${server.srv.pid} \`${server.srv.cmd.slice(0, 80)}\`, on 127.0.0.1, NODE_OPTIONS=\`${serverNodeOptions.value}\` (from ${serverNodeOptions.from}), CHAINBOARD_PROBE=off: TLS and DNS probes are not the subject here.`,
    `Load: autocannon per endpoint: ${sizes.seqSeconds} s at 1 connection, ${sizes.pacedSeconds} s at ${sizes.pacedRate} req/s over ${sizes.connections} connections, ${sizes.loadSeconds} s with ${sizes.connections} connections as fast as the server answers (saturated: latency is then mostly the queue of 10 requests); the latency targets are checked at both; domains are random hosts${clusters > 1 ? ' of both clusters, each asked with its `?cluster=`' : ''}.${clusters > 1 ? '' : ` Naive: ${sizes.naiveRuns} runs per request type, lists in pages of 500 from the same demo API server.`}`,
    ...(small ? ['Targets are for the full size; small mode reports them for information only.'] : []),
    '',
    '| figure | value | target | result |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.figure} | ${r.value} | ${r.target} | ${r.result} |`),
    '',
    `Total bench time ${fmtMs(performance.now() - m.started)}.${errors.length ? ` ERRORS: ${errors.join('; ')}` : ''}`,
  ].join('\n');
}

/** The results JSON's part about the cluster(s) and the server, shared by one cluster and several. */
function serverResults(bench: Bench, m: ServerMeasurements, rows: Row[]) {
  const { cluster, server, serverEnd, fresh } = m;
  return {
    mode: bench.options.mode,
    label: bench.options.label,
    date: new Date().toISOString(),
    machine: m.machine,
    build: m.build,
    cluster: {
      namespaces: cluster.allNamespaces,
      domains: cluster.domains.length,
      gatewayDomains: cluster.gatewayDomains,
      clusters: cluster.servers.map((s) => ({ name: s.name, context: s.context, namespaces: s.namespaces, domains: s.domains })),
      objects: cluster.counts,
      warningEvents: cluster.warningEvents,
      brokenFraction: BROKEN_FRACTION,
      seed: SEED,
    },
    config: { ...bench.options.sizes, clusters: bench.options.clusters, ingressOnly: bench.options.ingressOnly },
    timings: { generateMs: cluster.generateMs, listeningMs: server.listeningMs, firstClusterSyncMs: server.firstClusterSyncMs, firstSyncMs: server.firstSyncMs, spawnToReadyMs: server.spawnToReadyMs },
    memory: {
      serverPid: server.srv.pid,
      serverCmd: server.srv.cmd,
      rssBeforeSync: server.rssBase,
      rssAfterSync: server.rssAfterSync,
      rssEnd: serverEnd.srvEnd?.rss,
      rssPeak: serverEnd.srvEnd?.hwm,
      heapAfterSync: server.heapAfterSync,
      heapEnd: serverEnd.heapEnd,
      nodeOptions: bench.options.serverNodeOptions,
    },
    latency: m.latency,
    routeKinds: m.routeKinds,
    freshness: { changes: fresh.length, p50: median(fresh), p95: percentile(fresh, 95), max: Math.max(...fresh), samples: fresh },
    payload: m.payload,
    rows,
    errors: bench.errors,
  };
}

/** The results JSON of a one-cluster run: every figure, the raw samples, the rows and the errors. */
function results(bench: Bench, m: Measurements, rows: Row[]) {
  const { cluster, inProcess: ip, server, naive } = m;
  const { cachedObjects, heap0, heapCaches, heapAnalysed } = ip;
  const { rssBase, rssAfterSync } = server;
  const base = serverResults(bench, m, rows);
  return {
    ...base,
    timings: { ...base.timings, inProcessSettledMs: ip.settledMs, inProcessReadyMs: ip.readyMs },
    memory: {
      ...base.memory,
      cachedObjects,
      cachedByKind: ip.cached,
      bytesPerObjectRss: (rssAfterSync - rssBase) / cachedObjects,
      heapCachesBytes: heapCaches - heap0,
      heapWithAnalysisBytes: heapAnalysed - heap0,
      bytesPerObjectHeap: (heapCaches - heap0) / cachedObjects,
      bytesPerObjectHeapWithAnalysis: (heapAnalysed - heap0) / cachedObjects,
    },
    latency: { ...m.latency, inProcessHandler: ip.handler },
    inProcessGatewayRoutedDomains: ip.gatewayRoutedDomains,
    incremental: { initialAnalysis: ip.initialAnalysis, perChange: ip.perChange, namespaces: cluster.allNamespaces },
    cli: { ms: m.cli.ms, exitCode: m.cli.exitCode, dumpBytes: cluster.dump?.bytes, peakRss: m.cli.peakRss },
    history: m.history,
    naive: { ...naive, overviewRatio: median(naive.overview) / m.latency.overviewSeq.p50, domainRatio: median(naive.domain) / m.latency.domainSeq.p50, overviewMedian: median(naive.overview), domainMedian: median(naive.domain) },
    rows: base.rows,
    errors: base.errors,
  };
}

/** Prints the table, writes `<label>.json` into the results folder and returns the exit code. */
function finish(bench: Bench, m: ServerMeasurements, rows: Row[], json: (rows: Row[]) => unknown): number {
  m.machine.loadAverageAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
  console.log(table(bench, m, rows));
  const dir = bench.options.resultsDir;
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${bench.options.label}.json`);
  writeFileSync(out, JSON.stringify(json(rows), null, 2) + '\n');
  console.error(`bench: results in ${out.startsWith(ROOT) ? out.slice(ROOT.length + 1) : out}`);
  if (bench.errors.length) return 1;
  if (bench.options.strict && rows.some((r) => r.result === 'miss')) return 2;
  return 0;
}

/**
 * Prints the table, writes `<label>.json` (`full.json`, `small.json`...) into the results folder and
 * returns the exit code: 1 on errors, 2 on a missed target with `--strict`, else 0.
 */
export function report(bench: Bench, m: Measurements): number {
  return finish(bench, m, tableRows(bench, m), (rows) => results(bench, m, rows));
}

/** The same for a run over several clusters (`full-clusters2.json`...). */
export function reportClusters(bench: Bench, m: ServerMeasurements): number {
  return finish(bench, m, clustersRows(bench, m), (rows) => serverResults(bench, m, rows));
}
