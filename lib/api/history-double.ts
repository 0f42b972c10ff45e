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
  /** Per host; a host not listed answers an empty history (nothing known). */
  domains?: Record<string, DomainHistory>;
  namespaces?: Record<string, NamespaceHistory>;
  summaries?: HostSummary[];
  /** Reads answer `undefined` (a database failing mid-request). */
  failReads?: boolean;
}

export function historyDouble(data: HistoryDoubleData = {}): HistoryDouble {
  const calls: HistoryDouble['calls'] = [];
  const status: HistoryStatus = { available: true, engine: 'pglite', role: 'writer', retentionDays: 90, pending: 0, cluster: 'test-cluster', ...data.status };
  const summaries = new Map((data.summaries ?? []).map((s) => [s.host, s]));
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
      return data.domains?.[host] ?? { host, since, until, transitions: [], changes: [], incidents: [], noData: [], uptime: [] };
    },
    async namespace(namespace, query) {
      calls.push({ kind: 'namespace', name: namespace, query });
      if (data.failReads) return undefined;
      const since = query.since.toISOString();
      const until = query.until.toISOString();
      return data.namespaces?.[namespace] ?? { namespace, since, until, transitions: [], changes: [], incidents: [], noData: [], hosts: [] };
    },
    summaries: () => (data.failReads ? undefined : summaries),
    flush: async () => {},
    close: async () => {},
  };
}
