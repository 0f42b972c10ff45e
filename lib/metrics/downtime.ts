/**
 * Down time per domain as Prometheus counters, so uptime can be computed in PromQL without Chainboard's
 * own history store:
 *
 *   1 - increase(chainboard_domain_down_seconds_total[30d]) / increase(chainboard_domain_observed_seconds_total[30d])
 *
 * Time only counts while Chainboard is synced (observed); while it is not, neither counter moves, so a gap
 * is excluded from uptime rather than counted as up. Each span is charged to the state the domain was in
 * at its start: the meter is told of every new analysis, so a state holds until the next one.
 */
import type { AnalysisResult } from '../model/chain';

interface HostState {
  namespace: string;
  down: boolean;
  downSeconds: number;
  observedSeconds: number;
  /** When the domain was last in an analysis (ms): counters of domains gone for a day are dropped. */
  seenAt: number;
}

const FORGET_AFTER_MS = 24 * 3600_000;

/**
 * The counters of every cluster: each cluster is synced (or not) on its own, so its time is accounted on
 * its own; a host served by two clusters has a series per cluster.
 */
export class DowntimeMeter {
  private clusters = new Map<string, ClusterMeter>();

  /** A new analysis of `cluster` (or its loss of sync) at `at` ms. */
  observe(cluster: string, result: AnalysisResult | undefined, synced: boolean, at: number): void {
    let m = this.clusters.get(cluster);
    if (!m) this.clusters.set(cluster, (m = new ClusterMeter()));
    m.observe(result, synced, at);
  }

  /** Charge every cluster's time up to `at` (a scrape calls this so counters are current). */
  account(at: number): void {
    for (const m of this.clusters.values()) m.account(at);
  }

  totals(): { cluster: string; host: string; namespace: string; downSeconds: number; observedSeconds: number }[] {
    return [...this.clusters].flatMap(([cluster, m]) => m.totals().map((t) => ({ cluster, ...t })));
  }
}

class ClusterMeter {
  private hosts = new Map<string, HostState>();
  /** The hosts of the last synced analysis: the ones time is charged to. */
  private present = new Set<string>();
  private synced = false;
  private lastAt: number | undefined;

  /** A new analysis (or loss of sync) at `at` ms: charge the time since the last call, then take the new states. */
  observe(result: AnalysisResult | undefined, synced: boolean, at: number): void {
    this.account(at);
    this.synced = synced && result !== undefined;
    if (!result || !synced) return;
    const present = new Set<string>();
    for (const d of result.domains) {
      present.add(d.host);
      const h = this.hosts.get(d.host);
      if (h) {
        h.namespace = d.namespace;
        h.down = d.health === 'down';
        h.seenAt = at;
      } else this.hosts.set(d.host, { namespace: d.namespace, down: d.health === 'down', downSeconds: 0, observedSeconds: 0, seenAt: at });
    }
    for (const [host, h] of this.hosts) {
      if (present.has(host)) continue;
      // A domain no longer served accrues nothing; its counters stay (Prometheus expects counters to
      // persist) until it has been gone a day.
      h.down = false;
      if (at - h.seenAt > FORGET_AFTER_MS) this.hosts.delete(host);
    }
    this.present = present;
  }

  /** Charge the time up to `at` (a scrape calls this so counters are current). */
  account(at: number): void {
    if (this.lastAt !== undefined && this.synced && at > this.lastAt) {
      const dt = (at - this.lastAt) / 1000;
      for (const host of this.present) {
        const h = this.hosts.get(host);
        if (!h) continue;
        h.observedSeconds += dt;
        if (h.down) h.downSeconds += dt;
      }
    }
    if (this.lastAt === undefined || at > this.lastAt) this.lastAt = at;
  }

  totals(): { host: string; namespace: string; downSeconds: number; observedSeconds: number }[] {
    return [...this.hosts].map(([host, h]) => ({ host, namespace: h.namespace, downSeconds: h.downSeconds, observedSeconds: h.observedSeconds }));
  }
}
