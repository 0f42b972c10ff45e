/**
 * Analysis benchmark: a synthetic cluster (default 500 namespaces, 5,000 domains, 50,000 Pods) is
 * reshaped into a snapshot, then analysed several times; prints the median analysis time, and the
 * time to re-analyse one namespace and re-combine (what the live watch cache does on a change).
 *
 * Then the offline check side by side with its floor, in this one process: the same cluster written as
 * one List the way `kubectl get ... -A -o json` prints it, and timed are `JSON.parse` of the file alone
 * (read included), `loadDump` of it, and the whole `chainboard check --from FILE` (load, analysis and
 * the CLI's output, `--json` and the summary) through the CLI's `run()` with its output discarded. Each
 * is printed with its ratio to the parse and its peak RSS; the target is check <= 2x parse.
 *
 *   node --conditions=react-server --import tsx bench/analyze.ts [--namespaces 500] [--domains 10] [--pods 10] [--broken 0.1] [--runs 7] [--dump-runs 3] [--no-dump] [--json-roundtrip]
 *
 * Wall time is what a user waits; CPU time (all threads, GC included) is steadier on a shared machine.
 * `--json-roundtrip` re-creates the slim snapshot through JSON before analysing: V8 then keeps its
 * objects in fast mode, which shows what slimming costs the engine when it leaves objects in dictionary
 * mode (it deletes keys).
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { addToSnapshot, loadDump } from '../lib/cluster/dump';
import { analyze, analyzeNamespace, combine, partitionSnapshot, type AnalyzeOptions, type NamespaceAnalysis } from '../lib/chain';
import { DEFAULT_NAMESPACE_PREFIX } from '../lib/chain/options';
import { run, type CliIO } from '../lib/cli/run';
import { slimObject } from '../lib/model/slim';
import { emptySnapshot } from '../lib/model/snapshot';
import { procMemory } from './cluster/proc';
import { fmtBytes, median, MB } from './cluster/stats';
import { SYNTHETIC_NOW, syntheticCluster, type K8sObject } from './synthetic';
import { numberArg } from './args';

const arg = numberArg;

const namespaces = arg('namespaces', 500);
const domainsPerNamespace = arg('domains', 10);
const podsPerDomain = arg('pods', 10);
const brokenFraction = arg('broken', 0.1);
const runs = Math.max(1, arg('runs', 7));
const dumpRuns = Math.max(1, arg('dump-runs', 3));
const withDump = !process.argv.includes('--no-dump');

const ms = (x: number) => `${x.toFixed(1)} ms`;
const mb = (n: number) => `${Math.round(n / MB)} MB`;

// One full collection before each timed part, so that none pays for the garbage of the one before. Not
// one per analysis run: a forced collection shrinks the young generation and makes the next run slower
// than a server analysing again and again would be.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Write objects as one List the way `kubectl get ... -A -o json` prints it (four-space indent, the
 * List's members in key order), item by item: the whole List as one string would come near V8's string
 * length limit. Returns the size in bytes.
 */
function writeKubectlList(file: string, objects: readonly K8sObject[]): number {
  const fd = openSync(file, 'w');
  let bytes = 0;
  let buf = '{\n    "apiVersion": "v1",\n    "items": [\n';
  const flush = () => {
    bytes += Buffer.byteLength(buf);
    writeSync(fd, buf);
    buf = '';
  };
  objects.forEach((o, i) => {
    buf += `${i ? ',\n' : ''}        ${JSON.stringify(o, null, 4).replace(/\n/g, '\n        ')}`;
    if (buf.length > 4 * MB) flush();
  });
  buf += '\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n';
  flush();
  closeSync(fd);
  return bytes;
}

/** The analysis engine alone, on the synthetic cluster; writes the cluster to `dumpFile` on the way. */
function analysisFigures(dumpFile: string | undefined): { lines: string[]; objectCount: number; dumpBytes: number } {
  let t = performance.now();
  let objects: K8sObject[] | undefined = syntheticCluster({ namespaces, domainsPerNamespace, podsPerDomain, brokenFraction, seed: 42 });
  const generated = performance.now() - t;
  const dumpBytes = dumpFile ? writeKubectlList(dumpFile, objects) : 0;

  t = performance.now();
  const snapshot = emptySnapshot();
  for (const o of objects) {
    const r = slimObject(o);
    if (r.ok) addToSnapshot(snapshot, r.object);
  }
  if (process.argv.includes('--json-roundtrip')) Object.assign(snapshot, JSON.parse(JSON.stringify(snapshot)));
  const slimmed = performance.now() - t;
  const objectCount = objects.length;
  objects = undefined; // only the slim snapshot stays in memory, as in the live cache

  const opts: AnalyzeOptions = { now: SYNTHETIC_NOW };
  analyze(snapshot, opts); // warm-up: JIT
  gc();
  const heapSnapshot = process.memoryUsage().heapUsed;

  const times: number[] = [];
  const cpuTimes: number[] = [];
  let result = analyze(snapshot, opts);
  const heapResult = process.memoryUsage().heapUsed;
  gc();
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    t = performance.now();
    result = analyze(snapshot, opts);
    times.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
  }

  // Incremental: one namespace changed -> re-analyse it and re-combine with the cached others.
  const parts = partitionSnapshot(snapshot, { namespacePrefix: DEFAULT_NAMESPACE_PREFIX });
  const cached = new Map<string, NamespaceAnalysis>();
  for (const [ns, part] of parts) cached.set(ns, analyzeNamespace(part, ns, opts));
  const names = [...parts.keys()];
  const nsTimes: number[] = [];
  const combineTimes: number[] = [];
  for (let i = 0; i < Math.max(runs, 21); i++) {
    const ns = names[(i * 7919) % names.length]!;
    t = performance.now();
    cached.set(ns, analyzeNamespace(parts.get(ns)!, ns, opts));
    const t2 = performance.now();
    combine([...cached.values()], opts);
    combineTimes.push(performance.now() - t2);
    nsTimes.push(t2 - t);
  }

  const counts = { down: 0, unknown: 0, degraded: 0, healthy: 0 };
  for (const d of result.domains) counts[d.health]++;
  const findings = result.domains.reduce((n, d) => n + d.findings.length, 0);

  const lines = [
    `cluster: ${namespaces} namespaces, ${result.domains.length} domains, ${snapshot.pods.length} pods, ${snapshot.endpointSlices.length} EndpointSlices, ${objectCount} objects (${Math.round(brokenFraction * 100)}% of domains broken)`,
    `generate ${ms(generated)}, slim ${ms(slimmed)} (not analysis)`,
    `heap: ${mb(heapSnapshot)} with the slim snapshot; one result adds about ${mb(heapResult - heapSnapshot)}`,
    `analyze: median ${ms(median(times))} of ${runs} runs (min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}); CPU time median ${ms(median(cpuTimes))} (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
    `re-analyse one namespace: median ${ms(median(nsTimes))}; combine all namespaces: median ${ms(median(combineTimes))}`,
    `domains: ${counts.down} down, ${counts.unknown} unknown, ${counts.degraded} degraded, ${counts.healthy} healthy; ${findings} findings`,
  ];
  return { lines, objectCount, dumpBytes };
}

interface Timing {
  ms: number;
  cpuMs: number;
  /** Peak RSS while it ran (VmHWM, reset before), or the RSS after it where /proc cannot tell. */
  peakRss: number;
}

/** Zero the process's peak RSS, so that the next VmHWM is the peak of what runs next (Linux). */
function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    /* not Linux: the RSS after the step stands in */
  }
}

async function timed(f: () => unknown): Promise<Timing> {
  gc();
  // V8 hands the pages a collection freed back to the system from a background thread: let it, so that
  // the peak below is this step's and not what the step before left mapped.
  await new Promise((r) => setTimeout(r, 500));
  resetPeakRss();
  const cpu = process.cpuUsage();
  const t = performance.now();
  await f();
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { ms: wall, cpuMs: (used.user + used.system) / 1000, peakRss: Math.max(procMemory(process.pid)?.hwm ?? 0, process.memoryUsage().rss) };
}

/** `chainboard check --from FILE --no-probe [--json]` through the CLI's own `run()`; resolves to the bytes it printed. */
async function check(file: string, json: boolean): Promise<number> {
  let bytes = 0;
  const io: CliIO = {
    out: (text) => void (bytes += Buffer.byteLength(text)),
    err: () => {},
    env: { CHAINBOARD_PROBE: 'off' },
    isTTY: false,
    now: () => SYNTHETIC_NOW,
  };
  const code = await run(['check', '--from', file, '--no-probe', ...(json ? ['--json'] : [])], io);
  if (code > 2) throw new Error(`chainboard check exited ${code}`);
  return bytes;
}

/**
 * The offline check against its floor, `JSON.parse` of the same file (the file read as a string
 * included: no check can do without reading it), each step `dumpRuns` times in turn.
 */
async function dumpFigures(file: string, objectCount: number, bytes: number): Promise<string[]> {
  const readMs: number[] = [];
  const printed = new Map<string, number>();
  const PARSE = 'JSON.parse of the file';
  const steps: Record<string, () => unknown> = {
    [PARSE]: () => {
      const t = performance.now();
      const text = readFileSync(file, 'utf8');
      readMs.push(performance.now() - t);
      return JSON.parse(text) as unknown;
    },
    loadDump: () => loadDump(file),
    'check --json': async () => printed.set('check --json', await check(file, true)),
    'check (summary)': async () => printed.set('check (summary)', await check(file, false)),
  };
  const samples = new Map<string, Timing[]>(Object.keys(steps).map((k) => [k, []]));
  for (let i = 0; i < dumpRuns; i++) {
    for (const [name, f] of Object.entries(steps)) samples.get(name)!.push(await timed(f));
  }
  const figure = (name: string) => {
    const xs = samples.get(name)!;
    return { ms: median(xs.map((x) => x.ms)), cpuMs: median(xs.map((x) => x.cpuMs)), peakRss: Math.max(...xs.map((x) => x.peakRss)) };
  };
  const floor = figure(PARSE);
  const lines = [`dump: one List as kubectl -o json prints it, ${objectCount} objects, ${fmtBytes(bytes)}; medians of ${dumpRuns} runs, highest peak RSS`];
  let worst = 0;
  for (const name of Object.keys(steps)) {
    const f = figure(name);
    const ratio = f.ms / floor.ms;
    if (name.startsWith('check')) worst = Math.max(worst, ratio);
    const note = name === PARSE ? `; read ${ms(median(readMs))}` : printed.has(name) ? `; printed ${fmtBytes(printed.get(name)!)}` : '';
    lines.push(`  ${name.padEnd(23)} ${ms(f.ms).padStart(10)}  ${ratio.toFixed(2)}x parse  (CPU ${ms(f.cpuMs)}, ${(f.cpuMs / floor.cpuMs).toFixed(2)}x; peak RSS ${mb(f.peakRss)}${note})`);
  }
  lines.push(`check <= 2x parse: ${worst <= 2 ? 'met' : 'missed'} (${worst.toFixed(2)}x; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`);
  return lines;
}

async function main(): Promise<void> {
  const dir = withDump ? mkdtempSync(join(tmpdir(), 'chainboard-bench-')) : undefined;
  try {
    const dumpFile = dir && join(dir, 'cluster.json');
    const { lines, objectCount, dumpBytes } = analysisFigures(dumpFile);
    console.log(lines.join('\n'));
    if (dumpFile) console.log((await dumpFigures(dumpFile, objectCount, dumpBytes)).join('\n'));
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
