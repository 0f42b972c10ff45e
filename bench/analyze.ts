/**
 * Analysis benchmark: a synthetic cluster (default 500 namespaces, 5,000 domains, 50,000 Pods) is
 * reshaped into a snapshot, then analysed several times; prints the median analysis time, and the
 * time to re-analyse one namespace and re-combine (what the live watch cache does on a change).
 *
 *   node --conditions=react-server --import tsx bench/analyze.ts [--namespaces 500] [--domains 10] [--pods 10] [--broken 0.1] [--runs 7] [--json-roundtrip]
 *
 * Wall time is what a user waits; CPU time (all threads, GC included) is steadier on a shared machine.
 * `--json-roundtrip` re-creates the slim snapshot through JSON before analysing: V8 then keeps its
 * objects in fast mode, which shows what slimming costs the engine when it leaves objects in dictionary
 * mode (it deletes keys).
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { addToSnapshot } from '../lib/cluster/dump';
import { analyze, analyzeNamespace, combine, partitionSnapshot, type AnalyzeOptions, type NamespaceAnalysis } from '../lib/chain';
import { DEFAULT_NAMESPACE_PREFIX } from '../lib/chain/options';
import { slimObject } from '../lib/model/slim';
import { emptySnapshot } from '../lib/model/snapshot';
import { SYNTHETIC_NOW, syntheticCluster } from './synthetic';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) ? v : fallback;
}

const namespaces = arg('namespaces', 500);
const domainsPerNamespace = arg('domains', 10);
const podsPerDomain = arg('pods', 10);
const brokenFraction = arg('broken', 0.1);
const runs = Math.max(1, arg('runs', 7));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

let t = performance.now();
let objects: unknown[] | undefined = syntheticCluster({ namespaces, domainsPerNamespace, podsPerDomain, brokenFraction, seed: 42 });
const generated = performance.now() - t;

t = performance.now();
const snapshot = emptySnapshot();
for (const o of objects!) {
  const r = slimObject(o);
  if (r.ok) addToSnapshot(snapshot, r.object);
}
if (process.argv.includes('--json-roundtrip')) Object.assign(snapshot, JSON.parse(JSON.stringify(snapshot)));
const slimmed = performance.now() - t;
const objectCount = objects.length;
objects = undefined; // only the slim snapshot stays in memory, as in the live cache

// One full collection before the timed runs, so they do not pay for the generator's raw objects. Not one
// per run: a forced collection shrinks the young generation and makes the next run slower than a server
// analysing again and again would be.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (n: number) => `${Math.round(n / 1048576)} MB`;

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

console.log(
  [
    `cluster: ${namespaces} namespaces, ${result.domains.length} domains, ${snapshot.pods.length} pods, ${snapshot.endpointSlices.length} EndpointSlices, ${objectCount} objects (${Math.round(brokenFraction * 100)}% of domains broken)`,
    `generate ${ms(generated)}, slim ${ms(slimmed)} (not analysis)`,
    `heap: ${mb(heapSnapshot)} with the slim snapshot; one result adds about ${mb(heapResult - heapSnapshot)}`,
    `analyze: median ${ms(median(times))} of ${runs} runs (min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}); CPU time median ${ms(median(cpuTimes))} (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
    `re-analyse one namespace: median ${ms(median(nsTimes))}; combine all namespaces: median ${ms(median(combineTimes))}`,
    `domains: ${counts.down} down, ${counts.unknown} unknown, ${counts.degraded} degraded, ${counts.healthy} healthy; ${findings} findings`,
  ].join('\n'),
);
