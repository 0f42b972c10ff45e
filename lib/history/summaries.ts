/**
 * The since/uptime summaries of every host, kept warm for lists of thousands of domains. Each refresh
 * reads only the transitions written since the last one (by id) and recomputes every host's figures in
 * one pass over the points held in memory; a full reload every few refreshes picks up what an id range
 * cannot see (pruned rows, a late commit). The points are trimmed to the longest window plus the one
 * transition before it, which says the state the window opens with.
 */
import type { Db } from './db';
import { AT_MS, coverage, LONGEST_MS, summarize } from './queries';
import type { Point } from './timeline';
import type { HistoryState, HostSummary } from './types';

/** A full reload every this many refreshes (every 10 minutes at the default 30 s). */
const FULL_EVERY = 20;

type Raw = [id: number, host: string, namespace: string, at: number, from: HistoryState, to: HistoryState];

export class SummaryCache {
  private hosts = new Map<string, Point[]>();
  private maxId = 0;
  private refreshes = 0;

  constructor(private readonly cluster: string) {}

  private async rows(db: Db, sql: string, params: unknown[]): Promise<Raw[]> {
    const [r] = await db.query<{ j: string }>(
      `SELECT coalesce(json_agg(json_build_array(id, host, namespace, at, from_state, to_state) ORDER BY host, at, id), '[]')::text AS j
       FROM (SELECT t.id, t.host, t.namespace, ${AT_MS('t.at')} AS at, t.from_state, t.to_state FROM transitions t WHERE ${sql}) r`,
      params,
    );
    return JSON.parse(r?.j ?? '[]') as Raw[];
  }

  async refresh(db: Db, now: number, gapMs: number): Promise<Map<string, HostSummary>> {
    const lower = now - LONGEST_MS;
    const full = this.refreshes++ % FULL_EVERY === 0;
    const rows = full
      ? await this.rows(
          db,
          `t.cluster = $1 AND (t.at >= $2::timestamptz OR t.id IN (
             SELECT DISTINCT ON (host) id FROM transitions WHERE cluster = $1 AND at < $2::timestamptz ORDER BY host, at DESC, id DESC))`,
          [this.cluster, new Date(lower).toISOString()],
        )
      : await this.rows(db, 't.cluster = $1 AND t.id > $2', [this.cluster, this.maxId]);
    if (full) this.hosts = new Map();
    const touched = new Set<string>();
    for (const [id, host, namespace, at, from, to] of rows) {
      if (id > this.maxId) this.maxId = id;
      const point: Point = { host, namespace, at, from, to, codes: [] };
      const list = this.hosts.get(host);
      if (!list) this.hosts.set(host, [point]);
      else {
        if (list[list.length - 1]!.at > at) touched.add(host);
        list.push(point);
      }
    }
    for (const host of touched) this.hosts.get(host)!.sort((a, b) => a.at - b.at);
    const cov = await coverage(db, this.cluster, lower, now, now, gapMs);
    const out = new Map<string, HostSummary>();
    for (const [host, list] of this.hosts) {
      let drop = 0;
      while (drop + 1 < list.length && list[drop + 1]!.at <= lower) drop++;
      if (drop > 0) list.splice(0, drop);
      out.set(host, summarize(host, list, cov, now));
    }
    return out;
  }
}
