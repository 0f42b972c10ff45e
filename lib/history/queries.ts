/**
 * The read side of the history store: SQL that fetches one host's or one namespace's rows, and the
 * assembly of the typed answers from them with the pure functions of timeline.ts.
 *
 * A host's rows are fetched from an anchor: its last transition to healthy, or the start of its current
 * state, before the earliest time the answer needs (whichever is older). From there on the timeline is
 * complete, so incidents and "since" that began before the window come out right.
 */
import type { Db, Row } from './db';
import { Coverage, currentSince, incidents, liveSpans, uptime, type Point } from './timeline';
import {
  WINDOW_SECONDS,
  type ChangeRecord,
  type DomainHistory,
  type HistoryQuery,
  type HistoryState,
  type HostSummary,
  type Incident,
  type NamespaceHistory,
  type Since,
  type Stored,
  type Transition,
} from './types';

export const LONGEST_MS = WINDOW_SECONDS['90d'] * 1000;
const BEFORE_INCIDENT_MS = 15 * 60 * 1000;

export const ms = (v: unknown): number => (typeof v === 'number' ? v : v instanceof Date ? v.getTime() : new Date(String(v)).getTime());
const iso = (v: unknown): string => new Date(ms(v)).toISOString();

export const AT_MS = (col: string) => `(extract(epoch from ${col}) * 1000)::float8`;
const POINT_COLUMNS = `t.id::text AS id, t.host, t.namespace, ${AT_MS('t.at')} AS at, t.from_state, t.to_state, t.codes, t.message`;

/**
 * Runs `sql` and returns its rows through one JSON value: the drivers (PGlite's above all) spend far more
 * time decoding a thousand rows of timestamps and arrays than the server spends finding them, while
 * `JSON.parse` of one text is fast. Rows keep the subquery's order.
 */
async function jsonRows(db: Db, sql: string, params: unknown[]): Promise<Row[]> {
  const [r] = await db.query<{ j: string }>(`SELECT coalesce(json_agg(r), '[]')::text AS j FROM (${sql}) r`, params);
  return JSON.parse(r?.j ?? '[]') as Row[];
}

function toPoint(r: Row): Point {
  return {
    id: String(r.id),
    host: String(r.host),
    namespace: String(r.namespace),
    at: ms(r.at),
    from: r.from_state as HistoryState,
    to: r.to_state as HistoryState,
    codes: (r.codes as string[] | null) ?? [],
    ...(r.message != null ? { message: String(r.message) } : {}),
  };
}

function toTransition(cluster: string, p: Point): Stored<Transition> {
  const { id, at, ...rest } = p;
  return { id: id!, cluster, ...rest, at: new Date(at).toISOString() };
}

const CHANGE_COLUMNS = 'c.id::text AS id, c.cluster, c.namespace, c.kind, c.name, c.at, c.action, c.hosts, c.lines, c.helm_release, c.helm_revision';

function toChange(r: Row): Stored<ChangeRecord> {
  return {
    id: String(r.id),
    cluster: String(r.cluster),
    namespace: String(r.namespace),
    kind: r.kind as ChangeRecord['kind'],
    name: String(r.name),
    at: iso(r.at),
    action: r.action as ChangeRecord['action'],
    hosts: (r.hosts as string[] | null) ?? [],
    lines: (r.lines as string[] | null) ?? [],
    ...(r.helm_release != null
      ? { helm: { release: String(r.helm_release), ...(r.helm_revision != null ? { revision: String(r.helm_revision) } : {}) } }
      : {}),
  };
}

/** The page position: the oldest item each list returned, or `done` once a list is exhausted. */
interface Cursor {
  t?: [number, string] | 'done';
  c?: [number, string] | 'done';
}

function decodeCursor(s: string | undefined): Cursor {
  if (!s) return {};
  try {
    return JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
  } catch {
    return {};
  }
}

const olderThan = (at: number, id: string, key: [number, string]) => at < key[0] || (at === key[0] && BigInt(id) < BigInt(key[1]));

/** The newest `limit` transitions of `points` inside the window and older than the cursor, oldest first. */
function pageTransitions(points: Point[], q: HistoryQuery, cur: Cursor): { page: Point[]; more: boolean } {
  if (cur.t === 'done') return { page: [], more: false };
  const since = q.since.getTime();
  const until = q.until.getTime();
  const key = cur.t;
  const inside = points
    .filter((p) => p.at >= since && p.at <= until && (!key || olderThan(p.at, p.id!, key)))
    .sort((a, b) => a.at - b.at || (BigInt(a.id!) < BigInt(b.id!) ? -1 : 1));
  return { page: inside.slice(Math.max(0, inside.length - q.limit)), more: inside.length > q.limit };
}

async function pageChanges(db: Db, where: string, params: unknown[], q: HistoryQuery, cur: Cursor, byHost: boolean) {
  if (cur.c === 'done') return { page: [] as Stored<ChangeRecord>[], more: false };
  const p = [...params, q.since.toISOString(), q.until.toISOString()];
  const atCol = byHost ? 'h.at' : 'c.at';
  const idCol = byHost ? 'h.change_id' : 'c.id';
  let keyset = '';
  if (cur.c) {
    p.push(new Date(cur.c[0]).toISOString(), cur.c[1]);
    keyset = ` AND (${atCol}, ${idCol}) < ($${p.length - 1}::timestamptz, $${p.length}::bigint)`;
  }
  p.push(q.limit + 1);
  const from = byHost ? 'change_hosts h JOIN changes c ON c.id = h.change_id' : 'changes c';
  const rows = await jsonRows(
    db,
    `SELECT ${CHANGE_COLUMNS} FROM ${from} WHERE ${where} AND ${atCol} >= $${params.length + 1}::timestamptz
       AND ${atCol} <= $${params.length + 2}::timestamptz${keyset} ORDER BY ${atCol} DESC, ${idCol} DESC LIMIT $${p.length}`,
    p,
  );
  const more = rows.length > q.limit;
  return { page: rows.slice(0, q.limit).map(toChange).reverse(), more };
}

function nextCursor(t: { page: Point[]; more: boolean }, c: { page: Stored<ChangeRecord>[]; more: boolean }): string | undefined {
  if (!t.more && !c.more) return undefined;
  const next: Cursor = {
    t: t.more ? [t.page[0]!.at, t.page[0]!.id!] : 'done',
    c: c.more ? [ms(c.page[0]!.at), c.page[0]!.id] : 'done',
  };
  return Buffer.from(JSON.stringify(next)).toString('base64url');
}

/** The coverage spans overlapping [from, to], live (see liveSpans). */
export async function coverage(db: Db, cluster: string, from: number, to: number, now: number, gapMs: number): Promise<Coverage> {
  const rows = await db.query(
    'SELECT start_at, end_at, open FROM coverage WHERE cluster = $1 AND end_at >= $2::timestamptz AND start_at <= $3::timestamptz ORDER BY start_at',
    [cluster, new Date(from).toISOString(), new Date(to).toISOString()],
  );
  return new Coverage(liveSpans(rows.map((r) => ({ start: ms(r.start_at), end: ms(r.end_at), open: r.open === true })), now, gapMs));
}

const ANCHOR = `least(max(at) FILTER (WHERE to_state = 'healthy'), max(at) FILTER (WHERE from_state <> to_state))`;

/** Fills `changesBefore` of each incident: the host's changes in the 15 minutes before it started. */
async function attachChangesBefore(db: Db, cluster: string, list: Incident[]): Promise<void> {
  if (list.length === 0) return;
  const wanted = list.map((i, idx) => ({ idx, host: i.host, start: i.start }));
  const rows = await jsonRows(
    db,
    `SELECT w.idx, ${CHANGE_COLUMNS} FROM jsonb_to_recordset($2::jsonb) AS w(idx int, host text, start timestamptz)
     CROSS JOIN LATERAL (
       SELECT c.* FROM change_hosts h JOIN changes c ON c.id = h.change_id
       WHERE h.cluster = $1 AND h.host = w.host AND h.at >= w.start - make_interval(secs => $3) AND h.at <= w.start
       ORDER BY h.at DESC, h.change_id DESC LIMIT 10) c`,
    [cluster, JSON.stringify(wanted), BEFORE_INCIDENT_MS / 1000],
  );
  for (const r of rows) list[Number(r.idx)]!.changesBefore.push(toChange(r));
}

export async function domainHistory(db: Db, cluster: string, host: string, q: HistoryQuery, now: number, gapMs: number): Promise<DomainHistory> {
  const since = q.since.getTime();
  const until = q.until.getTime();
  const lower = Math.min(since, now - LONGEST_MS);
  const upper = Math.max(until, now);
  const cur = decodeCursor(q.cursor);
  // Independent reads: a PostgreSQL pool runs them side by side (PGlite queues them).
  const [rows, cov, c] = await Promise.all([
    jsonRows(
      db,
      `SELECT ${POINT_COLUMNS} FROM transitions t WHERE t.cluster = $1 AND t.host = $2 AND t.at <= $4::timestamptz
         AND t.at >= coalesce((SELECT ${ANCHOR} FROM transitions WHERE cluster = $1 AND host = $2 AND at < $3::timestamptz), '-infinity')
       ORDER BY t.at, t.id`,
      [cluster, host, new Date(lower).toISOString(), new Date(upper).toISOString()],
    ),
    coverage(db, cluster, lower, upper, now, gapMs),
    pageChanges(db, 'h.cluster = $1 AND h.host = $2', [cluster, host], q, cur, true),
  ]);
  const points = rows.map(toPoint);
  const t = pageTransitions(points, q, cur);
  const list = incidents(points, cov, since, until, now);
  await attachChangesBefore(db, cluster, list);
  const current = currentSince(points.filter((p) => p.at <= now));
  const next = nextCursor(t, c);
  return {
    host,
    since: q.since.toISOString(),
    until: q.until.toISOString(),
    transitions: t.page.map((p) => toTransition(cluster, p)),
    changes: c.page,
    incidents: list,
    noData: cov.noData(since, Math.min(until, now)).map((s) => ({ start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString() })),
    uptime: uptime(points, cov, now),
    ...(current ? { current } : {}),
    ...(next ? { nextCursor: next } : {}),
  };
}

/** Groups rows sorted by host into one point list per host. */
function byHost(points: Point[]): Map<string, Point[]> {
  const out = new Map<string, Point[]>();
  for (const p of points) {
    const list = out.get(p.host);
    if (list) list.push(p);
    else out.set(p.host, [p]);
  }
  return out;
}

export async function namespaceHistory(db: Db, cluster: string, namespace: string, q: HistoryQuery, now: number, gapMs: number): Promise<NamespaceHistory> {
  const since = q.since.getTime();
  const until = q.until.getTime();
  const lower = Math.min(since, now - LONGEST_MS);
  const upper = Math.max(until, now);
  const rows = await jsonRows(
    db,
    `WITH anchor AS (SELECT host, ${ANCHOR} AS at FROM transitions WHERE cluster = $1 AND namespace = $2 AND at < $3::timestamptz GROUP BY host)
     SELECT ${POINT_COLUMNS} FROM transitions t LEFT JOIN anchor a ON a.host = t.host
     WHERE t.cluster = $1 AND t.namespace = $2 AND t.at <= $4::timestamptz AND t.at >= coalesce(a.at, '-infinity')
     ORDER BY t.host, t.at, t.id`,
    [cluster, namespace, new Date(lower).toISOString(), new Date(upper).toISOString()],
  );
  const points = rows.map(toPoint);
  const cov = await coverage(db, cluster, lower, upper, now, gapMs);
  const cur = decodeCursor(q.cursor);
  const t = pageTransitions(points, q, cur);
  const c = await pageChanges(db, 'c.cluster = $1 AND c.namespace = $2', [cluster, namespace], q, cur, false);
  const hosts: HostSummary[] = [];
  const list: Incident[] = [];
  for (const [host, own] of byHost(points)) {
    list.push(...incidents(own, cov, since, until, now));
    hosts.push(summarize(host, own, cov, now));
  }
  list.sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : 0));
  await attachChangesBefore(db, cluster, list);
  const next = nextCursor(t, c);
  return {
    namespace,
    since: q.since.toISOString(),
    until: q.until.toISOString(),
    transitions: t.page.map((p) => toTransition(cluster, p)),
    changes: c.page,
    incidents: list,
    noData: cov.noData(since, Math.min(until, now)).map((s) => ({ start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString() })),
    hosts: hosts.sort((a, b) => a.host.localeCompare(b.host)),
    ...(next ? { nextCursor: next } : {}),
  };
}

export function summarize(host: string, points: Point[], cov: Coverage, now: number): HostSummary {
  const past = points.filter((p) => p.at <= now);
  const since = currentSince(past);
  return { host, namespace: past[past.length - 1]?.namespace ?? points[0]?.namespace ?? '', ...(since ? { since } : {}), uptime: uptime(past, cov, now) };
}

/** The last recorded state of every host: its last transition's `to` and `at`. */
export async function lastStates(db: Db, cluster: string): Promise<Map<string, Since>> {
  const rows = await jsonRows(
    db,
    'SELECT DISTINCT ON (host) host, to_state, at FROM transitions WHERE cluster = $1 ORDER BY host, at DESC, id DESC',
    [cluster],
  );
  return new Map(rows.map((r) => [String(r.host), { state: r.to_state as HistoryState, since: iso(r.at) }]));
}
