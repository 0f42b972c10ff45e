import 'server-only';
/**
 * Prometheus metrics of Chainboard, so alerts can be built on it. A dedicated Registry (never prom-client's
 * global one, which libraries may also write to), one per app (lib/server/app.ts). Domain, finding, certificate and cache values are not kept
 * up to date in the background: each gauge reads the current analysis when Prometheus scrapes.
 *
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/
 * @see https://prometheus.io/docs/practices/naming/
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ClusterState } from '../api/source';
import type { DowntimeMeter } from './downtime';
import { HEALTH_ORDER, type AnalysisResult, type DomainChain, type Finding } from '../model/chain';

/**
 * Where the gauges read from at scrape time: every cluster's state (each series carries its `cluster`
 * label); `undefined` when there is no source yet (start-up failed).
 */
export type StateReader = () => Promise<ClusterState[] | undefined>;

export interface ChainboardMetrics {
  registry: Registry;
  /** API latency; fed by `instrument()` (lib/metrics/instrument.ts). */
  httpDuration: Histogram<'route' | 'method' | 'status'>;
}

/** Seconds, with millisecond precision: what Prometheus expects of `_seconds` gauges. */
const seconds = (ms: number) => Math.round(ms) / 1000;

/** The certificate a domain's expiry is judged by: the one it serves (probe), else the one in its Secret. */
export function certificateExpiry(d: DomainChain): { notBefore: string; notAfter: string; source: 'served' | 'secret' } | undefined {
  const p = d.tls.probe;
  const leaf = p?.status === 'ok' ? p.chain[0] : undefined;
  if (leaf) return { notBefore: leaf.notBefore, notAfter: leaf.notAfter, source: 'served' };
  const s = d.tls.secretCertificate;
  if (s) return { notBefore: s.notBefore, notAfter: s.notAfter, source: 'secret' };
  return undefined;
}

/** Count findings by code, severity and namespace over the domains and the namespace-level findings. */
export function countFindings(result: AnalysisResult): Map<string, { code: string; severity: string; namespace: string; count: number }> {
  const counts = new Map<string, { code: string; severity: string; namespace: string; count: number }>();
  const add = (f: Finding, fallbackNs: string) => {
    const namespace = f.object.namespace ?? fallbackNs;
    const key = `${f.code}\0${f.severity}\0${namespace}`;
    const had = counts.get(key);
    if (had) had.count++;
    else counts.set(key, { code: f.code, severity: f.severity, namespace, count: 1 });
  };
  for (const d of result.domains) for (const f of d.findings) add(f, d.namespace);
  for (const ns of result.namespaces) for (const f of ns.findings) add(f, ns.name);
  return counts;
}

/**
 * Build a registry whose gauges read `read()` at scrape time.
 */
export function createMetrics(read: StateReader, clock: () => Date = () => new Date(), opts: { defaultMetrics?: boolean; downtime?: DowntimeMeter } = {}): ChainboardMetrics {
  const registry = new Registry();
  const registers = [registry];

  new Gauge({
    name: 'chainboard_ready',
    help: 'Per cluster: 1 when Chainboard has an analysis of it to serve (its caches synced at least once), else 0. Without a cluster label: no source could start.',
    labelNames: ['cluster'] as const,
    registers,
    async collect() {
      this.reset();
      const cs = await read();
      if (!cs) return this.set(0);
      for (const c of cs) this.set({ cluster: c.name }, c.result ? 1 : 0);
    },
  });

  new Gauge({
    name: 'chainboard_domain_health',
    help: 'Health of each domain: 1 for its current health, 0 for the others (healthy, degraded, down, unknown).',
    labelNames: ['cluster', 'host', 'namespace', 'health'] as const,
    registers,
    async collect() {
      this.reset();
      for (const { name: cluster, result: r } of (await read()) ?? []) {
        if (!r) continue;
        for (const d of r.domains) {
          for (const h of HEALTH_ORDER) this.set({ cluster, host: d.host, namespace: d.namespace, health: h }, d.health === h ? 1 : 0);
        }
      }
    },
  });

  new Gauge({
    name: 'chainboard_findings',
    help: 'Number of current findings by code, severity and namespace.',
    labelNames: ['cluster', 'code', 'severity', 'namespace'] as const,
    registers,
    async collect() {
      this.reset();
      for (const { name: cluster, result: r } of (await read()) ?? []) {
        if (r) for (const c of countFindings(r).values()) this.set({ cluster, code: c.code, severity: c.severity, namespace: c.namespace }, c.count);
      }
    },
  });

  new Gauge({
    name: 'chainboard_certificate_expiry_seconds',
    help: 'Seconds until the certificate of a domain expires (negative once expired): the served certificate when probed, else the one in its TLS Secret.',
    labelNames: ['cluster', 'host', 'namespace', 'source'] as const,
    registers,
    async collect() {
      this.reset();
      const now = clock().getTime();
      for (const { name: cluster, result: r } of (await read()) ?? []) {
        for (const d of r?.domains ?? []) {
          const c = certificateExpiry(d);
          const t = c ? Date.parse(c.notAfter) : NaN;
          if (c && Number.isFinite(t)) this.set({ cluster, host: d.host, namespace: d.namespace, source: c.source }, seconds(t - now));
        }
      }
    },
  });

  // The whole validity period, so an alert can say "not renewed a third of its life before expiry" for
  // certificates of any lifetime (90-day ACME ones and year-long bought ones alike).
  new Gauge({
    name: 'chainboard_certificate_lifetime_seconds',
    help: 'Validity period (notAfter - notBefore) in seconds of the certificate chainboard_certificate_expiry_seconds reports, with the same labels.',
    labelNames: ['cluster', 'host', 'namespace', 'source'] as const,
    registers,
    async collect() {
      this.reset();
      for (const { name: cluster, result: r } of (await read()) ?? []) {
        for (const d of r?.domains ?? []) {
          const c = certificateExpiry(d);
          const from = c ? Date.parse(c.notBefore) : NaN;
          const to = c ? Date.parse(c.notAfter) : NaN;
          if (c && Number.isFinite(from) && Number.isFinite(to)) this.set({ cluster, host: d.host, namespace: d.namespace, source: c.source }, seconds(to - from));
        }
      }
    },
  });

  new Gauge({
    name: 'chainboard_cache_synced',
    help: 'Per watched kind (and namespace, when watched per namespace): 1 when its cache is synced, else 0 (syncing, forbidden, disconnected, stalled).',
    labelNames: ['cluster', 'kind', 'namespace'] as const,
    registers,
    async collect() {
      this.reset();
      for (const c of (await read()) ?? []) {
        for (const k of c.sync.kinds) this.set({ cluster: c.name, kind: k.kind, namespace: k.namespace ?? '' }, k.state === 'synced' ? 1 : 0);
      }
    },
  });

  new Gauge({
    name: 'chainboard_cache_age_seconds',
    help: 'Seconds since the oldest last list, event or bookmark of the watched kinds: how old the data shown may be (it grows while a watch is silent).',
    labelNames: ['cluster'] as const,
    registers,
    async collect() {
      this.reset();
      for (const c of (await read()) ?? []) {
        const at = c.sync.syncedAt ? Date.parse(c.sync.syncedAt) : NaN;
        if (Number.isFinite(at)) this.set({ cluster: c.name }, Math.max(0, seconds(clock().getTime() - at)));
      }
    },
  });

  new Gauge({
    name: 'chainboard_cache_stale',
    help: "Per cluster: 1 while its API server is unreachable and the last good data is shown, or it has not been reached since start, else 0.",
    labelNames: ['cluster'] as const,
    registers,
    async collect() {
      this.reset();
      for (const c of (await read()) ?? []) this.set({ cluster: c.name }, c.sync.stale || (!c.result && c.notReadyReason?.includes('cannot start')) ? 1 : 0);
    },
  });

  const downtime = opts.downtime;
  if (downtime) {
    // Both counters come from one accounting pass per scrape, so their ratio is consistent.
    let totals: ReturnType<DowntimeMeter['totals']> = [];
    new Counter({
      name: 'chainboard_domain_down_seconds_total',
      help: 'Seconds each domain has been down while Chainboard was synced. Uptime: 1 - increase(this) / increase(chainboard_domain_observed_seconds_total).',
      labelNames: ['cluster', 'host', 'namespace'] as const,
      registers,
      collect() {
        downtime.account(clock().getTime());
        totals = downtime.totals();
        this.reset();
        for (const t of totals) this.inc({ cluster: t.cluster, host: t.host, namespace: t.namespace }, t.downSeconds);
      },
    });
    new Counter({
      name: 'chainboard_domain_observed_seconds_total',
      help: 'Seconds each domain was watched with Chainboard synced (time without data is not counted, so it is neither up nor down).',
      labelNames: ['cluster', 'host', 'namespace'] as const,
      registers,
      collect() {
        this.reset();
        for (const t of totals) this.inc({ cluster: t.cluster, host: t.host, namespace: t.namespace }, t.observedSeconds);
      },
    });
  }

  const httpDuration = new Histogram({
    name: 'chainboard_http_request_duration_seconds',
    help: 'Duration of API requests by route pattern, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    // Answers come from in-memory caches: most land in the millisecond buckets.
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });

  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry });
  return { registry, httpDuration };
}
