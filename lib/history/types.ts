/**
 * Chainboard's memory: the shapes the history store records and answers with. One schema and one set of
 * SQL serve two engines - PGlite (Postgres compiled to WASM, embedded in `CHAINBOARD_DATA_DIR`) by
 * default, and a real PostgreSQL when `CHAINBOARD_DATABASE_URL` is set - so these types know nothing of
 * either.
 *
 * Every key carries the cluster: one store keeps the history of every cluster Chainboard watches, each
 * with its own transitions, changes and coverage, so one cluster going stale is no data for that cluster
 * only. Times are ISO strings.
 */
import type { Health } from '../model/chain';

/**
 * A state on a domain's timeline: a health, or `no-data` while Chainboard was not running or not synced.
 * No-data is never counted as up.
 */
export type HistoryState = Health | 'no-data';

/** A domain's health changed (recorded only while Chainboard is running and synced). */
export interface Transition {
  cluster: string;
  host: string;
  /** The domain's namespace at the time. */
  namespace: string;
  at: string;
  from: HistoryState;
  to: HistoryState;
  /** The codes of the domain's critical and warning findings after the change, sorted, unique. */
  codes: string[];
  /** The top finding's message after the change (absent when healthy). */
  message?: string;
}

/** What kind of thing changed. `ServedCertificate` comes from the TLS probes, the rest from watch events. */
export type ChangeKind = 'Ingress' | 'Service' | 'EndpointSlice' | 'Pod' | 'Certificate' | 'ServedCertificate';

/** One change of an object on some domain's chain, as a readable diff of the fields Chainboard reads. */
export interface ChangeRecord {
  cluster: string;
  namespace: string;
  kind: ChangeKind;
  /** The object's name; for `ServedCertificate` the host probed. */
  name: string;
  at: string;
  /** `added`, `modified`, `deleted` (objects) or `rotated` (a served certificate). */
  action: 'added' | 'modified' | 'deleted' | 'rotated';
  /** The domains whose chain held the object when it changed (lower-case hosts). */
  hosts: string[];
  /**
   * The readable diff, one line each: `selector app=booking -> app=bookng`, `targetPort 8080 -> http`,
   * `backend service blog -> blog-v2`, `image shop:1.4 -> shop:1.5`, `replicas 3 -> 0`,
   * `fingerprint ab:cd… -> ef:01…, issuer R10, notAfter 2027-01-03`.
   */
  lines: string[];
  /**
   * From the `app.kubernetes.io/instance` / `helm.sh/chart` labels or the Helm annotations, when present.
   * Helm sets no revision on the objects it installs, so `revision` is there only when a chart adds a
   * `helm.sh/revision` label; `chart` is the `helm.sh/chart` label (`<chart>-<version>`).
   */
  helm?: { release: string; revision?: string; chart?: string };
}

/** A stored row as read back: the record and its id (stable, increasing in insert order). */
export type Stored<T> = T & { id: string };

/** A span while Chainboard was running and synced with the cluster: outside every span, the cluster's time is no-data. */
export interface CoverageSpan {
  cluster: string;
  start: string;
  /** The last heartbeat of the span. */
  end: string;
}

/** A period a domain was not healthy: from a transition away from healthy to the next back to healthy. */
export interface Incident {
  host: string;
  namespace: string;
  start: string;
  /** Absent while the incident is open. */
  end?: string;
  /** The worst state reached: `down` outranks `degraded`, `unknown`. */
  worst: Exclude<HistoryState, 'healthy' | 'no-data'>;
  /** Seconds of the incident inside the requested window, no-data excluded. */
  durationSeconds: number;
  /** The codes seen during the incident, sorted, unique. */
  codes: string[];
  /** The message of the transition that opened it. */
  message?: string;
  /** Changes to the domain's chain in the 15 minutes before `start`, newest first (at most 10). */
  changesBefore: Stored<ChangeRecord>[];
}

export type UptimeWindow = '24h' | '7d' | '30d' | '90d';
export const UPTIME_WINDOWS: readonly UptimeWindow[] = ['24h', '7d', '30d', '90d'];
export const WINDOW_SECONDS: Record<UptimeWindow, number> = { '24h': 86_400, '7d': 604_800, '30d': 2_592_000, '90d': 7_776_000 };

/**
 * Uptime over one window ending now. `ratio` = (healthy + degraded) / (healthy + degraded + down): down
 * counts against it; `unknown` (data gaps) and `no-data` (Chainboard not running or not synced) are
 * excluded from it and reported; `null` when no second of the window had data.
 */
export interface Uptime {
  window: UptimeWindow;
  ratio: number | null;
  seconds: Record<HistoryState, number>;
}

/** Where a domain stands now, as history knows it: its state and since when, for "Down since 03:12 (2 h 14 min)". */
export interface Since {
  state: HistoryState;
  since: string;
}

/** One domain's summary for lists (overview, environment page): since-when and uptime per window. */
export interface HostSummary {
  host: string;
  namespace: string;
  since?: Since;
  uptime: Uptime[];
}

/** A time range and a page size for the history queries. `cursor` continues an earlier, truncated answer. */
export interface HistoryQuery {
  cluster: string;
  since: Date;
  until: Date;
  /** At most this many transitions and at most this many changes (1..1000). */
  limit: number;
  cursor?: string;
}

/** `GET /api/v1/domains/{host}/history`. */
export interface DomainHistory {
  /** The cluster whose history this is (`HistoryQuery.cluster`). */
  cluster: string;
  host: string;
  since: string;
  until: string;
  /** Oldest first, inside [since, until]. */
  transitions: Stored<Transition>[];
  /** Oldest first, inside [since, until]. */
  changes: Stored<ChangeRecord>[];
  /** Incidents overlapping [since, until], newest first. */
  incidents: Incident[];
  /** Spans without data inside [since, until] (the complement of the coverage). */
  noData: { start: string; end: string }[];
  uptime: Uptime[];
  current?: Since;
  /** Present when a limit cut the answer: pass it back as `cursor` for the rest (older items). */
  nextCursor?: string;
}

/** `GET /api/v1/namespaces/{ns}/history`: the same for every domain of one environment. */
export interface NamespaceHistory {
  cluster: string;
  namespace: string;
  since: string;
  until: string;
  transitions: Stored<Transition>[];
  changes: Stored<ChangeRecord>[];
  incidents: Incident[];
  noData: { start: string; end: string }[];
  /** Per domain of the namespace. */
  hosts: HostSummary[];
  nextCursor?: string;
}

/** Whether history works right now, and why not. The live dashboard never depends on it. */
export interface HistoryStatus {
  available: boolean;
  /** Why not, in words a user can act on ("database unreachable: ECONNREFUSED 127.0.0.1:5432"). */
  reason?: string;
  engine: 'pglite' | 'postgres' | 'off';
  /** With PostgreSQL and several replicas exactly one writes; the others read. */
  role: 'writer' | 'reader' | 'none';
  retentionDays: number;
  /** Records queued and not yet written. */
  pending: number;
  lastWriteAt?: string;
  /** True when the database holds a generated past (the demo only), for any cluster. */
  demoData?: boolean;
  /** The clusters whose history is a generated past (the demo only). */
  demoClusters?: string[];
  /**
   * The cluster rows from before several clusters were recorded belong to, and the one readers assume
   * when nothing names a cluster (`HistoryServiceOptions.defaultCluster`).
   */
  defaultCluster: string;
  /** Records dropped because the queue was full while the database could not take them (since start). */
  dropped?: number;
}

/**
 * The history as the rest of the app sees it. It never throws and never blocks a request on a write:
 * writes are queued and batched; when the database fails, reads answer `undefined` and `status()` says
 * why, and the live dashboard carries on without history.
 */
export interface HistoryService extends Partial<HistorySeeding> {
  status(): HistoryStatus;
  /** Queue records for the next batch, each under its own `cluster` (no-op when this replica is not the writer). */
  record(records: { transitions?: Transition[]; changes?: ChangeRecord[] }): void;
  /**
   * Extend the cluster's current coverage span (synced) or close it (not synced). Called every few seconds
   * by each cluster's recorder; one cluster's heartbeats never cover another's time.
   */
  heartbeat(cluster: string, at: Date, synced: boolean): void;
  /** The last recorded state of every host of the cluster (the recorder's memory across restarts and takeovers). */
  lastStates(cluster: string): Promise<Map<string, Since> | undefined>;
  domain(host: string, q: HistoryQuery): Promise<DomainHistory | undefined>;
  namespace(namespace: string, q: HistoryQuery): Promise<NamespaceHistory | undefined>;
  /**
   * Since-when and uptime of every host of the cluster, from a cache refreshed in the background (at most
   * a minute old), so lists of thousands of domains never wait on the database. `undefined` when history
   * is unavailable or not loaded yet; empty for a cluster with no history.
   */
  summaries(cluster: string): ReadonlyMap<string, HostSummary> | undefined;
  /**
   * The clusters the store has history of (any coverage), as of the last summary refresh: a cluster no
   * longer watched keeps its past until the retention drops it. `undefined` while not loaded.
   */
  clusters(): readonly string[] | undefined;
  /** Resolve once queued writes are flushed (tests, shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** A generated past written in one go (the demo's 30 days), marked so the UI can say it is demo data. */
export interface GeneratedPast {
  transitions: Transition[];
  changes: ChangeRecord[];
  coverage: CoverageSpan[];
}

/** Writes only the demo uses: a generated past, once, into an empty store. */
export interface HistorySeeding {
  /**
   * Writes `past` as the cluster's and marks that cluster's history as demo data, unless the cluster
   * already has any history; returns whether it wrote.
   */
  seedIfEmpty(cluster: string, past: GeneratedPast): Promise<boolean>;
}

/** How lib/history/store.ts's `createHistoryService(options)` is configured (from lib/server/config.ts's `history` section). */
export interface HistoryServiceOptions {
  engine: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  /**
   * The cluster the rows of a store from before several clusters belong to (migration 2 renames them to
   * it), and the name the PostgreSQL writer lock carries: the first configured cluster, which a
   * single-cluster install names `CHAINBOARD_CLUSTER_NAME`.
   */
  defaultCluster: string;
  retentionDays: number;
  now?: () => Date;
  log?: (message: string) => void;
  /** How often the since/uptime summaries are recomputed. Default 30 s. */
  summaryRefreshMs?: number;
  /** A synced heartbeat further than this after the previous one opens a new coverage span. Default 60 s. */
  coverageGapMs?: number;
  /** How often a reader retries the PostgreSQL writer lock (and a writer checks the database). Default 5 s. */
  writerRetryMs?: number;
  /** How often queued records are written. Default 1 s. */
  flushMs?: number;
  /** Queued records kept per kind while the database cannot take them; older ones are dropped. Default 50,000. */
  maxPending?: number;
  /** The longest pause between two reconnect attempts (the backoff doubles up to it). Default 30 s. */
  retryMaxMs?: number;
}
