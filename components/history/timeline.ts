/**
 * The timeline strip's geometry as a pure function of a history answer: the health as segments over
 * the window (clipped to it, no-data spans laid over whatever state was last known, equal neighbours
 * merged) and the changes as ticks (close ones grouped, so a burst of a deployment is one tick with a
 * count). Positions are CSS percentages with three decimals: short, exact strings, the same on the server
 * and in the browser.
 */
import type { HistoryState, Since } from '../../lib/history/types';

export interface Segment {
  start: number;
  end: number;
  state: HistoryState;
  /** CSS `left`, e.g. `12.500%`. */
  left: string;
  /** CSS `width`. */
  width: string;
}

export interface Tick {
  /** The first change of the group (epoch ms). */
  at: number;
  /** The last change of the group. */
  last: number;
  count: number;
  left: string;
}

export interface TimelineInput {
  since: string;
  until: string;
  transitions: readonly { at: string; from: HistoryState; to: HistoryState }[];
  noData: readonly { start: string; end: string }[];
  /** The state now, for a window without transitions. */
  current?: Since;
}

const pct = (x: number) => `${(Math.min(1, Math.max(0, x)) * 100).toFixed(3)}%`;

/** The segments of [since, until], oldest first, covering the window without gaps or overlaps. */
export function layoutSegments(input: TimelineInput): Segment[] {
  const t0 = Date.parse(input.since);
  const t1 = Date.parse(input.until);
  if (!(t1 > t0)) return [];
  const span = t1 - t0;
  const transitions = input.transitions.map((t) => ({ at: Date.parse(t.at), from: t.from, to: t.to })).filter((t) => !Number.isNaN(t.at)).sort((a, b) => a.at - b.at);
  // Before the first transition of the window the domain was in that transition's `from` state; a window
  // without any is in the current state throughout (or unknown to history: no data).
  const initial: HistoryState = transitions[0]?.from ?? input.current?.state ?? 'no-data';
  const gaps = input.noData.map((g) => [Date.parse(g.start), Date.parse(g.end)] as const).filter(([a, b]) => b > a);

  const cuts = new Set<number>([t0, t1]);
  for (const t of transitions) if (t.at > t0 && t.at < t1) cuts.add(t.at);
  for (const [a, b] of gaps) {
    if (a > t0 && a < t1) cuts.add(a);
    if (b > t0 && b < t1) cuts.add(b);
  }
  const points = [...cuts].sort((a, b) => a - b);

  const stateAt = (t: number): HistoryState => {
    if (gaps.some(([a, b]) => a <= t && t < b)) return 'no-data';
    // The last transition at or before t (binary search: a month can hold a thousand).
    let lo = 0;
    let hi = transitions.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (transitions[mid]!.at <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? initial : transitions[found]!.to;
  };

  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    const state = stateAt(a);
    const prev = out[out.length - 1];
    if (prev && prev.state === state) prev.end = b;
    else out.push({ start: a, end: b, state, left: '', width: '' });
  }
  for (const s of out) {
    s.left = pct((s.start - t0) / span);
    s.width = pct((s.end - s.start) / span);
  }
  return out;
}

/**
 * Changes as ticks on [since, until]: changes outside the window are dropped; changes closer than
 * `minGap` (a share of the width; default 0.75%, about 5 px of a phone-wide strip) form one tick.
 */
export function layoutTicks(since: string, until: string, changes: readonly { at: string }[], minGap = 0.0075): Tick[] {
  const t0 = Date.parse(since);
  const t1 = Date.parse(until);
  if (!(t1 > t0)) return [];
  const span = t1 - t0;
  const times = changes
    .map((c) => Date.parse(c.at))
    .filter((t) => !Number.isNaN(t) && t >= t0 && t <= t1)
    .sort((a, b) => a - b);
  const ticks: Tick[] = [];
  for (const t of times) {
    const prev = ticks[ticks.length - 1];
    if (prev && (t - prev.at) / span < minGap) {
      prev.last = t;
      prev.count++;
    } else ticks.push({ at: t, last: t, count: 1, left: pct((t - t0) / span) });
  }
  return ticks;
}

/** Seconds per state over the segments: the strip's text alternative ("healthy 90.3%, down 9.3%"). */
export function stateShares(segments: readonly Segment[]): { state: HistoryState; seconds: number; share: number }[] {
  const total = segments.reduce((n, s) => n + (s.end - s.start), 0);
  const by = new Map<HistoryState, number>();
  for (const s of segments) by.set(s.state, (by.get(s.state) ?? 0) + (s.end - s.start));
  const order: HistoryState[] = ['healthy', 'degraded', 'down', 'unknown', 'no-data'];
  return order.filter((st) => by.has(st)).map((st) => ({ state: st, seconds: by.get(st)! / 1000, share: total ? by.get(st)! / total : 0 }));
}
