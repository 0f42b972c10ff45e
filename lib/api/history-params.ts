/**
 * Validation of the history endpoints' query (`since`, `until`, `limit`, `cursor`). Pure, like
 * lib/api/params.ts: each function returns the clean value or a message for a 400 response. The clock and
 * the retention are passed in, so the same input always gives the same answer.
 */
import type { Parsed } from './params';
import { parseIntParam } from './params';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Default window of a history request: the last day. */
export const DEFAULT_HISTORY_WINDOW_MS = DAY;
export const DEFAULT_HISTORY_LIMIT = 200;
export const MAX_HISTORY_LIMIT = 1000;
/** A clock a minute ahead of ours still asks for "now", not the future. */
const FUTURE_SKEW_MS = 60_000;

// An instant, not a calendar date: a date and a time with its offset (`Z` or `+02:00`), seconds optional.
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const RELATIVE_RE = /^(\d{1,5})(h|d)$/;
// The store's cursors are opaque base64url-style tokens; anything else cannot be one.
const CURSOR_RE = /^[A-Za-z0-9_.~:=+/-]{1,512}$/;

export interface HistoryRange {
  since: Date;
  until: Date;
  limit: number;
  cursor?: string;
}

/** An ISO 8601 instant (`2026-05-01T03:12:00Z`, `2026-05-01T05:12+02:00`). */
export function parseInstant(raw: string, name: string): Parsed<Date> {
  const t = INSTANT_RE.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(t)) return { ok: false, error: `${name} must be an ISO 8601 instant such as 2026-05-01T03:12:00Z${name === 'since' ? ', or a window such as 24h or 7d' : ''}` };
  return { ok: true, value: new Date(t) };
}

/** `since`: an instant, or a window back from `now` (`24h`, `7d`, `30d`, `90d`). */
export function parseSince(raw: string, now: Date): Parsed<Date> {
  const rel = RELATIVE_RE.exec(raw);
  if (rel) {
    const n = Number(rel[1]);
    if (n === 0) return { ok: false, error: 'since must be a window longer than 0' };
    return { ok: true, value: new Date(now.getTime() - n * (rel[2] === 'h' ? HOUR : DAY)) };
  }
  return parseInstant(raw, 'since');
}

/**
 * The range and page of a history request, without the retention (which only an available history
 * knows: see {@link checkRetention}). Defaults: the last 24 h, 200 items.
 */
export function parseHistoryQuery(sp: URLSearchParams, now: Date): Parsed<HistoryRange> {
  const rawUntil = sp.get('until');
  let until = now;
  if (rawUntil) {
    const u = parseInstant(rawUntil, 'until');
    if (!u.ok) return u;
    until = u.value;
  }
  const rawSince = sp.get('since');
  let since = new Date(until.getTime() - DEFAULT_HISTORY_WINDOW_MS);
  if (rawSince) {
    const s = parseSince(rawSince, now);
    if (!s.ok) return s;
    since = s.value;
  }
  if (until.getTime() > now.getTime() + FUTURE_SKEW_MS) return { ok: false, error: 'until lies in the future' };
  if (since.getTime() >= until.getTime()) return { ok: false, error: 'since must be before until' };
  const limit = parseIntParam(sp.get('limit'), 'limit', DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT);
  if (!limit.ok) return limit;
  if (limit.value < 1) return { ok: false, error: 'limit must be at least 1' };
  const cursor = sp.get('cursor');
  if (cursor !== null && !CURSOR_RE.test(cursor)) return { ok: false, error: 'cursor is not one this API gave out (pass nextCursor back unchanged)' };
  return { ok: true, value: { since, until, limit: limit.value, ...(cursor ? { cursor } : {}) } };
}

/** Is the range inside what history keeps (`retentionDays` back from `now`)? */
export function checkRetention(range: { since: Date }, now: Date, retentionDays: number): Parsed<true> {
  const oldest = now.getTime() - retentionDays * DAY;
  if (range.since.getTime() < oldest) return { ok: false, error: `since lies beyond the retention: history keeps ${retentionDays} days` };
  return { ok: true, value: true };
}
