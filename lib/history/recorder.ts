/**
 * The recorder: turns Chainboard's live view into history. It is fed three things and writes through a
 * `HistoryService` (which queues and batches; the recorder never waits on the database):
 *
 * - `observeView(view)` after every analysis: a domain whose health differs from the last state known of
 *   its host gives one Transition; a host that left the result goes to `no-data`. Nothing is compared
 *   while the view is not synced - the heartbeat closes the coverage instead, and the time reads no-data.
 * - `observeObjects(kind, changes)` with the watch caches' changes: readable diffs (lib/history/diff.ts)
 *   of the objects on some domain's chain, attributed to hosts through the chain index of the latest
 *   result (lib/history/chain-index.ts). The changes of the first list are the cluster as it is, not
 *   changes: they only teach the Pod and EndpointSlice trackers, until the first synced view.
 * - `observeProbes(results)` with the TLS probes: a served certificate whose fingerprint differs from the
 *   last one seen of the host is a `ServedCertificate` rotation.
 *
 * Its memory across restarts and writer takeovers is `history.lastStates(cluster)`, read by `start()` and again when this replica becomes the writer: a
 * state that did not change while Chainboard was away gives no transition. When the store cannot answer,
 * the recorder starts from nothing and asks again on each heartbeat.
 *
 * Wiring (lib/server/app.ts): `const r = createRecorder({ history, cluster, now: () => new Date(), log });
 * await r.start();` then, from the analysis store's listener, `r.observeView({ result: view.result,
 * synced: view.ready && !view.stale && !view.stalled })`; from the live source's listener, for each
 * `{ type: 'objects', kind, changes }` event, `r.observeObjects(kind, changes)`; from the probe runner,
 * `r.observeProbes(results)`; on shutdown `r.stop()` before `history.close()`.
 */
import type { CacheChange, Cacheable } from '../cluster/reducer';
import type { AnalysisResult, DomainChain } from '../model/chain';
import type { CertificateInfo, ResourceKind, SlimCertManagerCertificate, SlimEndpointSlice, SlimIngress, SlimMeta, SlimPod } from '../model/k8s';
import type { ProbeResults } from '../model/probe';
import { buildChainIndex, type ChainIndex } from './chain-index';
import { describeChange, helmOf, ingressHosts, PodTracker, SliceTracker, type WorkloadEvent } from './diff';
import { transitionFor, type HostMemory } from './transition';
import type { ChangeRecord, HistoryService, HistoryState, Transition } from './types';

export interface RecorderOptions {
  history: HistoryService;
  cluster: string;
  now: () => Date;
  log?: (message: string) => void;
  /** How often the coverage is extended (or closed). Default 10 s. */
  heartbeatMs?: number;
}

export interface RecorderView {
  result?: AnalysisResult;
  /** Every cache listed and current: only then is a domain's health history. */
  synced: boolean;
}

export interface Recorder {
  /** Loads the last recorded states and starts the heartbeat. Views observed before it resolves wait for it. */
  start(): Promise<void>;
  observeView(view: RecorderView): void;
  observeObjects(kind: ResourceKind, changes: CacheChange<Cacheable>[]): void;
  observeProbes(results: ProbeResults): void;
  /** Stops the heartbeat and closes the coverage with a last unsynced heartbeat. */
  stop(): void;
}

export const DEFAULT_HEARTBEAT_MS = 10_000;

/** `AB:CD:EF:01…`: enough of a SHA-256 fingerprint to tell two certificates apart at a glance. */
export const shortFingerprint = (fp: string) => (fp.length > 11 ? `${fp.slice(0, 11)}…` : fp);
const day = (iso: string) => iso.slice(0, 10);

export function createRecorder(opts: RecorderOptions): Recorder {
  const { history, cluster, now } = opts;
  const log = opts.log ?? (() => {});
  const heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;

  const memory = new Map<string, HostMemory>();
  let generation = 0;
  let loaded = false;
  let loading: Promise<void> | undefined;
  let started = false;
  let stopped = false;
  let synced = false;
  /** False until the first synced view: the changes before it are the first list, not changes. */
  let live = false;
  let pendingView: RecorderView | undefined;
  let index: ChainIndex | undefined;
  let previousIndex: ChainIndex | undefined;
  let timer: NodeJS.Timeout | undefined;
  const pods = new PodTracker();
  const slices = new SliceTracker();
  const served = new Map<string, CertificateInfo>();

  const loadMemory = () =>
    (loading ??= (async () => {
      let states: Awaited<ReturnType<HistoryService['lastStates']>>;
      try {
        states = await history.lastStates(cluster);
      } catch (e) {
        states = undefined;
        log(`history: last states unavailable: ${(e as Error).message}`);
      }
      loading = undefined;
      if (!states) return;
      // Hosts seen since start are already known better than the store knows them.
      for (const [host, since] of states) if (!memory.has(host)) memory.set(host, { state: since.state, namespace: '', seen: generation });
      loaded = true;
    })());

  const beat = () => history.heartbeat(cluster, now(), synced);

  /** The latest synced result compared, for a takeover to compare again. */
  let lastResult: AnalysisResult | undefined;
  /** Was this replica the writer at the last heartbeat? Set by `start()` once the store has connected. */
  let wasWriter = false;
  let retaking: Promise<void> | undefined;

  /**
   * This replica has just become the writer (the last one stopped or lost its lock). While it read, the
   * store dropped what it recorded, so its memory ran ahead of the database: the database's last states
   * are the memory again, and the current view is compared against them, so what changed while nobody
   * wrote becomes transitions now (at the takeover, after the old writer's coverage closed as no-data).
   */
  const takeOver = () =>
    (retaking ??= (async () => {
      let states: Awaited<ReturnType<HistoryService['lastStates']>>;
      try {
        states = await history.lastStates(cluster);
      } catch {
        states = undefined;
      }
      retaking = undefined;
      if (stopped) return;
      if (!states) {
        // Asked again at the next heartbeat.
        wasWriter = false;
        return;
      }
      for (const [host, m] of memory) m.state = states.get(host)?.state ?? 'no-data';
      for (const [host, since] of states) if (!memory.has(host)) memory.set(host, { state: since.state, namespace: '', seen: generation });
      lastDomains = [];
      if (synced && lastResult) compare(lastResult);
    })());

  /** The domains of the last compared view, by position: the analysis store reuses the objects of unchanged namespaces. */
  let lastDomains: readonly DomainChain[] = [];

  // One pass over the view. A domain object identical to the one at the same position last time has the
  // host and health already remembered, so most of a 5,000-domain view costs a pointer comparison and only
  // the re-analysed namespaces' domains are looked up. Every host of the view is remembered afterwards, so
  // the memory holds more hosts than the view exactly when one left it: only then are they all marked.
  function compare(result: AnalysisResult) {
    const at = now().toISOString();
    const transitions: Transition[] = [];
    const ds = result.domains;
    const prev = lastDomains;
    for (let i = 0; i < ds.length; i++) {
      const d = ds[i]!;
      if (prev[i] === d) continue;
      let m = memory.get(d.host);
      if (!m) memory.set(d.host, (m = { state: 'no-data', namespace: d.namespace, seen: 0 }));
      m.namespace = d.namespace;
      if (m.state !== d.health) {
        transitions.push(transitionFor(cluster, at, d, m.state));
        m.state = d.health;
      }
    }
    lastDomains = ds;
    lastResult = result;
    if (memory.size !== ds.length) {
      const gen = ++generation;
      for (const d of ds) memory.get(d.host)!.seen = gen;
      for (const [host, m] of memory) {
        if (m.seen === gen) continue;
        memory.delete(host);
        if (m.state === 'no-data') continue;
        const to: HistoryState = 'no-data';
        transitions.push({ cluster, host, namespace: m.namespace, at, from: m.state, to, codes: [], message: `${host} is no longer served: no Ingress rule claims it` });
      }
    }
    if (transitions.length) history.record({ transitions });
  }

  function setIndex(result: AnalysisResult | undefined) {
    if (!result || result === index?.result) return;
    previousIndex = index;
    index = buildChainIndex(result, index);
  }

  /** Hosts from the latest index, else from the one before (an object deleted after the last analysis). */
  function lookup(find: (i: ChainIndex) => string[]): string[] {
    const hosts = index ? find(index) : [];
    return hosts.length || !previousIndex ? hosts : find(previousIndex);
  }

  const inClientNamespace = (ns: string) => index !== undefined && ns.startsWith(index.result.namespacePrefix);

  function record(kind: ChangeRecord['kind'], ns: string, name: string, action: ChangeRecord['action'], lines: string[], hosts: string[], meta?: Pick<SlimMeta, 'labels' | 'annotations'>): ChangeRecord {
    const c: ChangeRecord = { cluster, namespace: ns, kind, name, at: now().toISOString(), action, hosts, lines };
    const helm = helmOf(meta);
    if (helm) c.helm = helm;
    return c;
  }

  function workloadChange(kind: 'Pod' | 'EndpointSlice', ev: WorkloadEvent | undefined, hosts: (i: ChainIndex) => string[]): ChangeRecord | undefined {
    if (!ev) return undefined;
    const h = lookup(hosts);
    return h.length ? record(kind, ev.namespace, ev.name, ev.action, ev.lines, h, { labels: ev.labels }) : undefined;
  }

  function objectChange(kind: 'Ingress' | 'Service' | 'Certificate', c: CacheChange<Cacheable>): ChangeRecord | undefined {
    const described = describeChange(kind, c as CacheChange<{ metadata: SlimMeta }>);
    if (!described) return undefined;
    const hosts = new Set(lookup((i) => i.hosts(kind, c.namespace, c.name)));
    if (kind === 'Certificate') {
      const secret = (c.object as SlimCertManagerCertificate).spec?.secretName;
      if (secret) for (const h of lookup((i) => i.hosts('Secret', c.namespace, secret))) hosts.add(h);
    }
    const client = inClientNamespace(c.namespace);
    if (kind === 'Ingress' && client) for (const h of [...ingressHosts(c.object as SlimIngress), ...ingressHosts(c.previous as SlimIngress | undefined)]) hosts.add(h);
    // A Service or Ingress on no chain yet may be about to break one; anything else on no chain is noise.
    if (!hosts.size && (kind === 'Certificate' || !client)) return undefined;
    const meta = (c.object as { metadata: SlimMeta }).metadata;
    return record(kind, c.namespace, c.name, described.action, described.lines, [...hosts].sort(), meta);
  }

  return {
    async start() {
      if (started || stopped) return;
      await loadMemory();
      if (!loaded) log('history: starting without the last recorded states; retrying on each heartbeat');
      started = true;
      wasWriter = history.status().role === 'writer';
      timer = setInterval(() => {
        beat();
        if (!loaded) void loadMemory();
        const writer = history.status().role === 'writer';
        if (writer && !wasWriter && loaded) void takeOver();
        wasWriter = writer;
      }, heartbeatMs);
      timer.unref?.();
      beat();
      const view = pendingView;
      pendingView = undefined;
      if (view?.result && view.synced && !stopped) compare(view.result);
    },

    observeView(view) {
      if (stopped) return;
      setIndex(view.result);
      const nowSynced = view.synced && view.result !== undefined;
      if (nowSynced !== synced) {
        synced = nowSynced;
        if (started) beat();
      }
      if (!nowSynced) return;
      live = true;
      if (!started) {
        pendingView = view;
        return;
      }
      compare(view.result!);
    },

    observeObjects(kind, changes) {
      if (stopped) return;
      const out: ChangeRecord[] = [];
      for (const c of changes) {
        let rec: ChangeRecord | undefined;
        if (kind === 'Pod') {
          const p = c as CacheChange<SlimPod>;
          const ev = pods.observe(p, live);
          rec = workloadChange('Pod', ev, (i) => i.podHosts(c.namespace, c.name, ev?.labels ?? p.object.metadata.labels, ev?.owner));
        } else if (kind === 'EndpointSlice') {
          const ev = slices.observe(c as CacheChange<SlimEndpointSlice>, live);
          rec = workloadChange('EndpointSlice', ev, (i) => i.sliceHosts(c.namespace, c.name, ev?.service));
        } else if (live && (kind === 'Ingress' || kind === 'Service' || kind === 'Certificate')) {
          rec = objectChange(kind, c);
        }
        if (rec) out.push(rec);
      }
      if (out.length) history.record({ changes: out });
    },

    observeProbes(results) {
      if (stopped) return;
      const out: ChangeRecord[] = [];
      for (const host in results) {
        const tls = results[host]?.tls;
        if (tls?.status !== 'ok' || !tls.chain[0]) continue;
        const leaf = tls.chain[0];
        const last = served.get(host);
        served.set(host, leaf);
        if (!last || last.fingerprint256 === leaf.fingerprint256) continue;
        const lines = [
          `fingerprint ${shortFingerprint(last.fingerprint256)} -> ${shortFingerprint(leaf.fingerprint256)}`,
          last.issuer === leaf.issuer ? `issuer ${leaf.issuer}` : `issuer ${last.issuer} -> ${leaf.issuer}`,
          `notAfter ${day(last.notAfter)} -> ${day(leaf.notAfter)}`,
        ];
        out.push(record('ServedCertificate', memory.get(host)?.namespace ?? '', host, 'rotated', lines, [host]));
      }
      if (out.length) history.record({ changes: out });
    },

    stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      synced = false;
      if (started) beat();
    },
  };
}
