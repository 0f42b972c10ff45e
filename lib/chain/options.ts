/** Options of the analysis: the clock and the thresholds, all with defaults except `now`. */

export interface AnalyzeOptions {
  /** The moment the analysis is made at; the engine has no clock of its own. */
  now: Date;
  /** Only namespaces whose name starts with this are analysed. Default `hst-`; `''` means all. */
  namespacePrefix?: string;
  tls?: {
    /**
     * A certificate is expiring when less than this fraction of its own lifetime (notBefore..notAfter)
     * is left. Default 1/3: 30 days for a 90-day certificate, 2 days for a 6-day one.
     */
    expiringFraction?: number;
    /** Also expiring when fewer than this many days are left, whatever the lifetime. Default: off. */
    expiringMinDays?: number;
  };
  http?: {
    /** `http.slow` when an HTTP check took longer than this (ms). Default 2000. */
    slowMs?: number;
  };
  /** `pod.restarting` (and a past `OOMKilled`) only when the last restart is this recent. Default 1 h. */
  restartWarningWindowMs?: number;
  /**
   * `pod.terminating-stuck` when the Pod still exists this long after its `deletionTimestamp`. The API
   * server sets `deletionTimestamp` to the delete request time plus the grace period, so the default
   * 5 min means "grace period + 5 min after the delete".
   */
  terminatingStuckAfterMs?: number;
  /** Warning events kept per domain and per namespace, newest first. Default 20. */
  maxEvents?: number;
  /** Findings kept in `NamespaceSummary.worstFindings`. Default 3. */
  worstFindings?: number;
  /**
   * The identity Chainboard reads the cluster as (e.g. `system:serviceaccount:chainboard:chainboard`),
   * used in the `kubectl auth can-i ... --as` hint of data gaps. Without it the hint checks the current
   * user, which is right for the CLI.
   */
  identity?: string;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  now: Date;
  nowMs: number;
  namespacePrefix: string;
  expiringFraction: number;
  expiringMinDays?: number;
  httpSlowMs: number;
  restartWarningWindowMs: number;
  terminatingStuckAfterMs: number;
  maxEvents: number;
  worstFindings: number;
  identity?: string;
}

export const DEFAULT_NAMESPACE_PREFIX = 'hst-';
export const DEFAULT_HTTP_SLOW_MS = 2000;

export function resolveOptions(o: AnalyzeOptions): ResolvedOptions {
  return {
    now: o.now,
    nowMs: o.now.getTime(),
    namespacePrefix: o.namespacePrefix ?? DEFAULT_NAMESPACE_PREFIX,
    expiringFraction: o.tls?.expiringFraction ?? 1 / 3,
    expiringMinDays: o.tls?.expiringMinDays,
    httpSlowMs: o.http?.slowMs ?? DEFAULT_HTTP_SLOW_MS,
    restartWarningWindowMs: o.restartWarningWindowMs ?? 60 * 60 * 1000,
    terminatingStuckAfterMs: o.terminatingStuckAfterMs ?? 5 * 60 * 1000,
    maxEvents: o.maxEvents ?? 20,
    worstFindings: o.worstFindings ?? 3,
    identity: o.identity,
  };
}
