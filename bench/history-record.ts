/**
 * What recording history costs next to the analysis it follows, on the synthetic cluster (default 500
 * namespaces, 5,000 domains, 50,000 Pods): the recorder's `observeView` on the views the live store
 * produces (one namespace re-analysed, then combined with the others), the attribution of a rollout Pod in
 * that namespace (its chain index built on that first lookup), and `observeView` on a view where 5% of the
 * domains changed health. Printed beside a whole analysis and the live store's per-change work. The
 * target: recording a view adds < 5% to the analysis that made it.
 *
 *   node --conditions=react-server --import tsx bench/history-record.ts [--namespaces 500] [--domains 10] [--pods 10] [--runs 200] [--json]
 */
import { performance } from 'node:perf_hooks';
import { analyze, analyzeNamespace, combine, partitionSnapshot, type AnalyzeOptions, type NamespaceAnalysis } from '../lib/chain';
import { DEFAULT_NAMESPACE_PREFIX } from '../lib/chain/options';
import { addToSnapshot } from '../lib/cluster/dump';
import type { Cacheable } from '../lib/cluster/reducer';
import { createRecorder } from '../lib/history/recorder';
import type { HistoryService } from '../lib/history/types';
import type { AnalysisResult } from '../lib/model/chain';
import { slimObject } from '../lib/model/slim';
import { emptySnapshot } from '../lib/model/snapshot';
import { median } from './cluster/stats';
import { SYNTHETIC_NOW, syntheticCluster } from './synthetic';
import { numberArg } from './args';

const arg = numberArg;

const namespaces = arg('namespaces', 500);
const domainsPerNamespace = arg('domains', 10);
const podsPerDomain = arg('pods', 10);
const runs = Math.max(3, arg('runs', 21));
/** `--json`: a last line `BENCH_JSON {...}` with the figures, for `npm run bench`. */
const json = process.argv.includes('--json');
const ms = (x: number) => `${x.toFixed(3)} ms`;
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(2)}%`;

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

async function main() {
  const snapshot = emptySnapshot();
  for (const o of syntheticCluster({ namespaces, domainsPerNamespace, podsPerDomain, brokenFraction: 0.05, seed: 42 })) {
    const r = slimObject(o);
    if (r.ok) addToSnapshot(snapshot, r.object);
  }
  const opts: AnalyzeOptions = { now: SYNTHETIC_NOW };
  let result: AnalysisResult = analyze(snapshot, opts);
  const analysis = median(Array.from({ length: Math.min(runs, 5) }, () => time(() => (result = analyze(snapshot, opts)))));

  const parts = partitionSnapshot(snapshot, { namespacePrefix: DEFAULT_NAMESPACE_PREFIX });
  const cached = new Map<string, NamespaceAnalysis>();
  for (const [ns, part] of parts) cached.set(ns, analyzeNamespace(part, ns, opts));
  const names = [...parts.keys()];
  const perChange = median(
    Array.from({ length: runs }, (_, i) =>
      time(() => {
        const ns = names[(i * 7919) % names.length]!;
        cached.set(ns, analyzeNamespace(parts.get(ns)!, ns, opts));
        combine([...cached.values()], opts);
      }),
    ),
  );

  let recorded = 0;
  const history: HistoryService = {
    status: () => ({ available: true, engine: 'pglite', role: 'writer', retentionDays: 90, pending: 0, defaultCluster: 'default' }),
    record: (r) => void (recorded += (r.transitions?.length ?? 0) + (r.changes?.length ?? 0)),
    heartbeat: () => {},
    lastStates: async () => new Map(),
    domain: async () => undefined,
    namespace: async () => undefined,
    summaries: () => undefined,
    clusters: () => undefined,
    flush: async () => {},
    close: async () => {},
  };
  const recorder = createRecorder({ history, cluster: 'bench', now: () => new Date(), heartbeatMs: 3_600_000 });
  await recorder.start();
  recorder.observeView({ result, synced: true });

  // What the live store hands over after one change: one namespace re-analysed, combined with the others.
  // Its domains are new objects (and the Pods of a rollout arrive for it); the others are reused.
  const views: { result: AnalysisResult; ns: string }[] = Array.from({ length: Math.max(runs, 200) + 40 }, (_, i) => {
    const ns = names[(i * 7919) % names.length]!;
    cached.set(ns, analyzeNamespace(parts.get(ns)!, ns, opts));
    return { result: combine([...cached.values()], opts), ns };
  });
  const rolloutPod = (ns: string, i: number, hash: string): Cacheable => {
    const d = views[0]!.result.domains.find((x) => x.namespace === ns)!;
    const owner = d.routes[0]?.service?.endpoints[0]?.pod?.owner?.split('/') ?? ['ReplicaSet', 'x-abc'];
    const rs = `${owner[1]!.replace(/-[^-]+$/, '')}-${hash}`;
    const labels = { 'pod-template-hash': hash };
    return { metadata: { name: `${rs}-${i}`, namespace: ns, labels, ownerReferences: [{ kind: owner[0]!, name: rs, controller: true }] }, spec: { containers: [{ name: 'app', image: `app:${hash}` }] } } as Cacheable;
  };
  // The first 40 warm up; the rest are timed together (one view is too short for the timer alone).
  const play = (from: number, to: number) => {
    let viewMs = 0;
    let podMs = 0;
    let restMs = 0;
    for (let i = from; i < to; i++) {
      const { result: r, ns } = views[i]!;
      viewMs += time(() => recorder.observeView({ result: r, synced: true }));
      // The workload's running Pods are known before its rollout begins; the rollout Pod is attributed.
      const [old, pod] = [rolloutPod(ns, i, 'old'), rolloutPod(ns, i, 'new')];
      recorder.observeObjects('Pod', [{ type: 'added', namespace: ns, name: old.metadata.name, object: old }]);
      podMs += time(() => recorder.observeObjects('Pod', [{ type: 'added', namespace: ns, name: pod.metadata.name, object: pod }]));
      // The rest of the rollout: the other new Pods start and the old one goes; no record, no lookup.
      restMs += time(() => {
        for (let k = 1; k < podsPerDomain; k++) {
          const more = rolloutPod(ns, i * 1000 + k, 'new');
          recorder.observeObjects('Pod', [{ type: 'added', namespace: ns, name: more.metadata.name, object: more }]);
        }
        recorder.observeObjects('Pod', [{ type: 'deleted', namespace: ns, name: old.metadata.name, object: old }]);
      });
    }
    const n = to - from;
    return { view: viewMs / n, rollout: podMs / n, rest: restMs / n };
  };
  play(0, 40);
  const { view, rollout, rest } = play(40, views.length);
  // A rollout of one workload: each of its Pod events is followed by a re-analysis and a view; only the
  // first new Pod is attributed (and builds that namespace's index).
  const rolloutEvents = podsPerDomain + 1;
  const rolloutRecording = rolloutEvents * view + rollout + rest;
  const rolloutAnalysis = rolloutEvents * perChange;

  // The same domains with 5% of them (new objects) in another health: a wave of changes.
  const flipped: AnalysisResult = { ...result, domains: result.domains.map((d, i) => (i % 20 === 0 ? { ...d, health: d.health === 'down' ? 'healthy' : 'down' } : d)) };
  for (let i = 0; i < 40; i++) recorder.observeView({ result: i % 2 ? result : flipped, synced: true });
  const wave = median(Array.from({ length: runs }, (_, i) => time(() => recorder.observeView({ result: i % 2 ? result : flipped, synced: true }))));
  recorder.stop();

  console.log(`domains ${result.domains.length}, namespaces ${names.length}, records written ${recorded}`);
  console.log(`whole analysis            ${ms(analysis)}`);
  console.log(`per change (1 ns + combine) ${ms(perChange)}`);
  console.log(`observeView after 1 change ${ms(view)}  (${pct(view, perChange)} of the per-change analysis)`);
  console.log(`+ a rollout Pod attributed ${ms(rollout)}  (${pct(rollout, perChange)}; once per rollout, index built)`);
  console.log(`a rollout of ${podsPerDomain} Pods, recording ${ms(rolloutRecording)}  (${pct(rolloutRecording, rolloutAnalysis)} of its ${rolloutEvents} re-analyses)`);
  console.log(`observeView, 5% changed   ${ms(wave)}  (${pct(wave, analysis)} of a whole analysis)`);
  if (json) {
    const figures = { domains: result.domains.length, namespaces: names.length, analysisMs: analysis, perChangeMs: perChange, viewMs: view, rolloutPodMs: rollout, rolloutRecordingMs: rolloutRecording, rolloutAnalysisMs: rolloutAnalysis, waveMs: wave };
    console.log(`BENCH_JSON ${JSON.stringify(figures)}`);
  }
}

void main();
