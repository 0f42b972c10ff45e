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
/**
 * Epoch milliseconds as a float8 without numeric arithmetic: `extract` answers numeric, which PGlite's
 * WASM build computes several times slower than `date_part`'s double. Microsecond precision survives.
 */
const EPOCH_MS = (col: string) => `date_part('epoch', ${col}) * 1000`;

/**
 * Runs `sql` and returns its rows through one JSON value: the drivers (PGlite's above all) spend far more
 * time decoding a thousand rows of timestamps and arrays than the server spends finding them, while
 * `JSON.parse` of one text is fast. Rows keep the subquery's order.
 */
async function jsonRows(db: Db, sql: string, params: unknown[]): Promise<Row[]> {
  const [r] = await db.query<{ j: string }>(`SELECT coalesce(json_agg(r), '[]')::text AS j FROM (${sql}) r`, params);
  return JSON.parse(r?.j ?? '[]') as Row[];
}

/**
 * Points and changes travel as positional JSON arrays: building an object per row (keys and all) costs
 * PGlite about twice the time of an array, and a domain's answer carries a thousand of them.
 */
const POINT_ARRAY = (t: string) =>
  `json_build_array(${t}.id::text, ${t}.host, ${t}.namespace, ${EPOCH_MS(`${t}.at`)}, ${t}.from_state, ${t}.to_state, ${t}.codes, ${t}.message)`;
type PointArray = [id: string, host: string, namespace: string, at: number, from: HistoryState, to: HistoryState, codes: string[] | null, message: string | null];

function toPoint([id, host, namespace, at, from, to, codes, message]: PointArray): Point {
  return { id, host, namespace, at: Math.round(at), from, to, codes: codes ?? [], ...(message != null ? { message } : {}) };
}

function toTransition(cluster: string, p: Point): Stored<Transition> {
  const { id, at, ...rest } = p;
  return { id: id!, cluster, ...rest, at: new Date(at).toISOString() };
}

const CHANGE_ARRAY = (c: string) =>
  `json_build_array(${c}.id::text, ${c}.cluster, ${c}.namespace, ${c}.kind, ${c}.name, ${EPOCH_MS(`${c}.at`)}, ${c}.action, ${c}.hosts, ${c}.lines, ${c}.helm_release, ${c}.helm_revision)`;
type ChangeArray = [id: string, cluster: string, namespace: string, kind: ChangeRecord['kind'], name: string, at: number, action: ChangeRecord['action'], hosts: string[] | null, lines: string[] | null, helmRelease: string | null, helmRevision: string | null];

function toChange([id, cluster, namespace, kind, name, at, action, hosts, lines, release, revision]: ChangeArray): Stored<ChangeRecord> {
  return {
    id,
    cluster,
    namespace,
    kind,
    name,
    at: new Date(Math.round(at)).toISOString(),
    action,
    hosts: hosts ?? [],
    lines: lines ?? [],
    ...(release != null ? { helm: { release, ...(revision != null ? { revision } : {}) } } : {}),
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

/** Numbered SQL parameters collected while a statement is built: `add(v)` answers `$n`. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** The changes page: the newest `limit + 1` inside the window and older than the cursor (keyset), newest first. */
function changesPageSql(p: Params, scope: { host: string } | { namespace: string }, cluster: string, q: HistoryQuery, cur: Cursor): string {
  if (cur.c === 'done') return `SELECT ${CHANGE_ARRAY('c')} AS v FROM changes c WHERE false`;
  const byHost = 'host' in scope;
  const atCol = byHost ? 'h.at' : 'c.at';
  const idCol = byHost ? 'h.change_id' : 'c.id';
  const where = byHost
    ? `h.cluster = ${p.add(cluster)} AND h.host = ${p.add(scope.host)}`
    : `c.cluster = ${p.add(cluster)} AND c.namespace = ${p.add(scope.namespace)}`;
  const keyset = cur.c ? ` AND (${atCol}, ${idCol}) < (${p.add(new Date(cur.c[0]).toISOString())}::timestamptz, ${p.add(cur.c[1])}::bigint)` : '';
  const from = byHost ? 'change_hosts h JOIN changes c ON c.id = h.change_id' : 'changes c';
  return `SELECT ${CHANGE_ARRAY('c')} AS v FROM ${from} WHERE ${where} AND ${atCol} >= ${p.add(q.since.toISOString())}::timestamptz
       AND ${atCol} <= ${p.add(q.until.toISOString())}::timestamptz${keyset} ORDER BY ${atCol} DESC, ${idCol} DESC LIMIT ${p.add(q.limit + 1)}`;
}

function changesPage(rows: ChangeArray[], q: HistoryQuery): { page: Stored<ChangeRecord>[]; more: boolean } {
  return { page: rows.slice(0, q.limit).map(toChange).reverse(), more: rows.length > q.limit };
}

function nextCursor(t: { page: Point[]; more: boolean }, c: { page: Stored<ChangeRecord>[]; more: boolean }): string | undefined {
  if (!t.more && !c.more) return undefined;
  const next: Cursor = {
    t: t.more ? [t.page[0]!.at, t.page[0]!.id!] : 'done',
    c: c.more ? [ms(c.page[0]!.at), c.page[0]!.id] : 'done',
  };
  return Buffer.from(JSON.stringify(next)).toString('base64url');
}

const COVERAGE_SQL = (p: Params, cluster: string, from: number, to: number) =>
  `SELECT json_build_array(${EPOCH_MS('start_at')}, ${EPOCH_MS('end_at')}, open) AS v FROM coverage
   WHERE cluster = ${p.add(cluster)} AND end_at >= ${p.add(new Date(from).toISOString())}::timestamptz AND start_at <= ${p.add(new Date(to).toISOString())}::timestamptz
   ORDER BY start_at`;

type SpanArray = [start: number, end: number, open: boolean];
const toCoverage = (rows: SpanArray[], now: number, gapMs: number) =>
  new Coverage(liveSpans(rows.map(([start, end, open]) => ({ start: Math.round(start), end: Math.round(end), open: open === true })), now, gapMs));

/** Runs a statement whose rows are one JSON value `v` each, and answers those values in order. */
async function values<T>(db: Db, sql: string, params: unknown[]): Promise<T[]> {
  const [r] = await db.query<{ j: string }>(`SELECT coalesce(json_agg(r.v), '[]')::text AS j FROM (${sql}) r`, params);
  return JSON.parse(r?.j ?? '[]') as T[];
}

/** The coverage spans overlapping [from, to], live (see liveSpans). */
export async function coverage(db: Db, cluster: string, from: number, to: number, now: number, gapMs: number): Promise<Coverage> {
  const p = new Params();
  return toCoverage(await values<SpanArray>(db, COVERAGE_SQL(p, cluster, from, to), p.values), now, gapMs);
}

const ANCHOR = `least(max(at) FILTER (WHERE to_state = 'healthy'), max(at) FILTER (WHERE from_state <> to_state))`;
const NOT_BAD = `('healthy', 'no-data')`;

/**
 * One statement per answer: the points (from each host's anchor), the coverage, the changes page and the
 * changes before every possible incident start, as one JSON text. PGlite runs one query at a time, so four
 * round trips cost four queue waits and four decodes; one costs one.
 *
 * An incident starts at a bad point while none is open (timeline.incidents), and only a healthy point
 * closes one; so a start is a bad point that comes from healthy or no-data, or one loaded from before
 * the window's lower bound (where the anchor may have cut the run that opened it). Those candidates are
 * a superset of the starts, and each incident then finds its changes by host and start time.
 */
async function historyRows(
  db: Db,
  cluster: string,
  scope: { host: string } | { namespace: string },
  q: HistoryQuery,
  cur: Cursor,
  lower: number,
  upper: number,
): Promise<{ points: Point[]; coverage: SpanArray[]; changes: ChangeArray[]; before: Map<string, Stored<ChangeRecord>[]> }> {
  const p = new Params();
  const c = p.add(cluster);
  const lo = `${p.add(new Date(lower).toISOString())}::timestamptz`;
  const up = `${p.add(new Date(upper).toISOString())}::timestamptz`;
  let from: string;
  if ('host' in scope) {
    const h = p.add(scope.host);
    from = `transitions t WHERE t.cluster = ${c} AND t.host = ${h} AND t.at <= ${up}
      AND t.at >= coalesce((SELECT ${ANCHOR} FROM transitions WHERE cluster = ${c} AND host = ${h} AND at < ${lo}), '-infinity')`;
  } else {
    const ns = p.add(scope.namespace);
    from = `transitions t LEFT JOIN (SELECT host, ${ANCHOR} AS at FROM transitions WHERE cluster = ${c} AND namespace = ${ns} AND at < ${lo} GROUP BY host) a ON a.host = t.host
      WHERE t.cluster = ${c} AND t.namespace = ${ns} AND t.at <= ${up} AND t.at >= coalesce(a.at, '-infinity')`;
  }
  const before = `SELECT json_build_array(t.host, ${EPOCH_MS('t.at')}, ${CHANGE_ARRAY('c')}) AS v
     FROM (SELECT t.host, t.at FROM ${from}
       AND t.to_state NOT IN ${NOT_BAD} AND (t.from_state IN ${NOT_BAD} OR t.at < ${lo}) AND t.at <= ${p.add(q.until.toISOString())}::timestamptz) t
     CROSS JOIN LATERAL (
       SELECT c.* FROM change_hosts h JOIN changes c ON c.id = h.change_id
       WHERE h.cluster = ${c} AND h.host = t.host AND h.at >= t.at - make_interval(secs => ${p.add(BEFORE_INCIDENT_MS / 1000)}) AND h.at <= t.at
       ORDER BY h.at DESC, h.change_id DESC LIMIT 10) c
     ORDER BY t.host, t.at, c.at DESC, c.id DESC`;
  const agg = (sql: string) => `(SELECT coalesce(json_agg(r.v), '[]') FROM (${sql}) r)`;
  const sql = `SELECT json_build_array(
      (SELECT coalesce(json_agg(${POINT_ARRAY('t')}), '[]') FROM ${from}),
      ${agg(COVERAGE_SQL(p, cluster, lower, upper))},
      ${agg(changesPageSql(p, scope, cluster, q, cur))},
      ${agg(before)})::text AS j`;
  const [row] = await db.query<{ j: string }>(sql, p.values);
  const [points, spans, changes, candidates] = JSON.parse(row?.j ?? '[[],[],[],[]]') as [PointArray[], SpanArray[], ChangeArray[], [string, number, ChangeArray][]];
  const byStart = new Map<string, Stored<ChangeRecord>[]>();
  // Newest first within a start, as the lateral's ORDER BY gave them.
  for (const [host, at, change] of candidates) {
    const key = startKey(host, Math.round(at));
    const list = byStart.get(key);
    if (list) list.push(toChange(change));
    else byStart.set(key, [toChange(change)]);
  }
  // Sorted here rather than in SQL: the index scan already yields a host's points by time, so the sort
  // is a linear pass in V8, while PGlite spends milliseconds on the same sort.
  const sorted = points.map(toPoint).sort((a, b) => (a.host === b.host ? a.at - b.at || Number(a.id) - Number(b.id) : a.host < b.host ? -1 : 1));
  return { points: sorted, coverage: spans, changes, before: byStart };
}

const startKey = (host: string, at: number) => `${host} ${at}`;

/** What a domain's and a namespace's answers share, from one statement's rows. */
async function assemble(db: Db, cluster: string, scope: { host: string } | { namespace: string }, q: HistoryQuery, now: number, gapMs: number) {
  const since = q.since.getTime();
  const until = q.until.getTime();
  const lower = Math.min(since, now - LONGEST_MS);
  const upper = Math.max(until, now);
  const cur = decodeCursor(q.cursor);
  const rows = await historyRows(db, cluster, scope, q, cur, lower, upper);
  const cov = toCoverage(rows.coverage, now, gapMs);
  const t = pageTransitions(rows.points, q, cur);
  const c = changesPage(rows.changes, q);
  const next = nextCursor(t, c);
  const hosts = byHost(rows.points);
  const list: Incident[] = [];
  for (const own of hosts.values()) list.push(...incidents(own, cov, since, until, now));
  // Newest first across hosts (incidents() already answers one host's newest first).
  list.sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : 0));
  for (const i of list) i.changesBefore.push(...(rows.before.get(startKey(i.host, Date.parse(i.start))) ?? []));
  return {
    hosts,
    cov,
    answer: {
      since: q.since.toISOString(),
      until: q.until.toISOString(),
      transitions: t.page.map((p) => toTransition(cluster, p)),
      changes: c.page,
      incidents: list,
      noData: cov.noData(since, Math.min(until, now)).map((s) => ({ start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString() })),
      ...(next ? { nextCursor: next } : {}),
    },
  };
}

export async function domainHistory(db: Db, cluster: string, host: string, q: HistoryQuery, now: number, gapMs: number): Promise<DomainHistory> {
  const { hosts, cov, answer } = await assemble(db, cluster, { host }, q, now, gapMs);
  const points = hosts.get(host) ?? [];
  const current = currentSince(points.filter((p) => p.at <= now));
  const { nextCursor: next, ...rest } = answer;
  return { cluster, host, ...rest, uptime: uptime(points, cov, now), ...(current ? { current } : {}), ...(next ? { nextCursor: next } : {}) };
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
  const { hosts, cov, answer } = await assemble(db, cluster, { namespace }, q, now, gapMs);
  const summaries = [...hosts].map(([host, own]) => summarize(host, own, cov, now));
  const { nextCursor: next, ...rest } = answer;
  return { cluster, namespace, ...rest, hosts: summaries.sort((a, b) => a.host.localeCompare(b.host)), ...(next ? { nextCursor: next } : {}) };
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
