/**
 * Test support: a HistoryService double that answers fixed data and remembers what it was asked. The
 * handlers and pages are tested against it because the store (lib/history/store.ts) is tested on its own
 * against real databases; here only what the API and the pages do with its answers matters.
 */
import type { DomainHistory, HistoryQuery, HistoryService, HistoryStatus, HostSummary, NamespaceHistory } from '../history/types';

export interface HistoryDouble extends HistoryService {
  /** Every `domain()` / `namespace()` call, in order. */
  readonly calls: { kind: 'domain' | 'namespace'; name: string; query: HistoryQuery }[];
}

export interface HistoryDoubleData {
  status?: Partial<HistoryStatus>;
  /**
   * Per host, or per `cluster/host` for one cluster's answer; a host not listed answers an empty history
   * (nothing known). An answer is given under the cluster asked for.
   */
  domains?: Record<string, Omit<DomainHistory, 'cluster'>>;
  namespaces?: Record<string, Omit<NamespaceHistory, 'cluster'>>;
  /** The default cluster's summaries; per cluster in `clusterSummaries`. */
  summaries?: HostSummary[];
  clusterSummaries?: Record<string, HostSummary[]>;
  /** What `clusters()` answers (default: the default cluster, and those of `clusterSummaries`). */
  clusters?: string[];
  /** Reads answer `undefined` (a database failing mid-request). */
  failReads?: boolean;
}

export function historyDouble(data: HistoryDoubleData = {}): HistoryDouble {
  const calls: HistoryDouble['calls'] = [];
  const status: HistoryStatus = { available: true, engine: 'pglite', role: 'writer', retentionDays: 90, pending: 0, defaultCluster: 'default', ...data.status };
  const summaries = new Map((data.summaries ?? []).map((s) => [s.host, s]));
  const perCluster = new Map(Object.entries(data.clusterSummaries ?? {}).map(([c, list]) => [c, new Map(list.map((s) => [s.host, s]))]));
  const clusters = data.clusters ?? [...new Set([status.defaultCluster, ...perCluster.keys()])];
  return {
    calls,
    status: () => status,
    record: () => {},
    heartbeat: () => {},
    lastStates: async () => new Map(),
    async domain(host, query) {
      calls.push({ kind: 'domain', name: host, query });
      if (data.failReads) return undefined;
      const since = query.since.toISOString();
      const until = query.until.toISOString();
      const given = data.domains?.[`${query.cluster}/${host}`] ?? data.domains?.[host];
      return { ...(given ?? { host, since, until, transitions: [], changes: [], incidents: [], noData: [], uptime: [] }), cluster: query.cluster };
    },
    async namespace(namespace, query) {
      calls.push({ kind: 'namespace', name: namespace, query });
      if (data.failReads) return undefined;
      const since = query.since.toISOString();
      const until = query.until.toISOString();
      const given = data.namespaces?.[`${query.cluster}/${namespace}`] ?? data.namespaces?.[namespace];
      return { ...(given ?? { namespace, since, until, transitions: [], changes: [], incidents: [], noData: [], hosts: [] }), cluster: query.cluster };
    },
    summaries: (c) => (data.failReads ? undefined : (perCluster.get(c) ?? (c === status.defaultCluster ? summaries : new Map()))),
    clusters: () => (data.failReads ? undefined : clusters),
    flush: async () => {},
    close: async () => {},
  };
}
