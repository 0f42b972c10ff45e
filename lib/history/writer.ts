/**
 * The write side of the history store: a bounded in-memory queue that `record()` and `heartbeat()` fill
 * on the request path, and the batched SQL that empties it off that path. One JSON parameter per batch
 * (`jsonb_to_recordset`) keeps every batch a single multi-row statement per table on both engines.
 */
import type { Db } from './db';
import type { ChangeRecord, CoverageSpan, GeneratedPast, Transition } from './types';

export interface SpanWrite {
  cluster: string;
  start: number;
  end: number;
  open: boolean;
}

export interface Batch {
  transitions: Transition[];
  changes: ChangeRecord[];
  spans: SpanWrite[];
}

/**
 * Records waiting to be written. Bounded: beyond `maxPending` per list the oldest records are dropped and
 * counted, so a database that stays down costs a fixed amount of memory.
 */
export class WriteQueue {
  private transitions: Transition[] = [];
  private changes: ChangeRecord[] = [];
  /** Span writes by cluster and start: a later heartbeat of the same span replaces the earlier write. */
  private spans = new Map<string, SpanWrite>();
  /** Each cluster's open span: one cluster's heartbeats never extend or close another's. */
  private current = new Map<string, { start: number; end: number }>();
  dropped = 0;

  constructor(
    private readonly maxPending: number,
    private readonly gapMs: number,
    private readonly onDrop: (count: number) => void,
  ) {}

  get pending(): number {
    return this.transitions.length + this.changes.length + this.spans.size;
  }

  add(records: { transitions?: Transition[]; changes?: ChangeRecord[] }): void {
    if (records.transitions?.length) this.transitions.push(...records.transitions);
    if (records.changes?.length) this.changes.push(...records.changes);
    this.bound();
  }

  /**
   * A synced heartbeat extends the cluster's current span when the previous one is recent (within the
   * gap) and opens a new span otherwise; an unsynced one closes the cluster's current span.
   */
  heartbeat(cluster: string, at: number, synced: boolean): void {
    const cur = this.current.get(cluster);
    const put = (s: { start: number; end: number }, open: boolean) => this.spans.set(spanKey(cluster, s.start), { cluster, start: s.start, end: s.end, open });
    if (!synced) {
      if (cur) put(cur, false);
      this.current.delete(cluster);
      return;
    }
    let next = cur;
    if (cur && at >= cur.end && at - cur.end <= this.gapMs) {
      cur.end = at;
    } else if (!cur || at >= cur.end) {
      if (cur) put(cur, false);
      next = { start: at, end: at };
      this.current.set(cluster, next);
    } else {
      return; // a heartbeat older than the span's end says nothing new
    }
    put(next!, true);
  }

  /** Closes every cluster's current span (shutdown): the time after it is no-data at once, not after the gap. */
  closeSpans(): void {
    for (const [cluster, cur] of [...this.current]) this.heartbeat(cluster, cur.end, false);
  }

  take(max: number): Batch {
    const batch: Batch = {
      transitions: this.transitions.splice(0, max),
      changes: this.changes.splice(0, max),
      spans: [...this.spans.values()],
    };
    this.spans.clear();
    return batch;
  }

  /** Returns a batch that failed to the front of the queue, to be retried. */
  putBack(batch: Batch): void {
    this.transitions.unshift(...batch.transitions);
    this.changes.unshift(...batch.changes);
    for (const s of batch.spans) if (!this.spans.has(spanKey(s.cluster, s.start))) this.spans.set(spanKey(s.cluster, s.start), s);
    this.bound();
  }

  /** Forgets everything queued (this replica stopped being the writer; the new writer records from now). */
  clear(): void {
    this.transitions = [];
    this.changes = [];
    this.spans.clear();
    this.current.clear();
  }

  private bound(): void {
    let dropped = 0;
    for (const list of [this.transitions, this.changes] as unknown[][]) {
      const over = list.length - this.maxPending;
      if (over > 0) {
        list.splice(0, over);
        dropped += over;
      }
    }
    if (dropped > 0) {
      this.dropped += dropped;
      this.onDrop(dropped);
    }
  }
}

const spanKey = (cluster: string, start: number) => `${cluster}\0${start}`;

/** Each record is written under its own `cluster`. */
export async function insertTransitions(db: Db, list: Transition[]): Promise<void> {
  if (list.length === 0) return;
  const rows = list.map((t) => ({ cluster: t.cluster, host: t.host, namespace: t.namespace, at: t.at, from: t.from, to: t.to, codes: t.codes, message: t.message ?? null }));
  await db.query(
    `INSERT INTO transitions (cluster, host, namespace, at, from_state, to_state, codes, message)
     SELECT r.cluster, r.host, r.namespace, r.at, r."from", r."to", coalesce(r.codes, '{}'), r.message
     FROM jsonb_to_recordset($1::jsonb) AS r(cluster text, host text, namespace text, at timestamptz, "from" text, "to" text, codes text[], message text)
     ON CONFLICT (cluster, host, at, to_state) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

export async function insertChanges(db: Db, list: ChangeRecord[]): Promise<void> {
  if (list.length === 0) return;
  const rows = list.map((c) => ({
    cluster: c.cluster,
    namespace: c.namespace,
    kind: c.kind,
    name: c.name,
    at: c.at,
    action: c.action,
    hosts: [...new Set(c.hosts)],
    lines: c.lines,
    helm_release: c.helm?.release ?? null,
    helm_revision: c.helm?.revision ?? null,
  }));
  // Ids are drawn first so the change and its per-host index rows go in with one statement.
  await db.query(
    `WITH r AS (
       SELECT nextval(pg_get_serial_sequence('changes', 'id')) AS id, r.*
       FROM jsonb_to_recordset($1::jsonb) AS r(cluster text, namespace text, kind text, name text, at timestamptz, action text,
         hosts text[], lines text[], helm_release text, helm_revision text)
     ), ins AS (
       INSERT INTO changes (id, cluster, namespace, kind, name, at, action, hosts, lines, helm_release, helm_revision)
       SELECT id, cluster, namespace, kind, name, at, action, coalesce(hosts, '{}'), coalesce(lines, '{}'), helm_release, helm_revision FROM r
     )
     INSERT INTO change_hosts (cluster, host, at, change_id) SELECT r.cluster, h, r.at, r.id FROM r CROSS JOIN LATERAL unnest(r.hosts) AS h`,
    [JSON.stringify(rows)],
  );
}

export async function upsertSpans(db: Db, spans: SpanWrite[]): Promise<void> {
  if (spans.length === 0) return;
  const rows = spans.map((s) => ({ cluster: s.cluster, start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString(), open: s.open }));
  await db.query(
    `INSERT INTO coverage (cluster, start_at, end_at, open)
     SELECT r.cluster, r.start, r."end", r.open FROM jsonb_to_recordset($1::jsonb) AS r(cluster text, start timestamptz, "end" timestamptz, open boolean)
     ON CONFLICT (cluster, start_at) DO UPDATE SET end_at = greatest(coverage.end_at, EXCLUDED.end_at), open = EXCLUDED.open`,
    [JSON.stringify(rows)],
  );
}

export async function writeBatch(db: Db, batch: Batch): Promise<void> {
  await db.transaction(async (tx) => {
    await insertTransitions(tx, batch.transitions);
    await insertChanges(tx, batch.changes);
    await upsertSpans(tx, batch.spans);
  });
}

const PRUNE_BATCH = 5000;

/** Deletes in bounded steps until nothing is left to delete; returns how many rows went. */
async function deleteInSteps(db: Db, sql: string, params: unknown[]): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await db.query<{ n: number }>(`WITH d AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM d`, [...params, PRUNE_BATCH]);
    const n = Number(row?.n ?? 0);
    total += n;
    if (n < PRUNE_BATCH) return total;
  }
}

/**
 * The clusters the store holds rows of, sorted. A loose index scan per table (each is keyed by cluster
 * first), so it costs one index probe per cluster, not a scan of the history.
 */
export async function storedClusters(db: Db): Promise<string[]> {
  const distinct = (table: string) => `(WITH RECURSIVE c AS (
      SELECT min(cluster) AS cluster FROM ${table}
      UNION ALL SELECT (SELECT min(cluster) FROM ${table} WHERE cluster > c.cluster) FROM c WHERE c.cluster IS NOT NULL
    ) SELECT cluster FROM c WHERE cluster IS NOT NULL)`;
  const rows = await db.query<{ cluster: string }>(`${distinct('transitions')} UNION ${distinct('changes')} UNION ${distinct('coverage')} ORDER BY 1`);
  return rows.map((r) => String(r.cluster));
}

/**
 * Removes history older than `cutoff`, of every cluster (one retention for the store). Each host of each
 * cluster keeps its last transition before the cutoff: it says which state the host was in when the
 * retained history begins.
 */
export async function prune(db: Db, cutoff: Date): Promise<number> {
  const at = cutoff.toISOString();
  let n = 0;
  // One cluster at a time keeps every delete on the (cluster, ...) indexes.
  for (const cluster of await storedClusters(db)) {
    n += await deleteInSteps(
      db,
      `DELETE FROM transitions WHERE id IN (SELECT t.id FROM transitions t WHERE t.cluster = $1 AND t.at < $2::timestamptz
         AND EXISTS (SELECT 1 FROM transitions n WHERE n.cluster = t.cluster AND n.host = t.host AND n.at > t.at AND n.at < $2::timestamptz) LIMIT $3)`,
      [cluster, at],
    );
    n += await deleteInSteps(db, 'DELETE FROM changes WHERE id IN (SELECT id FROM changes WHERE cluster = $1 AND at < $2::timestamptz LIMIT $3)', [cluster, at]);
    n += await deleteInSteps(
      db,
      'DELETE FROM coverage WHERE (cluster, start_at) IN (SELECT cluster, start_at FROM coverage WHERE cluster = $1 AND end_at < $2::timestamptz LIMIT $3)',
      [cluster, at],
    );
  }
  // Fresh statistics keep the planner on the (cluster, host, at) index; PGlite has no autovacuum to do it.
  await db.exec('ANALYZE transitions; ANALYZE changes; ANALYZE change_hosts; ANALYZE coverage');
  return n;
}

export const DEMO_MARKER = 'demo-data';

/**
 * Writes a generated past as `cluster`'s in one transaction unless that cluster already has transitions.
 * Every record is written under `cluster`, whatever it names, so a past cannot land in another cluster.
 */
export async function seed(db: Db, cluster: string, past: GeneratedPast): Promise<boolean> {
  return db.transaction(async (tx) => {
    const any = await tx.query('SELECT 1 FROM transitions WHERE cluster = $1 LIMIT 1', [cluster]);
    if (any.length > 0) return false;
    const transitions = past.transitions.map((t) => ({ ...t, cluster }));
    const changes = past.changes.map((c) => ({ ...c, cluster }));
    for (let i = 0; i < transitions.length; i += 5000) await insertTransitions(tx, transitions.slice(i, i + 5000));
    for (let i = 0; i < changes.length; i += 5000) await insertChanges(tx, changes.slice(i, i + 5000));
    const spans = past.coverage.map((s: CoverageSpan) => ({ cluster, start: Date.parse(s.start), end: Date.parse(s.end), open: false }));
    await upsertSpans(tx, [...new Map(spans.map((s) => [s.start, s])).values()]);
    await tx.query(
      'INSERT INTO meta (cluster, key, value) VALUES ($1, $2, $3) ON CONFLICT (cluster, key) DO UPDATE SET value = EXCLUDED.value',
      [cluster, DEMO_MARKER, new Date().toISOString()],
    );
    return true;
  });
}
