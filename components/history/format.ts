/**
 * The words and numbers of history: durations ("2 h 14 min"), "Down since 03:12 (2 h 14 min)", uptime
 * ("99.2% · 1 h no data"), a change in one line. Pure and importable from server and client components;
 * the clock and the time zone are arguments, so the same input gives the same text everywhere.
 */
import type { ChangeRecord, HistoryState, Incident, Uptime, UptimeWindow } from '../../lib/history/types';

export const STATE_TEXT: Record<HistoryState, string> = { healthy: 'Healthy', degraded: 'Degraded', down: 'Down', unknown: 'Unknown', 'no-data': 'No data' };
export const WINDOW_TEXT: Record<UptimeWindow, string> = { '24h': '24 h', '7d': '7 d', '30d': '30 d', '90d': '90 d' };

/** "45 s", "12 min", "2 h 14 min", "2 h", "3 d 4 h", "3 d": two units at most, rounded down. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** "2026-05-02 03:12 UTC": the text before the viewer's time zone is known (server render, hydration). */
export function formatUtcMinute(iso: string | number): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const dayKey = (ms: number, timeZone?: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);

/**
 * A time in the viewer's zone, as short as is unambiguous next to `now`: "03:12" today, "2 May 03:12"
 * this year, "2 May 2025 03:12" before.
 */
export function formatClock(iso: string | number, now: number, timeZone?: string): string {
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t);
  if (dayKey(t, timeZone) === dayKey(now, timeZone)) return clock;
  const sameYear = dayKey(t, timeZone).slice(0, 4) === dayKey(now, timeZone).slice(0, 4);
  const date = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) }).format(t);
  return `${date} ${clock}`;
}

/**
 * "Down since 03:12 (2 h 14 min)" with a clock; "Down since 2026-05-02 03:12 UTC" without one (`now`
 * null: the server render and the hydration render, which must be the same text).
 */
export function sinceText(state: HistoryState, since: string, now: number | null, timeZone?: string): string {
  if (now === null) return `${STATE_TEXT[state]} since ${formatUtcMinute(since)}`;
  return `${STATE_TEXT[state]} since ${formatClock(since, now, timeZone)} (${formatDuration((now - Date.parse(since)) / 1000)})`;
}

/** "99.2%", rounded down so that a domain that was ever down never shows 100%; "no data" for null. */
export function formatRatio(ratio: number | null): string {
  if (ratio === null) return 'no data';
  if (ratio >= 1) return '100%';
  return `${(Math.floor(ratio * 1000) / 10).toFixed(1)}%`;
}

/** "99.2% · 1 h no data": the ratio, and the time it does not cover when there is any. */
export function uptimeText(u: Uptime): string {
  const parts = [formatRatio(u.ratio)];
  if (u.ratio !== null && u.seconds['no-data'] >= 60) parts.push(`${formatDuration(u.seconds['no-data'])} no data`);
  if (u.ratio !== null && u.seconds.unknown >= 60) parts.push(`${formatDuration(u.seconds.unknown)} unknown`);
  return parts.join(' · ');
}

/** The uptime of one window from a list, if present. */
export const uptimeOf = (list: readonly Uptime[], window: UptimeWindow) => list.find((u) => u.window === window);

/** "went down", "became degraded": how an incident began, for "changed 6 s before it went down". */
export function wentText(worst: Incident['worst']): string {
  return worst === 'down' ? 'went down' : `became ${worst}`;
}

/** One change in one line: "Service booking selector app=booking -> app=bookng", "Pod web-1 deleted". */
export function changeText(c: Pick<ChangeRecord, 'kind' | 'name' | 'action' | 'lines'>): string {
  const what = c.kind === 'ServedCertificate' ? `served certificate of ${c.name}` : `${c.kind} ${c.name}`;
  const lines = c.lines.join('; ');
  if (c.action === 'modified') return lines ? `${what} ${lines}` : `${what} changed`;
  return lines ? `${what} ${c.action}: ${lines}` : `${what} ${c.action}`;
}

/** "changed 6 s before it went down: Service booking selector app=booking -> app=bookng". */
export function changeBeforeText(c: Pick<ChangeRecord, 'kind' | 'name' | 'action' | 'lines' | 'at'>, incident: Pick<Incident, 'start' | 'worst'>): string {
  const lead = formatDuration((Date.parse(incident.start) - Date.parse(c.at)) / 1000);
  return `changed ${lead} before it ${wentText(incident.worst)}: ${changeText(c)}`;
}
