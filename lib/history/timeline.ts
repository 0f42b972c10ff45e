/**
 * A domain's timeline from its transitions and the coverage spans, as pure functions: how long it spent in
 * each state, its incidents, the no-data gaps and where it stands now. Times are epoch milliseconds here;
 * the store converts at the edges.
 *
 * A host's state at time t is the `to` of its last transition at or before t (before its first known
 * transition, that transition's `from`); outside every coverage span the time is no-data whatever the
 * state, because Chainboard was not watching.
 */
import { HEALTH_ORDER } from '../model/chain';
import { UPTIME_WINDOWS, WINDOW_SECONDS, type HistoryState, type Incident, type Since, type Uptime } from './types';

export interface Point {
  id?: string;
  host: string;
  namespace: string;
  at: number;
  from: HistoryState;
  to: HistoryState;
  codes: string[];
  message?: string;
}

export interface Span {
  start: number;
  end: number;
}

const STATES: readonly HistoryState[] = ['healthy', 'degraded', 'down', 'unknown', 'no-data'];

export function emptySeconds(): Record<HistoryState, number> {
  return { healthy: 0, degraded: 0, down: 0, unknown: 0, 'no-data': 0 };
}

/** Sorted, merged coverage with prefix sums, so "covered time in [a, b]" is two binary searches. */
export class Coverage {
  readonly spans: Span[];
  private readonly before: number[];

  constructor(spans: Span[]) {
    const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
    const merged: Span[] = [];
    for (const s of sorted) {
      const last = merged[merged.length - 1];
      if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
      else merged.push({ ...s });
    }
    this.spans = merged;
    this.before = [];
    let total = 0;
    for (const s of merged) {
      this.before.push(total);
      total += s.end - s.start;
    }
  }

  /** Covered milliseconds before `t`. */
  private upTo(t: number): number {
    let lo = 0;
    let hi = this.spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.spans[mid]!.start < t) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return 0;
    const s = this.spans[lo - 1]!;
    return this.before[lo - 1]! + Math.min(t, s.end) - s.start;
  }

  covered(a: number, b: number): number {
    return b <= a ? 0 : this.upTo(b) - this.upTo(a);
  }

  /** The gaps inside [from, to]: the complement of the coverage. */
  noData(from: number, to: number): Span[] {
    const gaps: Span[] = [];
    let cursor = from;
    for (const s of this.spans) {
      if (s.end <= cursor) continue;
      if (s.start >= to) break;
      if (s.start > cursor) gaps.push({ start: cursor, end: s.start });
      cursor = Math.max(cursor, s.end);
    }
    if (cursor < to) gaps.push({ start: cursor, end: to });
    return gaps;
  }
}

/**
 * Coverage rows as stored, made live: the span still open whose last heartbeat is within `gapMs` of now
 * runs on to now (the writer is watching right now); any other span ends at its last heartbeat.
 */
export function liveSpans(rows: { start: number; end: number; open: boolean }[], now: number, gapMs: number): Span[] {
  return rows.map((r) => ({ start: r.start, end: r.open && now - r.end <= gapMs && now > r.end ? now : r.end }));
}

/** Calls `visit` for each piece of constant state of one host's (sorted) points inside [from, to]. */
function eachInterval(points: Point[], from: number, to: number, visit: (start: number, end: number, state: HistoryState) => void): void {
  if (to <= from) return;
  let state: HistoryState = points[0]?.from ?? 'no-data';
  let start = from;
  for (const p of points) {
    if (p.at > from) {
      if (p.at >= to) break;
      visit(start, p.at, state);
      start = p.at;
    }
    state = p.to;
  }
  visit(start, to, state);
}

/** Seconds per state of one host inside [from, to]: uncovered time counts as no-data. */
export function secondsByState(points: Point[], coverage: Coverage, from: number, to: number): Record<HistoryState, number> {
  const ms = emptySeconds();
  eachInterval(points, from, to, (a, b, state) => {
    const covered = state === 'no-data' ? 0 : coverage.covered(a, b);
    ms[state] += covered;
    ms['no-data'] += b - a - covered;
  });
  for (const s of STATES) ms[s] = Math.round(ms[s] / 1000);
  return ms;
}

/** (healthy + degraded) / (healthy + degraded + down); `null` when none of those had a second. */
export function ratio(seconds: Record<HistoryState, number>): number | null {
  const up = seconds.healthy + seconds.degraded;
  const total = up + seconds.down;
  return total > 0 ? up / total : null;
}

/** Uptime over each of the four windows ending at `now`. */
export function uptime(points: Point[], coverage: Coverage, now: number): Uptime[] {
  return UPTIME_WINDOWS.map((window) => {
    const seconds = secondsByState(points, coverage, now - WINDOW_SECONDS[window] * 1000, now);
    return { window, ratio: ratio(seconds), seconds };
  });
}

/**
 * The host's last state and when it began: the start of the trailing run of points with that state (a
 * point whose `from` equals its `to` only changed the codes and continues the run).
 */
export function currentSince(points: Point[]): Since | undefined {
  const last = points[points.length - 1];
  if (!last) return undefined;
  let since = last.at;
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i]!;
    if (p.to !== last.to) break;
    since = p.at;
    if (p.from !== p.to) break;
  }
  return { state: last.to, since: new Date(since).toISOString() };
}

const RANK: Record<string, number> = Object.fromEntries(HEALTH_ORDER.map((h, i) => [h, HEALTH_ORDER.length - i]));
const isBad = (s: HistoryState): s is Incident['worst'] => s === 'down' || s === 'degraded' || s === 'unknown';

/**
 * The incidents of one host's (sorted) points that overlap [since, until], newest first: each runs from a
 * transition to a non-healthy state to the next transition back to healthy (open when there is none).
 * `durationSeconds` counts only covered time inside the window, up to `now`. `changesBefore` is left
 * empty for the caller, which owns the changes.
 */
export function incidents(points: Point[], coverage: Coverage, since: number, until: number, now: number): Incident[] {
  const out: { incident: Incident; start: number; end?: number }[] = [];
  let open: { incident: Incident; start: number; end?: number; codes: Set<string> } | undefined;
  const finish = (end?: number) => {
    if (!open) return;
    open.end = end;
    if (end !== undefined) open.incident.end = new Date(end).toISOString();
    open.incident.codes = [...open.codes].sort();
    out.push(open);
    open = undefined;
  };
  for (const p of points) {
    if (open) {
      if (p.to === 'healthy') {
        finish(p.at);
        continue;
      }
      if (isBad(p.to) && RANK[p.to]! > RANK[open.incident.worst]!) open.incident.worst = p.to;
      for (const c of p.codes) open.codes.add(c);
    } else if (isBad(p.to)) {
      open = {
        start: p.at,
        codes: new Set(p.codes),
        incident: {
          host: p.host,
          namespace: p.namespace,
          start: new Date(p.at).toISOString(),
          worst: p.to,
          durationSeconds: 0,
          codes: [],
          ...(p.message !== undefined ? { message: p.message } : {}),
          changesBefore: [],
        },
      };
    }
  }
  finish();
  const windowEnd = Math.min(until, now);
  return out
    .filter((o) => o.start <= until && (o.end ?? Infinity) >= since)
    .map((o) => {
      const a = Math.max(o.start, since);
      const b = Math.min(o.end ?? now, windowEnd);
      o.incident.durationSeconds = Math.round(coverage.covered(a, b) / 1000);
      return o.incident;
    })
    .reverse();
}
